-- The handoff ends (the agent), or the teacher leaves the queue: everything of it goes.
-- KEYS[1] the handoff's hash, KEYS[2] the queue, KEYS[3] its messages. ARGV: 1 member.
-- Returns the hash's fields as a flat list (empty when there was none).
local fields = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return fields
