-- Indexes one conversation for the helpdesk. The indexes share one hash tag (they are small: one member
-- per conversation and index), while each transcript has its own; an index entry whose transcript is
-- missing is skipped on read, so writing the indexes first never shows a half-written conversation.
-- KEYS[1]: by-channel zset, KEYS[2]: by-day zset, KEYS[3] (optional): by-address zset.
-- ARGV: ttl seconds, now (ms), prune-before (ms), member.
local ttl = tonumber(ARGV[1])
local nowMs = tonumber(ARGV[2])
local pruneBefore = ARGV[3]
local member = ARGV[4]

-- Index scores are the last activity: entries older than the retention point to expired transcripts.
redis.call('ZADD', KEYS[1], nowMs, member)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. pruneBefore)
redis.call('ZADD', KEYS[2], 'NX', nowMs, member)
if KEYS[3] then
  redis.call('ZADD', KEYS[3], nowMs, member)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. pruneBefore)
end

for i = 1, #KEYS do
  redis.call('EXPIRE', KEYS[i], ttl)
end
return #KEYS
