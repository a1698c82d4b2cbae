-- Helpdesk: every pending request of an address stops working (« cancelled »), their unsent mails are
-- withdrawn, and the pending account is gone. The records keep their TTL, so each link can still say
-- what happened.
-- KEYS[1] account hash, KEYS[2] outbox due set, then the token record and the mail of each entry of
-- ARGV[1], in order. ARGV: 1 the `requests` field read by the caller.
-- Returns { 'cancelled', count }, { 'confirmed' }, { 'none' }, or { 'retry' } (nothing written).
--#include requests

local account, dueKey = KEYS[1], KEYS[2]
local current = redis.call('HMGET', account, 'status', 'requests')
if current[1] == 'confirmed' then return { 'confirmed' } end
if current[1] ~= 'pending' then return { 'none' } end
if (current[2] or '') ~= ARGV[1] then
  return { 'retry' }
end
local list = attachKeys(parseRequests(ARGV[1]), 3)
for _, r in ipairs(list) do
  closeLink(r.tokenKey, 'cancelled')
  withdrawMail(dueKey, r.mail, r.mailKey)
end
redis.call('DEL', account)
return { 'cancelled', string.format('%d', #list) }
