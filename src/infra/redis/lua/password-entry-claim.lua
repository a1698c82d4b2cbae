-- Hands the PHC of an entered entry to the dialog, once, and removes it from the record.
-- KEYS[1] the entry, by token hash. ARGV: 1 the entry id the dialog holds.
-- Returns { email, PHC } or false.
local record = redis.call('HMGET', KEYS[1], 'status', 'id', 'email', 'passwordHash')
if record[1] ~= 'entered' or record[2] ~= ARGV[1] or not record[4] then
  return false
end
redis.call('HSET', KEYS[1], 'status', 'claimed')
redis.call('HDEL', KEYS[1], 'passwordHash')
return { record[3], record[4] }
