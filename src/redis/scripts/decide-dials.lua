--[[
  The dial decision of one schedule, atomic across every process: drops expired leases, releases
  due deferred calls, expires stale ones, then dials while the concurrency cap, the interval, the
  open waiting lines and the caller numbers' daily limits allow. Each dial takes a lease (a
  concurrency slot), counts an attempt against its caller number and records the dial instant.

  KEYS[1] configuration hash of the agent
  KEYS[2] sorted set of leases (call id -> lease expiry, ms)
  KEYS[3] instant of the schedule's latest dial (ms)
  KEYS[4] set of the schedule's waiting-line names
  KEYS[5] sorted set of deferred calls (call id -> instant it may be dialed, ms)
  KEYS[6] sorted set of queued calls with an expiry (call id -> expires_at, ms)
  KEYS[7] wake-up marker of the schedule
  KEYS[8] hash of today's attempts per caller number
  KEYS[9] journal of this decision: receives the reply when it decides dials

  ARGV[1] schedule id
  ARGV[2] configuration version the caller evaluated the windows with
  ARGV[3] key prefix of call hashes (append the call id)
  ARGV[4] key prefix of waiting lines (append the line name)
  ARGV[5] most dials to decide in this call
  ARGV[6] 1 to clear a wake-up marker that is due (the first decision of a wake-up run)
  ARGV[7] lease margin beyond max_call_duration_seconds (ms)
  ARGV[8] lifetime of a day's attempt hash (s)
  ARGV[9] number of open waiting lines, N
  ARGV[10 .. 9+N] names of the open waiting lines
  ARGV[10+N ...] names of the closed waiting lines the caller evaluated

  Returns {verdict, now, dials, next_lease_expiry, interval_ready_at, next_deferred,
  next_expiry, expired_leases, recheck}:
    verdict: 'stale' (configuration changed: evaluate again), 'gone' (no configuration),
      'schedule-gone', 'disabled', 'batch-full' (decide again at once), 'concurrency',
      'interval', 'limits' (no caller number has an attempt left today), 'idle' (no open line
      holds a call);
    dials: a flat list of {call id, caller number, field/value list of the call};
    next_lease_expiry, interval_ready_at, next_deferred, next_expiry: instants (ms), -1 for none;
    expired_leases: ids of calls whose lease ran out without an end event;
    recheck: 1 when a waiting line holds calls that the caller did not evaluate: a deferred
      call entered it here, or a call was enqueued into it after the caller read the lines.
  A reply with dials is also kept in KEYS[9] (JSON) for JOURNAL_TTL_MS: should Redis go away
  after deciding but before the reply reached the caller, the caller reads it back and dials
  them, instead of leaving the calls `dialing` undialed until their leases run out.
]]
local JOURNAL_TTL_MS = 600000

local schedule_id, version = ARGV[1], ARGV[2]
local call_prefix, line_prefix = ARGV[3], ARGV[4]
local max_dials, clear_wake = tonumber(ARGV[5]), ARGV[6] == '1'
local lease_margin, attempts_ttl = tonumber(ARGV[7]), tonumber(ARGV[8])
local open_count = tonumber(ARGV[9])

local now = now_ms()
if clear_wake then
  local marker = tonumber(redis.call('GET', KEYS[7]))
  if marker and marker <= now then redis.call('DEL', KEYS[7]) end
end

local stored = redis.call('HMGET', KEYS[1], 'version', 'numbers', 'schedule:' .. schedule_id)
if not stored[1] then return { 'gone', now } end
if stored[1] ~= version then return { 'stale', now } end
if not stored[3] then return { 'schedule-gone', now } end

-- Leases that ran out: the call never reported its end. Its slot comes back; the call ends.
local expired_leases = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 500)
for _, call_id in ipairs(expired_leases) do
  redis.call('ZREM', KEYS[2], call_id)
  local call_key = call_prefix .. call_id
  if LIVE[redis.call('HGET', call_key, 'status')] then
    redis.call('HSET', call_key, 'status', 'failed', 'outcome', 'failed', 'reason', 'lease_expired',
      'ended', now)
  end
end

-- Deferred calls whose time has come join their waiting line.
local evaluated = {}
for index = 10, #ARGV do evaluated[ARGV[index]] = true end
local recheck = 0
local due = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now, 'LIMIT', 0, 1000)
for _, call_id in ipairs(due) do
  redis.call('ZREM', KEYS[5], call_id)
  local call = redis.call('HMGET', call_prefix .. call_id, 'status', 'line', 'score')
  if call[1] == 'queued' then
    redis.call('ZADD', line_prefix .. call[2], call[3], call_id)
    redis.call('SADD', KEYS[4], call[2])
    if not evaluated[call[2]] then recheck = 1 end
  end
end

-- A line created after the caller read the set: its enqueue found this wake-up pending and added
-- none of its own, so this run must not end without looking at it.
if recheck == 0 then
  for _, line in ipairs(redis.call('SMEMBERS', KEYS[4])) do
    if not evaluated[line] then recheck = 1 break end
  end
end

-- Queued calls past expires_at end as expired, wherever they wait.
local stale = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now, 'LIMIT', 0, 1000)
for _, call_id in ipairs(stale) do
  redis.call('ZREM', KEYS[6], call_id)
  local call_key = call_prefix .. call_id
  local call = redis.call('HMGET', call_key, 'status', 'line')
  if call[1] == 'queued' then
    redis.call('ZREM', line_prefix .. call[2], call_id)
    redis.call('ZREM', KEYS[5], call_id)
    redis.call('HSET', call_key, 'status', 'expired', 'ended', now)
  end
