-- Appends one turn of redacted activities to a conversation's transcript and its meta, at once, so that
-- a transcript never exists without its meta (which the helpdesk lists from). Both keys carry the
-- conversation's hash tag; the indexes are written by transcript-index.lua just before.
-- KEYS[1]: list of activities, KEYS[2]: meta hash.
-- ARGV: ttl seconds, now (ISO), day, channelId, conversationId, email ('' = none), max activities kept
-- (0 = all), then the activities as JSON.
local ttl = tonumber(ARGV[1])
local nowIso = ARGV[2]
local day = ARGV[3]
local email = ARGV[6]
local maxActivities = tonumber(ARGV[7])

for i = 8, #ARGV do
  redis.call('RPUSH', KEYS[1], ARGV[i])
end
if maxActivities > 0 then
  redis.call('LTRIM', KEYS[1], -maxActivities, -1)
end

if redis.call('HSETNX', KEYS[2], 'created', nowIso) == 1 then
  redis.call('HSET', KEYS[2], 'channelId', ARGV[4], 'conversationId', ARGV[5])
end
-- 'd:<day>' and 'e:<address>' fields remember every index entry, so that a deletion can remove them all.
redis.call('HSET', KEYS[2], 'lastActivity', nowIso, 'd:' .. day, '1')
if email ~= '' then
  redis.call('HSET', KEYS[2], 'email', email, 'e:' .. email, '1')
end

for i = 1, #KEYS do
  redis.call('EXPIRE', KEYS[i], ttl)
end
return redis.call('LLEN', KEYS[1])
