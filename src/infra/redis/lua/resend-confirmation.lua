-- A new confirmation link for a still-pending account, atomically; the password is kept.
-- Times are epoch milliseconds from the APPLICATION clock (ARGV), never Redis TIME.
-- KEYS[1] account hash, KEYS[2] new token record, KEYS[3] new outbox mail, KEYS[4] outbox due set,
-- then the previous token record (if ARGV[7] ~= '') and the previous mail (if ARGV[8] ~= '').
-- ARGV: 1 email, 2 token hash, 3 token expiry, 4 now, 5 new mail id, 6 confirmation mail JSON,
-- 7 previous token hash read by the caller ('' = none), 8 previous mail id read by the caller ('' = none),
-- 9 token grace.
-- Returns 'resent', 'confirmed', 'none', or 'retry' (the previous link changed: nothing written).
--#include links

local account, tokenKey, mailKey, dueKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[4])
local grace = tonumber(ARGV[9])
local previousHash, previousMail = ARGV[7], ARGV[8]

local status = redis.call('HGET', account, 'status')
if status == 'confirmed' then return 'confirmed' end
if status ~= 'pending' then return 'none' end
if not currentLink(account, previousHash, previousMail) then
  return 'retry'
end

local previousTokenKey, previousMailKey = previousKeys(previousHash, previousMail)
retireLink(dueKey, ARGV[2], now, grace, previousHash, previousTokenKey, previousMail, previousMailKey)

redis.call('HSET', account, 'updatedAt', ARGV[4], 'tokenHash', ARGV[2], 'tokenExpiresAt', ARGV[3], 'outboxId', ARGV[5])
issueLink(account, tokenKey, ARGV[1], ARGV[3], now, grace)
enqueueMail(mailKey, dueKey, ARGV[5], ARGV[6], ARGV[4])
return 'resent'
