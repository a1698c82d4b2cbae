-- Records the PHC of a password typed on the page, at most once. `now` is the APPLICATION clock (ARGV).
-- The submit took the link first (begin → 'hashing'); a pending one is accepted too, the expiry decides.
-- KEYS[1] the entry, by token hash. ARGV: 1 now, 2 argon2id PHC.
-- Returns 'entered', or why not: 'unknown' | 'used' | 'replaced' | 'expired'.
local record = redis.call('HMGET', KEYS[1], 'status', 'expiresAt')
local status, expiresAt = record[1], tonumber(record[2])
if not status or not expiresAt then
  return 'unknown'
end
if status == 'revoked' then
  return 'replaced'
end
if status ~= 'pending' and status ~= 'hashing' then
  return 'used'
end
if tonumber(ARGV[1]) >= expiresAt then
  return 'expired'
end
redis.call('HSET', KEYS[1], 'status', 'entered', 'passwordHash', ARGV[2])
redis.call('HDEL', KEYS[1], 'hashingUntil')
return 'entered'
