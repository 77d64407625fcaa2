--[[
  Stores new calls of one schedule and puts each in its waiting line, or among the deferred calls
  when it may not be dialed yet. Idempotent per external id. One run takes many calls, so that a
  batch costs a few script runs rather than one per call.

  KEYS[1] configuration hash of the agent
  KEYS[2] sorted set of all the agent's calls (score: created_at, ms)
  KEYS[3] hash external id -> call id
  KEYS[4] set of schedule ids holding calls
  KEYS[5] set of the schedule's waiting-line names
  KEYS[6] sorted set of deferred calls (score: instant they may be dialed, ms)
  KEYS[7] sorted set of queued calls with an expiry (score: expires_at, ms)
  KEYS[8] wake-up marker of the schedule

  ARGV[1] schedule id
  ARGV[2] key prefix of call hashes (append the call id)
  ARGV[3] key prefix of waiting lines (append the line name)
  ARGV[4 ...] one group per call, in order:
    call id; external id, '' for none; waiting-line name; score in the line (priority rank *
    1e13 + created_at); created_at (ms); instant before which it may not be dialed (ms), 0 for
    none; expires_at (ms), 0 for none; F, the number of field/value arguments that follow;
    F field, value arguments of the call hash.

  Returns {'stored', wake_at, result...} with one result per call: '' when it was created, or
  the id of the earlier call with its external id; wake_at is the instant (ms) of the wake-up job
  the caller must add (its marker is claimed), or -1 when one is already pending or none is
  needed. {'no-configuration'} or {'no-schedule'} when nothing was stored.
]]
local schedule_id, call_prefix, line_prefix = ARGV[1], ARGV[2], ARGV[3]

if redis.call('EXISTS', KEYS[1]) == 0 then return { 'no-configuration' } end
if redis.call('HEXISTS', KEYS[1], 'schedule:' .. schedule_id) == 0 then return { 'no-schedule' } end

-- A finite number, or nil: tonumber reads 'nan' and 'inf' too, which no sorted set takes.
local function finite(text)
  local value = tonumber(text)
  if value == nil or value ~= value or value == math.huge or value == -math.huge then return nil end
  return value
end

-- Every group is checked before anything is written: a script stopped by an error keeps what it
-- wrote, and a run must store all of its calls or none.
local groups = {}
local index = 4
while index <= #ARGV do
  local field_count = finite(ARGV[index + 7])
  for offset = 3, 6 do
    if not finite(ARGV[index + offset]) then field_count = nil end
  end
  if not field_count or field_count < 2 or field_count % 2 == 1
    or index + 7 + field_count > #ARGV then
    return redis.error_reply('enqueue-calls: malformed call group at argument ' .. index)
  end
  groups[#groups + 1] = index
  index = index + 8 + field_count
end

local now = now_ms()
local earliest_ready = nil
local results = {}

for _, group in ipairs(groups) do
  local call_id, external_id, line = ARGV[group], ARGV[group + 1], ARGV[group + 2]
  local score, created_at = tonumber(ARGV[group + 3]), tonumber(ARGV[group + 4])
  local not_before, expires_at = tonumber(ARGV[group + 5]), tonumber(ARGV[group + 6])
  local first_field = group + 8
  local last_field = first_field + tonumber(ARGV[group + 7]) - 1

  local existing = nil
  if external_id ~= '' then
    existing = redis.call('HGET', KEYS[3], external_id)
    if not existing then redis.call('HSET', KEYS[3], external_id, call_id) end
  end

  if existing then
    results[#results + 1] = existing
  else
    redis.call('HSET', call_prefix .. call_id, unpack(ARGV, first_field, last_field))
    redis.call('ZADD', KEYS[2], created_at, call_id)
    local ready_at = now
    if not_before > now then
      ready_at = not_before
      redis.call('ZADD', KEYS[6], not_before, call_id)
    else
      redis.call('ZADD', line_prefix .. line, score, call_id)
      redis.call('SADD', KEYS[5], line)
    end
    if expires_at > 0 then redis.call('ZADD', KEYS[7], expires_at, call_id) end
    if earliest_ready == nil or ready_at < earliest_ready then earliest_ready = ready_at end
    results[#results + 1] = ''
  end
end

local wake_at = -1
if earliest_ready ~= nil then
  redis.call('SADD', KEYS[4], schedule_id)
  if claim_wake(KEYS[8], earliest_ready, now) then wake_at = earliest_ready end
end

return { 'stored', wake_at, unpack(results) }
