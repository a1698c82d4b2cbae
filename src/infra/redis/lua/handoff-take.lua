-- An agent takes a waiting conversation: one agent only, whatever the concurrency.
-- KEYS[1] the handoff's hash, KEYS[2] the queue. ARGV: 1 member, 2 agent, 3 now, 4 ttl ms.
-- Returns 'taken', 'not-waiting' or 'gone'.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 'gone'
end
if status ~= 'waiting' then return 'not-waiting' end
redis.call('HSET', KEYS[1], 'status', 'taken', 'agent', ARGV[2], 'since', ARGV[3], 'lastAgentAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 'taken'
