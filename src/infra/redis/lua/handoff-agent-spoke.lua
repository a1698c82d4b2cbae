-- An agent's message keeps the conversation theirs: the silence that sends it back starts again. Only
-- while it is taken: written after an end, the field would bring back a handoff without status nor expiry.
-- KEYS[1] the handoff's hash. ARGV: 1 now (epoch ms). Returns 1 when noted, 0 otherwise.
if redis.call('HGET', KEYS[1], 'status') ~= 'taken' then return 0 end
redis.call('HSET', KEYS[1], 'lastAgentAt', ARGV[1])
return 1
