-- Takes up to ARGV[2] reminders due at ARGV[1] (application clock) out of the queue, atomically: two
-- instances never take the same one, and a reminder taken is never given again (at most once).
-- KEYS[1] the due set. Returns the ids taken.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #ids > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
end
return ids
