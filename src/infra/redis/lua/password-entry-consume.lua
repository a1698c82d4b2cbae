-- The account was requested with the PHC of an entered entry: the record stops holding it, for good.
-- KEYS[1] the entry, by token hash. ARGV: 1 the entry id. Returns 1 when consumed, 0 otherwise.
local record = redis.call('HMGET', KEYS[1], 'status', 'id')
if record[1] ~= 'entered' or record[2] ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'claimed')
redis.call('HDEL', KEYS[1], 'passwordHash')
return 1
