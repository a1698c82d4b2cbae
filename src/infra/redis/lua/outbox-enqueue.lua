-- Queues one mail that no account script writes (tests, tools), with the TTL every outbox record has.
-- KEYS[1] mail record, KEYS[2] due set. ARGV: 1 mail id, 2 mail JSON, 3 now, 4 TTL (ms).
--#include requests

enqueueMail(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
return 1
