-- A taken conversation whose agent has said nothing since ARGV[2] goes back to the queue, waiting.
-- KEYS[1] the handoff's hash, KEYS[2] the queue. ARGV: 1 member, 2 before, 3 now.
-- Returns 1 when it went back, 0 otherwise.
local current = redis.call('HMGET', KEYS[1], 'status', 'lastAgentAt')
if current[1] ~= 'taken' or tonumber(current[2] or '0') >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'status', 'waiting', 'since', ARGV[3])
redis.call('HDEL', KEYS[1], 'agent', 'lastAgentAt')
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
