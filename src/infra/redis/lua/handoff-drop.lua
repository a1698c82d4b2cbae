-- A conversation that waited since before ARGV[2] without being taken leaves the queue.
-- KEYS[1] the handoff's hash, KEYS[2] the queue, KEYS[3] its messages. ARGV: 1 member, 2 before.
-- Returns the hash's fields as a flat list when it was dropped, an empty list otherwise.
local current = redis.call('HMGET', KEYS[1], 'status', 'since')
if current[1] == false or current[1] == nil then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {}
end
if current[1] ~= 'waiting' or tonumber(current[2]) >= tonumber(ARGV[2]) then return {} end
local fields = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return fields
