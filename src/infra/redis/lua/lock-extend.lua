-- Extends the lease of a lock only if we still own it: a lock taken by another turn is left alone.
-- KEYS[1]: lock key. ARGV[1]: owner token, ARGV[2]: lease in milliseconds. Returns 1 when extended.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
