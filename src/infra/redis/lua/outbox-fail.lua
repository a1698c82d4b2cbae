-- Schedules another attempt, unless the mail was withdrawn meanwhile (its record is gone).
-- KEYS[1] due set, KEYS[2] mail record. ARGV: 1 mail id, 2 next attempt time.
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
