-- Confirms an account by its token hash, at most once. `now` is the APPLICATION clock (ARGV), never
-- Redis TIME: the product may run with a clock set inside the 2014 election calendar.
-- KEYS[1] token record, KEYS[2] the account it points to (read by the caller from the record: a key
-- taken from a value inside the script would break on a Cluster). ARGV: 1 now, 2 token hash, 3 token grace (ms).
-- Returns { 'confirmed', email, conversation JSON or '' } or { 'unknown' | 'used' | 'replaced' | 'expired' }.
local tokenKey, account = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
local grace = tonumber(ARGV[3])

local record = redis.call('HMGET', tokenKey, 'state', 'expiresAt', 'account', 'email')
local state, expiresAt, email = record[1], tonumber(record[2]), record[4]
if not state or not expiresAt or record[3] ~= account then
  return { 'unknown' }
end
-- What happened to the link matters more to the teacher than its age.
if state == 'used' or state == 'replaced' then
  return { state }
end
-- The link is valid strictly before its expiry instant, as in the domain and the memory store.
if now >= expiresAt then
  return { 'expired' }
end

local current = redis.call('HMGET', account, 'status', 'tokenHash', 'conversation')
if not current[1] then
  return { 'unknown' }
end
if current[2] ~= ARGV[2] then
  return { 'replaced' }
end
if current[1] ~= 'pending' then
  return { 'used' }
end

redis.call('HSET', account, 'status', 'confirmed', 'confirmedAt', ARGV[1], 'updatedAt', ARGV[1])
redis.call('HDEL', account, 'tokenExpiresAt', 'outboxId', 'conversation')
redis.call('HSET', tokenKey, 'state', 'used')
redis.call('PEXPIRE', tokenKey, string.format('%d', math.max(0, expiresAt - now) + grace))

return { 'confirmed', email, current[3] or '' }
