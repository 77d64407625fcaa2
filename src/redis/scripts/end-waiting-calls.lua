--[[
  Ends every call still waiting in a schedule (its lines and its deferred calls) with one status
  and reason: cancelled when the configuration is removed, blocked when the schedule is gone.

  KEYS[1] set of the schedule's waiting-line names
  KEYS[2] sorted set of the schedule's deferred calls
  KEYS[3] sorted set of the schedule's queued calls with an expiry

  ARGV[1] key prefix of call hashes (append the call id)
  ARGV[2] key prefix of waiting lines (append the line name)
  ARGV[3] status to end them with
  ARGV[4] reason to record

  Returns the number of calls ended.
]]
local call_prefix, line_prefix, status, reason = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local ended = 0

local function end_all(call_ids)
  for _, call_id in ipairs(call_ids) do
    local call_key = call_prefix .. call_id
    if redis.call('HGET', call_key, 'status') == 'queued' then
      redis.call('HSET', call_key, 'status', status, 'reason', reason, 'ended', now)
      ended = ended + 1
    end
  end
end

for _, line in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  end_all(redis.call('ZRANGE', line_prefix .. line, 0, -1))
  redis.call('DEL', line_prefix .. line)
end
end_all(redis.call('ZRANGE', KEYS[2], 0, -1))
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return ended
