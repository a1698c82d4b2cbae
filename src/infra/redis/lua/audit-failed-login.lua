-- One failed helpdesk login counted for (hour, client address), in the audit's slot.
-- KEYS[1] the audit log (sorted set by time), KEYS[2] the hour's counts (hash).
-- ARGV: hour (epoch ms), address, kind ('f' failed | 'b' blocked), addresses per hour, hash TTL (ms),
--       trim before (epoch ms, exclusive), log TTL (ms).
-- The hour's first failure from an address adds one member `f|<hour>|<address>` to the log at the hour's
-- score; past the cap of distinct addresses, failures go to `*`. The hash's `#` counts those members.
local hour = ARGV[1]
local address = ARGV[2]
local member = 'f|' .. hour .. '|' .. address
if not redis.call('ZSCORE', KEYS[1], member) then
  if tonumber(redis.call('HGET', KEYS[2], '#') or '0') >= tonumber(ARGV[4]) then
    address = '*'
    member = 'f|' .. hour .. '|*'
  end
  if redis.call('ZADD', KEYS[1], 'NX', hour, member) == 1 then
    redis.call('HINCRBY', KEYS[2], '#', 1)
  end
end
redis.call('HINCRBY', KEYS[2], ARGV[3] .. ':' .. address, 1)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 1
