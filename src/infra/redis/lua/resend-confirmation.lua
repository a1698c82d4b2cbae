-- A new confirmation link for the newest pending request (of one conversation when ARGV[9] names its
-- tag), atomically; its password, conversation and
-- request time are kept, and its previous link answers « replaced ». Times are from the APPLICATION
-- clock (ARGV), never Redis TIME.
-- KEYS[1] account hash, KEYS[2] new request record, KEYS[3] new outbox mail, KEYS[4] outbox due set, then
-- the token record and the mail of each entry of ARGV[7], in order.
-- ARGV: 1 email, 2 token hash, 3 link expiry, 4 now, 5 new mail id, 6 confirmation mail JSON, 7 the
-- `requests` field read by the caller, 8 grace (ms), 9 the conversation's tag or '' (any).
-- Returns 'resent', 'confirmed', 'none', or 'retry' (the account changed: nothing written).
--#include requests

local account, tokenKey, mailKey, dueKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[4])
local expiresAt = tonumber(ARGV[3])
local grace = tonumber(ARGV[8])

local current = redis.call('HMGET', account, 'status', 'requests')
if current[1] == 'confirmed' then return 'confirmed' end
if current[1] ~= 'pending' then return 'none' end
if (current[2] or '') ~= ARGV[7] then
  return 'retry'
end

local list = attachKeys(parseRequests(ARGV[7]), 5)
local at = #list
if ARGV[9] ~= '' then
  while at > 0 and list[at].tag ~= ARGV[9] do at = at - 1 end
end
local newest = list[at]
if not newest then return 'none' end
local old = redis.call('HMGET', newest.tokenKey, 'state', 'passwordHash', 'conversation', 'tag', 'channel',
  'requestedAt')
if old[1] ~= 'pending' or not old[2] then return 'none' end
closeLink(newest.tokenKey, 'replaced')
withdrawMail(dueKey, newest.mail, newest.mailKey)

local ttl = expiresAt - now + grace
writeLink(tokenKey, account, ARGV[1], expiresAt, ARGV[5], {
  passwordHash = old[2], requestedAt = old[6] or ARGV[4], conversation = old[3] or '', tag = old[4] or '',
  channel = old[5] or '',
}, ttl)
enqueueMail(mailKey, dueKey, ARGV[5], ARGV[6], ARGV[4], ttl)
list[at] = { tag = newest.tag, hash = ARGV[2], mail = ARGV[5], expiresAt = expiresAt }
redis.call('HSET', account, 'requests', formatRequests(list), 'updatedAt', ARGV[4])
expireWithRequests(account, list, now, grace)
return 'resent'
