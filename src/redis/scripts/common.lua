-- Helpers shared by every script; the loader places this file in front of each one.

-- The Redis server's clock, in milliseconds: one clock for every process.
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- A wake-up marker outlives its instant by this long; past that it is taken as lost (its job was
-- never added, or failed for good), and the next request adds a job again.
local WAKE_MARKER_GRACE_MS = 10000

-- Claims the wake-up of a schedule at `at` (ms): true when the caller must now add the wake-up
-- job, false when a pending wake-up at or before `at` already covers it. The marker is claimed
-- here, in the same atomic step as the change that needs the wake-up, so that two requests can
-- never both skip it, and a job that already ran can never leave a marker behind.
local function claim_wake(marker_key, at, now)
  local marker = tonumber(redis.call('GET', marker_key))
  if marker ~= nil and marker <= at then return false end
  redis.call('SET', marker_key, at, 'PX', math.max(at - now, 0) + WAKE_MARKER_GRACE_MS)
  return true
end

-- Statuses in which a call holds a concurrency slot.
local LIVE = { dialing = true, in_progress = true }

-- Puts a call back among the deferred calls of its schedule, to be dialed from `at` (ms).
local function requeue(call_key, call_id, deferred_key, expiries_key, at)
  redis.call('HSET', call_key, 'status', 'queued', 'next', at)
  redis.call('HDEL', call_key, 'ended', 'prior_dial')
  redis.call('ZADD', deferred_key, at, call_id)
  local expires_at = redis.call('HGET', call_key, 'expires')
  if expires_at then redis.call('ZADD', expiries_key, expires_at, call_id) end
end

-- Ends an attempt that took a slot: the slot comes back, and the call is tried again after its
-- retry delay while attempts remain (and the agent still has a configuration), else it ends.
local function end_attempt(call_key, call_id, keys, status, now)
  redis.call('ZREM', keys.leases, call_id)
  local call = redis.call('HMGET', call_key, 'attempts', 'max_attempts', 'retry_delay')
  local retries = { busy = true, no_answer = true, failed = true }
  local attempts, max_attempts = tonumber(call[1]), tonumber(call[2] or '1')
  if retries[status] and attempts < max_attempts and redis.call('EXISTS', keys.configuration) == 1 then
    redis.call('HSET', call_key, 'outcome', status)
    requeue(call_key, call_id, keys.deferred, keys.expiries, now + tonumber(call[3] or '0') * 1000)
    return 'retry'
  end
  redis.call('HSET', call_key, 'status', status, 'outcome', status, 'ended', now)
  return 'ended'
end

-- The wake-up job to add now that a slot came back: `now`, or -1 when none is needed. None is
-- when a wake-up is already pending, or when no call waits in a line or among the deferred calls:
-- a free slot changes nothing then, and the next enqueue or retry asks for its own wake-up.
local function wake_after_release(keys, now)
  if redis.call('SCARD', keys.lines) == 0 and redis.call('ZCARD', keys.deferred) == 0 then
    return -1
  end
  if claim_wake(keys.wake, now, now) then return now end
  return -1
end
