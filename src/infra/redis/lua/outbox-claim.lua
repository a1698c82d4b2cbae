-- Takes up to ARGV[2] due mails and hides them until ARGV[3] (their lease) by moving their score forward,
-- so that two workers never send one mail twice; a worker that dies mid-send releases it by expiry.
-- KEYS[1] due set. ARGV: 1 now, 2 limit, 3 lease end, 4 key prefix.
-- Returns a flat list: id, mail JSON, attempts, id, mail JSON, attempts, …
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, id in ipairs(ids) do
  local entry = redis.call('HMGET', ARGV[4] .. 'outbox:mail:' .. id, 'mail', 'attempts')
  if entry[1] then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    table.insert(claimed, id)
    table.insert(claimed, entry[1])
    table.insert(claimed, entry[2] or '0')
  else
    -- An id without its record was withdrawn or is corrupt: drop it rather than spin on it.
    redis.call('ZREM', KEYS[1], id)
  end
end
return claimed
