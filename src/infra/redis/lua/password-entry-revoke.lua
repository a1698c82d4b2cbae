-- A pending entry stops working (the teacher asked for a new link). KEYS[1] the entry, by token hash.
-- ARGV: 1 the entry id. Returns 1 when revoked, 0 otherwise.
local record = redis.call('HMGET', KEYS[1], 'status', 'id')
if record[1] ~= 'pending' or record[2] ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'revoked')
return 1
