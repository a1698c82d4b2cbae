-- Gives up on a mail: it leaves the due set and joins the dead letters, with the reason, for the helpdesk.
-- The record keeps the TTL it was queued with; the dead set lives at least as long as its newest record.
-- KEYS[1] due set, KEYS[2] dead set, KEYS[3] mail record. ARGV: 1 mail id, 2 reason.
if redis.call('EXISTS', KEYS[3]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[3], 'deadReason', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[3])
if ttl > 0 then
  local current = redis.call('PTTL', KEYS[2])
  if current < 0 or current < ttl then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end
return 1
