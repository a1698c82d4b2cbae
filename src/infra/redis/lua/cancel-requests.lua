-- Every pending request of an address (helpdesk), or only one conversation's (the teacher correcting
-- the address), stops working (« cancelled »); their unsent mails are withdrawn, and a pending account
-- left without requests is gone. The records keep their TTL, so each link can still say
-- what happened.
-- KEYS[1] account hash, KEYS[2] outbox due set, then the token record and the mail of each entry of
-- ARGV[1], in order. ARGV: 1 the `requests` field read by the caller, 2 a conversation's tag or '' (all),
-- 3 now, 4 grace (ms).
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
local kept, count = {}, 0
for _, r in ipairs(list) do
  if ARGV[2] == '' or r.tag == ARGV[2] then
    closeLink(r.tokenKey, 'cancelled')
    withdrawMail(dueKey, r.mail, r.mailKey)
    count = count + 1
  else
    kept[#kept + 1] = { tag = r.tag, hash = r.hash, mail = r.mail, expiresAt = r.expiresAt }
  end
end
if count == 0 then return { 'none' } end
if #kept == 0 then
  redis.call('DEL', account)
else
  redis.call('HSET', account, 'requests', formatRequests(kept), 'updatedAt', ARGV[3])
  expireWithRequests(account, kept, tonumber(ARGV[3]), tonumber(ARGV[4]))
end
return { 'cancelled', string.format('%d', count) }
