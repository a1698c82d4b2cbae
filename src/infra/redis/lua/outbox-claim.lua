-- Takes up to ARGV[2] due ids and hides them until ARGV[3] (their lease) by moving their score forward,
-- so that two workers never send one mail twice; a worker that dies mid-send releases it by expiry.
-- The caller then reads the claimed mails (their keys cannot be known before this script picks the ids,
-- and a key built here would break on a Cluster).
-- KEYS[1] due set. ARGV: 1 now, 2 limit, 3 lease end. Returns the claimed ids.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id)
end
return ids
