--[[
  Records that a wake-up job for the schedule is now pending at `at`, after the caller added it.
  The marker keeps the earliest pending instant, so later requests at or after it add no job.

  KEYS[1] wake-up marker of the schedule
  ARGV[1] instant of the wake-up (ms)

  Returns 1 when the marker moved, 0 when an earlier wake-up was already pending.
]]
local at = tonumber(ARGV[1])
local now = now_ms()
if not wake_needed(KEYS[1], at, now) then return 0 end
redis.call('SET', KEYS[1], at, 'PX', math.max(at - now, 0) + WAKE_MARKER_GRACE_MS)
return 1
