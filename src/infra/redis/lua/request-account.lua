-- One account request, atomically: one pending account and one valid link per address, whatever the
-- concurrency. Times are epoch milliseconds from the APPLICATION clock (ARGV), never Redis TIME.
-- KEYS[1] account hash, KEYS[2] new token record, KEYS[3] new outbox mail, KEYS[4] outbox due set,
-- then the previous token record (if ARGV[10] ~= '') and the previous mail (if ARGV[11] ~= '').
-- ARGV: 1 email, 2 password hash (PHC), 3 token hash, 4 token expiry, 5 now, 6 conversation JSON or '',
-- 7 new mail id, 8 confirmation mail JSON, 9 already-confirmed mail JSON, 10 previous token hash read by
-- the caller ('' = none), 11 previous mail id read by the caller ('' = none), 12 token grace.
-- Returns 'created', 'replaced', 'already-confirmed', or 'retry' (the previous link changed: nothing written).
--#include links

local account, tokenKey, mailKey, dueKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[5])
local grace = tonumber(ARGV[12])
local previousHash, previousMail = ARGV[10], ARGV[11]

local status = redis.call('HGET', account, 'status')
if status == 'confirmed' then
  enqueueMail(mailKey, dueKey, ARGV[7], ARGV[9], ARGV[5])
  return 'already-confirmed'
end

local outcome = 'created'
if status == 'pending' then
  if not currentLink(account, previousHash, previousMail) then
    return 'retry'
  end
  outcome = 'replaced'
  local previousTokenKey, previousMailKey = previousKeys(previousHash, previousMail)
  retireLink(dueKey, ARGV[3], now, grace, previousHash, previousTokenKey, previousMail, previousMailKey)
else
  redis.call('HSET', account, 'createdAt', ARGV[5])
end

redis.call('HSET', account,
  'status', 'pending',
  'email', ARGV[1],
  'passwordHash', ARGV[2],
  'updatedAt', ARGV[5],
  'tokenHash', ARGV[3],
  'tokenExpiresAt', ARGV[4],
  'outboxId', ARGV[7])
-- The conversation to notify is the one of the latest request, or none.
if ARGV[6] == '' then
  redis.call('HDEL', account, 'conversation')
else
  redis.call('HSET', account, 'conversation', ARGV[6])
end

issueLink(account, tokenKey, ARGV[1], ARGV[4], now, grace)
enqueueMail(mailKey, dueKey, ARGV[7], ARGV[8], ARGV[5])
return outcome
