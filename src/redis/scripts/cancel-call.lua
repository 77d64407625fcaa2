--[[
  Cancels a call that is still waiting. A call already handed to the dialer cannot be.

  KEYS[1] hash of the call
  KEYS[2] set of the schedule's waiting-line names
  KEYS[3] sorted set of the schedule's deferred calls
  KEYS[4] sorted set of the schedule's queued calls with an expiry

  ARGV[1] call id
  ARGV[2] key prefix of waiting lines (append the line name)

  Returns {'cancelled'}, {'conflict', status} or {'unknown'}.
]]
local call_id, line_prefix = ARGV[1], ARGV[2]
local call = redis.call('HMGET', KEYS[1], 'status', 'line')
if not call[1] then return { 'unknown' } end
if call[1] ~= 'queued' then return { 'conflict', call[1] } end

local line_key = line_prefix .. call[2]
redis.call('ZREM', line_key, call_id)
if redis.call('ZCARD', line_key) == 0 then redis.call('SREM', KEYS[2], call[2]) end
redis.call('ZREM', KEYS[3], call_id)
redis.call('ZREM', KEYS[4], call_id)
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'ended', now_ms())
return { 'cancelled' }
