-- Takes a pending link for one submit, before argon2: only the POST that gets 'hashing' hashes; the
-- others (a double click, a script) are told 'busy'. The lease frees the link if the process dies while
-- hashing. `now` is the APPLICATION clock (ARGV).
-- KEYS[1] the entry, by token hash. ARGV: 1 now, 2 lease end.
-- Returns 'hashing', or why not: 'busy' | 'unknown' | 'used' | 'replaced' | 'expired'.
--#include entry-open
local record = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'hashingUntil')
local status, expiresAt, hashingUntil = record[1], tonumber(record[2]), tonumber(record[3])
if status == 'hashing' and hashingUntil and tonumber(ARGV[1]) < hashingUntil then
  return 'busy'
end
local refusal = entryRefusal(status, expiresAt, tonumber(ARGV[1]))
if refusal then
  return refusal
end
redis.call('HSET', KEYS[1], 'status', 'hashing', 'hashingUntil', ARGV[2])
return 'hashing'
