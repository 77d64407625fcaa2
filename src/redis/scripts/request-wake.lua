--[[
  Claims a wake-up of the schedule at `at`, before the caller adds its job. The marker keeps the
  earliest pending instant, so later requests at or after it add no job.

  KEYS[1] wake-up marker of the schedule
  ARGV[1] instant of the wake-up (ms)

  Returns 1 when the caller must add the wake-up job, 0 when an earlier one is already pending.
]]
if claim_wake(KEYS[1], tonumber(ARGV[1]), now_ms()) then return 1 end
return 0
