-- Appends one turn of redacted lines to a conversation's transcript and its meta, at once, so that a
-- transcript never exists without its meta (which the helpdesk lists from). Both keys carry the
-- conversation's hash tag; the indexes are written by transcript-index.lua just before.
-- KEYS[1]: list of lines, KEYS[2]: meta hash.
-- ARGV: ttl seconds, now (ISO), day, channelId, conversationId, email ('' = none), max lines, max bytes,
-- the truncation marker (JSON), the académie id ('' = none), then the lines as JSON.
-- Past either bound a line is dropped and counted in the meta's `dropped`; the first one dropped puts the
-- marker at the end, and nothing is appended after it: the transcript keeps its beginning, whole.
local ttl = tonumber(ARGV[1])
local nowIso = ARGV[2]
local day = ARGV[3]
local email = ARGV[6]
local maxLines = tonumber(ARGV[7])
local maxBytes = tonumber(ARGV[8])
local marker = ARGV[9]
local academie = ARGV[10]

local count = redis.call('LLEN', KEYS[1])
local bytes = tonumber(redis.call('HGET', KEYS[2], 'bytes') or '0')
local truncated = redis.call('HEXISTS', KEYS[2], 'dropped') == 1
local dropped = 0
for i = 11, #ARGV do
  local line = ARGV[i]
  if not truncated and count < maxLines and bytes + #line <= maxBytes then
    redis.call('RPUSH', KEYS[1], line)
    count = count + 1
    bytes = bytes + #line
  else
    if not truncated then
      redis.call('RPUSH', KEYS[1], marker)
      truncated = true
    end
    dropped = dropped + 1
  end
end

if redis.call('HSETNX', KEYS[2], 'created', nowIso) == 1 then
  redis.call('HSET', KEYS[2], 'channelId', ARGV[4], 'conversationId', ARGV[5])
end
-- 'd:<day>' and 'e:<address>' fields remember every index entry, so that a deletion can remove them all.
redis.call('HSET', KEYS[2], 'lastActivity', nowIso, 'd:' .. day, '1', 'bytes', bytes)
if dropped > 0 then
  redis.call('HINCRBY', KEYS[2], 'dropped', dropped)
end
if email ~= '' then
  redis.call('HSET', KEYS[2], 'email', email, 'e:' .. email, '1')
end
if academie ~= '' then
  redis.call('HSET', KEYS[2], 'academie', academie)
end

for i = 1, #KEYS do
  redis.call('EXPIRE', KEYS[i], ttl)
end
return count
