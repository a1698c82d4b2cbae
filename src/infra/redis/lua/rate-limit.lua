-- GCRA, one key per rule and subject: the key holds the theoretical arrival time (TAT, ms) and expires
-- when it is reached, since a bucket that is full again needs no memory. Mirrors gcra() in
-- src/domain/limits/rate-limiter.ts.
-- KEYS[1] the bucket; ARGV: now (ms), interval (ms), burst, mode ('consume' | 'peek' | 'refund').
-- Returns { allowed (1/0), retryAfterMs }.
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local stored = tonumber(redis.call('GET', KEYS[1]))
-- Refund: one interval back (gcraRefund), never below now; an empty bucket needs no key.
if ARGV[4] == 'refund' then
  if stored then
    local back = stored - interval
    if back > now then
      redis.call('SET', KEYS[1], string.format('%d', back), 'PX', back - now)
    else
      redis.call('DEL', KEYS[1])
    end
  end
  return { 1, 0 }
end
local base = now
if stored and stored > now then base = stored end
local nextTat = base + interval
local allowAt = nextTat - burst * interval
if allowAt > now then
  return { 0, allowAt - now }
end
if ARGV[4] == 'consume' then
  redis.call('SET', KEYS[1], string.format('%d', nextTat), 'PX', nextTat - now)
end
return { 1, 0 }
