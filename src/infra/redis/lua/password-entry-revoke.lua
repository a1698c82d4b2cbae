-- An entry stops working (the teacher asked for a new link, or left the step): a pending link no longer
-- opens, an entered PHC is no longer handed to the dialog, and the record soon goes.
-- KEYS[1] the entry, by token hash. ARGV: 1 the entry id, 2 the record's remaining life in ms.
-- Returns 1 when revoked, 0 otherwise.
local record = redis.call('HMGET', KEYS[1], 'status', 'id')
if (record[1] ~= 'pending' and record[1] ~= 'hashing' and record[1] ~= 'entered') or record[2] ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'revoked')
redis.call('HDEL', KEYS[1], 'passwordHash')
local ttl = redis.call('PTTL', KEYS[1])
local keep = tonumber(ARGV[2])
if ttl < 0 or ttl > keep then
  redis.call('PEXPIRE', KEYS[1], keep)
end
return 1
