--[[
  Stores a new call and puts it in its schedule's waiting line, or among the deferred calls
  when it may not be dialed yet. Idempotent per external id.

  KEYS[1] configuration hash of the agent
  KEYS[2] hash of the new call
  KEYS[3] sorted set of all the agent's calls (score: created_at, ms)
  KEYS[4] hash external id -> call id
  KEYS[5] set of schedule ids holding calls
  KEYS[6] set of the schedule's waiting-line names
  KEYS[7] the waiting line of this call (score: priority rank * 1e13 + created_at)
  KEYS[8] sorted set of deferred calls (score: instant they may be dialed, ms)
  KEYS[9] sorted set of queued calls with an expiry (score: expires_at, ms)
  KEYS[10] wake-up marker of the schedule

  ARGV[1] call id
  ARGV[2] external id, '' for none
  ARGV[3] schedule id
  ARGV[4] waiting-line name
  ARGV[5] score in the waiting line
  ARGV[6] created_at (ms)
  ARGV[7] instant before which it may not be dialed (ms), 0 for none
  ARGV[8] expires_at (ms), 0 for none
  ARGV[9...] field, value pairs of the call hash

  Returns {'created', wake_at} where wake_at is the instant (ms) of the wake-up job the caller
  must add (its marker is claimed), or -1 when one is already pending; {'duplicate', call_id} for a known external id;
  {'no-configuration'}; {'no-schedule'}.
]]
local call_id, external_id, schedule_id = ARGV[1], ARGV[2], ARGV[3]
local line, score, created_at = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local not_before, expires_at = tonumber(ARGV[7]), tonumber(ARGV[8])

if redis.call('EXISTS', KEYS[1]) == 0 then return { 'no-configuration' } end
if redis.call('HEXISTS', KEYS[1], 'schedule:' .. schedule_id) == 0 then return { 'no-schedule' } end

if external_id ~= '' then
  local existing = redis.call('HGET', KEYS[4], external_id)
  if existing then return { 'duplicate', existing } end
  redis.call('HSET', KEYS[4], external_id, call_id)
end

local fields = {}
for index = 9, #ARGV do fields[#fields + 1] = ARGV[index] end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('ZADD', KEYS[3], created_at, call_id)
redis.call('SADD', KEYS[5], schedule_id)

local now = now_ms()
local ready_at = now
if not_before > now then
  ready_at = not_before
  redis.call('ZADD', KEYS[8], not_before, call_id)
else
  redis.call('ZADD', KEYS[7], score, call_id)
  redis.call('SADD', KEYS[6], line)
end
if expires_at > 0 then redis.call('ZADD', KEYS[9], expires_at, call_id) end

if claim_wake(KEYS[10], ready_at, now) then return { 'created', ready_at } end
return { 'created', -1 }
