-- The handoff ends (the agent), or the teacher leaves the queue: it goes, and its messages a little later
-- (ARGV[2] ms), so that the agent's page still shows the last ones, « the teacher left » included.
-- KEYS[1] the handoff's hash, KEYS[2] the queue, KEYS[3] its messages. ARGV: 1 member, 2 messages kept ms.
-- Returns the hash's fields as a flat list (empty when there was none).
local fields = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
if redis.call('PTTL', KEYS[3]) > tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
redis.call('ZREM', KEYS[2], ARGV[1])
return fields
