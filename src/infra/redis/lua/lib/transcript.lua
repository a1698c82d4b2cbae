-- Shared by transcript-append.lua and turn-end.lua, inlined by scripts.ts.

-- Appends one turn of redacted lines to a conversation's transcript and its meta, at once, so that a
-- transcript never exists without its meta (which the helpdesk lists from). Both keys carry the
-- conversation's hash tag; the indexes are written by transcript-index.lua (one slot of their own).
-- a[base + 1 …]: ttl seconds, now (ISO), day, channelId, conversationId, email ('' = none), max lines,
-- max bytes, the truncation marker (JSON), the académie id ('' = none), then the lines as JSON.
-- Past either bound a line is dropped and counted in the meta's `dropped`; the first one dropped puts the
-- marker at the end, and nothing is appended after it: the transcript keeps its beginning, whole.
local function appendTranscript(list, meta, a, base)
  local ttl = tonumber(a[base + 1])
  local nowIso = a[base + 2]
  local day = a[base + 3]
  local email = a[base + 6]
  local maxLines = tonumber(a[base + 7])
  local maxBytes = tonumber(a[base + 8])
  local marker = a[base + 9]
  local academie = a[base + 10]

  local count = redis.call('LLEN', list)
  local bytes = tonumber(redis.call('HGET', meta, 'bytes') or '0')
  local truncated = redis.call('HEXISTS', meta, 'dropped') == 1
  local dropped = 0
  for i = base + 11, #a do
    local line = a[i]
    if not truncated and count < maxLines and bytes + #line <= maxBytes then
      redis.call('RPUSH', list, line)
      count = count + 1
      bytes = bytes + #line
    else
      if not truncated then
        redis.call('RPUSH', list, marker)
        truncated = true
      end
      dropped = dropped + 1
    end
  end

  if redis.call('HSETNX', meta, 'created', nowIso) == 1 then
    redis.call('HSET', meta, 'channelId', a[base + 4], 'conversationId', a[base + 5])
  end
  -- 'd:<day>' and 'e:<address>' fields remember every index entry, so that a deletion can remove them all.
  redis.call('HSET', meta, 'lastActivity', nowIso, 'd:' .. day, '1', 'bytes', bytes)
  if dropped > 0 then
    redis.call('HINCRBY', meta, 'dropped', dropped)
  end
  if email ~= '' then
    redis.call('HSET', meta, 'email', email, 'e:' .. email, '1')
  end
  if academie ~= '' then
    redis.call('HSET', meta, 'academie', academie)
  end

  redis.call('EXPIRE', list, ttl)
  redis.call('EXPIRE', meta, ttl)
  return count
end
