--[[
  Applies a progress event from the telephony side. Idempotent: a repeated, late or stale event
  (one for an earlier attempt, or for a call that already ended) changes nothing.

  KEYS[1] hash of the call
  KEYS[2] sorted set of the schedule's leases
  KEYS[3] sorted set of the schedule's deferred calls
  KEYS[4] sorted set of the schedule's queued calls with an expiry
  KEYS[5] wake-up marker of the schedule
  KEYS[6] configuration hash of the agent
  KEYS[7] set of the schedule's waiting-line names

  ARGV[1] call id
  ARGV[2] event: ringing, answered, completed, busy, no_answer, failed or voicemail
  ARGV[3] attempt number the event is about, '' for the current one
  ARGV[4] duration in seconds, '' when not given

  Returns {result, wake_at}: result 'unknown', 'stale', 'unchanged', 'in_progress', 'retry' or
  'ended'; wake_at as in wake_after_release.
]]
local call_id, event, attempt, duration = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local call_key = KEYS[1]
local keys = { leases = KEYS[2], deferred = KEYS[3], expiries = KEYS[4], wake = KEYS[5],
  configuration = KEYS[6], lines = KEYS[7] }

local call = redis.call('HMGET', call_key, 'status', 'attempts')
if not call[1] then return { 'unknown', -1 } end
if attempt ~= '' and attempt ~= call[2] then return { 'stale', -1 } end
if not LIVE[call[1]] then return { 'unchanged', -1 } end

if event == 'ringing' or event == 'answered' then
  if call[1] == 'in_progress' then return { 'unchanged', -1 } end
  redis.call('HSET', call_key, 'status', 'in_progress')
  return { 'in_progress', -1 }
end

local now = now_ms()
if duration ~= '' then redis.call('HSET', call_key, 'duration', duration) end
local result = end_attempt(call_key, call_id, keys, event, now)
return { result, wake_after_release(keys, now) }
