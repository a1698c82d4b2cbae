-- Records the PHC of a password typed on the page, at most once. `now` is the APPLICATION clock (ARGV).
-- The submit took the link first (begin → 'hashing'); a pending one is accepted too, the expiry decides.
-- KEYS[1] the entry, by token hash. ARGV: 1 now, 2 argon2id PHC.
-- Returns 'entered', or why not: 'unknown' | 'used' | 'replaced' | 'expired'.
--#include entry-open
local record = redis.call('HMGET', KEYS[1], 'status', 'expiresAt')
local refusal = entryRefusal(record[1], tonumber(record[2]), tonumber(ARGV[1]))
if refusal then
  return refusal
end
redis.call('HSET', KEYS[1], 'status', 'entered', 'passwordHash', ARGV[2])
redis.call('HDEL', KEYS[1], 'hashingUntil')
return 'entered'
