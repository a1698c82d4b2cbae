-- A conversation joins the helpdesk's queue, unless it is in it already (waiting or taken).
-- KEYS[1] the handoff's hash, KEYS[2] the queue. ARGV: 1 member, 2 now, 3 data JSON, 4 ttl ms.
-- Returns 'queued' or 'already'.
if redis.call('EXISTS', KEYS[1]) == 1 then return 'already' end
redis.call('HSET', KEYS[1], 'status', 'waiting', 'since', ARGV[2], 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
return 'queued'
