-- Appends one turn of redacted activities to a conversation's transcript and updates its indexes, all at
-- once so that a transcript never exists without its meta (which the helpdesk lists from).
-- KEYS[1]: list of activities, KEYS[2]: meta hash, KEYS[3]: by-channel zset, KEYS[4]: by-day zset,
-- KEYS[5] (optional): by-address zset.
-- ARGV: ttl seconds, now (ISO), now (ms), prune-before (ms), member, day, channelId, conversationId,
-- email ('' = none), max activities kept (0 = all), then the activities as JSON.
local ttl = tonumber(ARGV[1])
local nowIso = ARGV[2]
local nowMs = tonumber(ARGV[3])
local pruneBefore = ARGV[4]
local member = ARGV[5]
local day = ARGV[6]
local email = ARGV[9]
local maxActivities = tonumber(ARGV[10])

for i = 11, #ARGV do
  redis.call('RPUSH', KEYS[1], ARGV[i])
end
if maxActivities > 0 then
  redis.call('LTRIM', KEYS[1], -maxActivities, -1)
end

if redis.call('HSETNX', KEYS[2], 'created', nowIso) == 1 then
  redis.call('HSET', KEYS[2], 'channelId', ARGV[7], 'conversationId', ARGV[8])
end
-- 'd:<day>' and 'e:<address>' fields remember every index entry, so that a deletion can remove them all.
redis.call('HSET', KEYS[2], 'lastActivity', nowIso, 'd:' .. day, '1')

-- Index scores are the last activity: entries older than the retention point to expired transcripts.
redis.call('ZADD', KEYS[3], nowMs, member)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. pruneBefore)
redis.call('ZADD', KEYS[4], 'NX', nowMs, member)
if email ~= '' then
  redis.call('HSET', KEYS[2], 'email', email, 'e:' .. email, '1')
  redis.call('ZADD', KEYS[5], nowMs, member)
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. pruneBefore)
end

for i = 1, #KEYS do
  redis.call('EXPIRE', KEYS[i], ttl)
end
return redis.call('LLEN', KEYS[1])
