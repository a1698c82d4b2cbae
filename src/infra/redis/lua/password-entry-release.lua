-- The submit that took the link failed before completing (argon2 threw): the link works again.
-- KEYS[1] the entry, by token hash. Returns 1 when released, 0 otherwise.
if redis.call('HGET', KEYS[1], 'status') ~= 'hashing' then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'pending')
redis.call('HDEL', KEYS[1], 'hashingUntil')
return 1
