-- Gives up on a mail: it leaves the due set and joins the dead letters, with the reason, for the helpdesk.
-- KEYS[1] due set, KEYS[2] dead set, KEYS[3] mail record. ARGV: 1 mail id, 2 reason.
if redis.call('EXISTS', KEYS[3]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[3], 'deadReason', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
