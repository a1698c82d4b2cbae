-- Confirms an account with one request, after its password was verified: the first request confirmed
-- wins, every other pending link of the address answers « superseded » and their unsent mails are
-- withdrawn. Times are from the APPLICATION clock (ARGV), never Redis TIME.
-- KEYS[1] request record, KEYS[2] its account (read by the caller from the record), KEYS[3] outbox due
-- set, then the token record and the mail of each entry of ARGV[3], in order.
-- ARGV: 1 now, 2 token hash, 3 the account's `requests` field read by the caller, 4 the confirmed
-- account's TTL (ms), 5 most attempts.
-- Returns { 'confirmed', email, conversation JSON or '' }, { closed state }, or { 'retry' } (nothing written).
--#include requests
--#include link-state

local tokenKey, account, dueKey = KEYS[1], KEYS[2], KEYS[3]
local f = redis.call('HMGET', tokenKey, 'state', 'expiresAt', 'account', 'attempts', 'passwordHash',
  'conversation', 'email')
local current = redis.call('HMGET', account, 'status', 'requests')
local record = { state = f[1], expiresAt = f[2], account = f[3], attempts = f[4] }
local refusal = linkRefusal(record, account, current[1], tonumber(ARGV[1]), tonumber(ARGV[5]), true)
if refusal then
  return { refusal }
end
if (current[2] or '') ~= ARGV[3] then
  return { 'retry' }
end
local list = attachKeys(parseRequests(ARGV[3]), 4)
local listed = false
for _, r in ipairs(list) do
  if r.hash == ARGV[2] then listed = true end
end
if not listed or not f[5] then
  return { 'replaced' }
end

for _, r in ipairs(list) do
  if r.hash ~= ARGV[2] then
    closeLink(r.tokenKey, 'superseded')
  end
  withdrawMail(dueKey, r.mail, r.mailKey)
end
redis.call('HSET', account, 'status', 'confirmed', 'passwordHash', f[5], 'confirmedAt', ARGV[1],
  'updatedAt', ARGV[1])
redis.call('HDEL', account, 'requests', 'recent', 'noticeMail')
redis.call('PEXPIRE', account, ttlText(tonumber(ARGV[4])))
redis.call('HSET', tokenKey, 'state', 'used')
redis.call('HDEL', tokenKey, 'passwordHash', 'conversation')
return { 'confirmed', f[7], f[6] or '' }