end

local function first_score(key)
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if first[2] then return tonumber(first[2]) end
  return -1
end

local function report(verdict, dials, interval_ready_at)
  local reply = { verdict, now, dials, first_score(KEYS[2]), interval_ready_at,
    first_score(KEYS[5]), first_score(KEYS[6]), expired_leases, recheck }
  -- Every dial of one run shares `now`: the latest dial instant and the counts' lifetime are
  -- written once per run, with the journal.
  if #dials > 0 then
    redis.call('SET', KEYS[3], now)
    redis.call('EXPIRE', KEYS[8], attempts_ttl)
    redis.call('SET', KEYS[9], cjson.encode(reply), 'PX', JOURNAL_TTL_MS)
  end
  return reply
end

-- rules: {enabled, max_concurrent_calls, call_interval_ms, respect_dnc}
local rules = cjson.decode(stored[3])
if rules[1] == 0 then return report('disabled', {}, -1) end

-- numbers: {{phone, daily_limit, enabled, is_default}, ...} in configuration order
local numbers = cjson.decode(stored[2])
local attempts = {}
local counted = redis.call('HGETALL', KEYS[8])
for index = 1, #counted, 2 do attempts[counted[index]] = tonumber(counted[index + 1]) end
local by_phone = {}
for _, number in ipairs(numbers) do by_phone[number[1]] = number end

local function capacity(number)
  if number == nil or number[3] == 0 then return 0 end
  return number[2] - (attempts[number[1]] or 0)
end

-- The caller number for a call: its explicit one; else the default while it has capacity;
-- else the enabled number with the most capacity left. nil when none can dial.
local function choose_caller(explicit)
  if explicit ~= '' then
    if capacity(by_phone[explicit]) > 0 then return explicit end
    return nil
  end
  local best, best_capacity = nil, 0
  for _, number in ipairs(numbers) do
    local left = capacity(number)
    if number[4] == 1 and left > 0 then return number[1] end
    if left > best_capacity then best, best_capacity = number[1], left end
  end
  return best
end

-- A line's name starts with its explicit caller number ('' for none), then '|'.
local function explicit_caller(line)
  return string.sub(line, 1, string.find(line, '|', 1, true) - 1)
end

local max_concurrent, interval = rules[2], rules[3]
local live = redis.call('ZCARD', KEYS[2])
local last_dial = tonumber(redis.call('GET', KEYS[3]) or '-1')
local dials = {}
local dialed = 0
local verdict = 'batch-full'

while dialed < max_dials do
  if live >= max_concurrent then verdict = 'concurrency' break end
  if interval > 0 and last_dial >= 0 and now < last_dial + interval then
    return report('interval', dials, last_dial + interval)
  end

  -- The best head among the open lines that have a caller number able to dial.
  local best_id, best_score, best_line, best_caller = nil, nil, nil, nil
  local held_by_limits = false
  for index = 10, 9 + open_count do
    local line = ARGV[index]
    local head = redis.call('ZRANGE', line_prefix .. line, 0, 0, 'WITHSCORES')
    if head[1] and (best_score == nil or tonumber(head[2]) < best_score) then
      local explicit = explicit_caller(line)
      if explicit ~= '' and by_phone[explicit] == nil then
        -- Its caller number left the configuration: every call of the line ends blocked.
        for _, call_id in ipairs(redis.call('ZRANGE', line_prefix .. line, 0, -1)) do
          redis.call('HSET', call_prefix .. call_id, 'status', 'blocked',
            'reason', 'number_removed', 'ended', now)
          redis.call('ZREM', KEYS[6], call_id)
        end
        redis.call('DEL', line_prefix .. line)
        redis.call('SREM', KEYS[4], line)
      else
        local caller = choose_caller(explicit)
        if caller then
          best_id, best_score, best_line, best_caller = head[1], tonumber(head[2]), line, caller
        else
          held_by_limits = true
        end
      end
    end
  end
  if best_id == nil then
    if held_by_limits then verdict = 'limits' else verdict = 'idle' end
    break
  end

  local line_key = line_prefix .. best_line
  redis.call('ZREM', line_key, best_id)
  if redis.call('ZCARD', line_key) == 0 then redis.call('SREM', KEYS[4], best_line) end
  redis.call('ZREM', KEYS[6], best_id)

  local call_key = call_prefix .. best_id
  local max_duration = tonumber(redis.call('HGET', call_key, 'max_duration'))
  redis.call('ZADD', KEYS[2], now + max_duration * 1000 + lease_margin, best_id)
  redis.call('HINCRBY', KEYS[8], best_caller, 1)
  attempts[best_caller] = (attempts[best_caller] or 0) + 1
  redis.call('HINCRBY', call_key, 'attempts', 1)
  -- 'prior_dial' lets a dial that is taken back (do-not-call) restore the interval it used.
  redis.call('HSET', call_key, 'status', 'dialing', 'caller', best_caller, 'dialed', now,
    'prior_dial', last_dial)
  redis.call('HDEL', call_key, 'next')

  dials[#dials + 1] = best_id
  dials[#dials + 1] = best_caller
  dials[#dials + 1] = redis.call('HGETALL', call_key)
  dialed = dialed + 1
  live = live + 1
  last_dial = now
end

return report(verdict, dials, -1)
