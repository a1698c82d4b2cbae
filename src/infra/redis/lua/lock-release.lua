-- Releases a lock only if we still own it: after a lease expired, the lock may belong to another turn.
-- KEYS[1]: lock key. ARGV[1]: owner token. Returns 1 when released.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
