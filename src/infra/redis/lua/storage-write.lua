-- All-or-nothing write of botbuilder state items with compare-and-set on eTags.
-- KEYS[i]: item keys. ARGV[1]: TTL in seconds (0 = none); then, per key, three arguments:
-- expected eTag ('' = unconditional), new eTag, JSON value.
-- Returns the number of items written, or -i when the eTag of KEYS[i] does not match (nothing written).
local ttl = tonumber(ARGV[1])

for i = 1, #KEYS do
  local expected = ARGV[(i - 1) * 3 + 2]
  if expected ~= '' then
    -- A missing item has no eTag: a stale eTag must not resurrect an item deleted in the meantime.
    if redis.call('HGET', KEYS[i], 'e') ~= expected then
      return -i
    end
  end
end

for i = 1, #KEYS do
  local base = (i - 1) * 3 + 2
  redis.call('HSET', KEYS[i], 'e', ARGV[base + 1], 'v', ARGV[base + 2])
  if ttl > 0 then
    redis.call('EXPIRE', KEYS[i], ttl)
  else
    redis.call('PERSIST', KEYS[i])
  end
end

return #KEYS
