--[[
  Records what the dialer answered for a dial decided by decide-dials.lua.

  KEYS[1] hash of the call
  KEYS[2] sorted set of the schedule's leases
  KEYS[3] hash of attempts per caller number, of the day the dial was counted on
  KEYS[4] sorted set of the schedule's deferred calls
  KEYS[5] sorted set of the schedule's queued calls with an expiry
  KEYS[6] instant of the schedule's latest dial (ms)
  KEYS[7] wake-up marker of the schedule
  KEYS[8] configuration hash of the agent
  KEYS[9] set of the schedule's waiting-line names

  ARGV[1] call id
  ARGV[2] the attempt number the dial was decided as
  ARGV[3] answer: 'placed' (2xx), 'rejected' (4xx), 'unreachable' (no answer, 5xx, timeout) or
          'blocked' (the callee is on the do-not-call list; nothing was sent)
  ARGV[4] for 'unreachable': delay before the dial is tried again (ms)
  ARGV[5] for 'unreachable': times such a dial is tried again before the attempt ends failed

  Returns {result, wake_at}: result 'placed', 'retry' (dialed again later), 'ended' or 'stale'
  (the call moved on meanwhile: nothing changed); wake_at as in wake_after_release.
]]
local call_id, attempt, answer = ARGV[1], ARGV[2], ARGV[3]
local keys = { leases = KEYS[2], deferred = KEYS[4], expiries = KEYS[5], wake = KEYS[7],
  configuration = KEYS[8], lines = KEYS[9] }
local call_key = KEYS[1]
local now = now_ms()

local call = redis.call('HMGET', call_key, 'status', 'attempts', 'caller', 'dialed', 'prior_dial')
if call[1] ~= 'dialing' or call[2] ~= attempt then return { 'stale', -1 } end
if answer == 'placed' then return { 'placed', -1 } end

if answer == 'rejected' then
  local result = end_attempt(call_key, call_id, keys, 'failed', now)
  redis.call('HSET', call_key, 'reason', 'dialer_rejected')
  return { result, wake_after_release(keys, now) }
end

-- The dial never reached the telephony side: its daily count and its attempt are given back.
redis.call('ZREM', KEYS[2], call_id)
if tonumber(redis.call('HGET', KEYS[3], call[3]) or '0') > 0 then
  redis.call('HINCRBY', KEYS[3], call[3], -1)
end
redis.call('HINCRBY', call_key, 'attempts', -1)

if answer == 'blocked' then
  if redis.call('GET', KEYS[6]) == call[4] then
    if tonumber(call[5]) < 0 then redis.call('DEL', KEYS[6]) else redis.call('SET', KEYS[6], call[5]) end
  end
  redis.call('HSET', call_key, 'status', 'blocked', 'reason', 'dnc', 'ended', now)
  return { 'ended', wake_after_release(keys, now) }
end

local failures = redis.call('HINCRBY', call_key, 'failures', 1)
if failures > tonumber(ARGV[5]) then
  redis.call('HSET', call_key, 'status', 'failed', 'outcome', 'failed',
    'reason', 'dialer_unreachable', 'ended', now)
  return { 'ended', wake_after_release(keys, now) }
end
requeue(call_key, call_id, KEYS[4], KEYS[5], now + tonumber(ARGV[4]))
return { 'retry', wake_after_release(keys, now) }
