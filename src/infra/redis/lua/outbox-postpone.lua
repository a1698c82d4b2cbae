-- Holds a claimed mail until ARGV[2] without counting an attempt (the address's mail budget is spent),
-- unless it was withdrawn meanwhile (its record is gone).
-- KEYS[1] due set, KEYS[2] mail record. ARGV: 1 mail id, 2 time it may be sent.
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
return 1
