-- One account request, atomically. Times are epoch milliseconds from the APPLICATION clock (ARGV).
-- KEYS[1] account hash, KEYS[2] new request record, KEYS[3] new outbox mail, KEYS[4] outbox due set, then
-- the token record and the mail of each entry of ARGV[12], in order (see lib/requests.lua).
-- ARGV: 1 email, 2 password hash (PHC), 3 token hash, 4 link expiry, 5 now, 6 conversation JSON or '',
-- 7 conversation tag or '', 8 channel or '', 9 new mail id, 10 confirmation mail JSON,
-- 11 « already confirmed » mail JSON, 12 the `requests` field read by the caller, 13 the `noticeMail`
-- field read by the caller, 14 grace (ms), 15 most pending requests, 16 request times kept.
-- Returns 'created', 'added', 'replaced', 'already-confirmed', 'full' (nothing written), or 'retry' (the
-- account changed since the caller read it: nothing written).
--#include requests

local account, tokenKey, mailKey, dueKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[5])
local expiresAt = tonumber(ARGV[4])
local grace = tonumber(ARGV[14])

local current = redis.call('HMGET', account, 'status', 'requests', 'noticeMail')
if (current[2] or '') ~= ARGV[12] or (current[3] or '') ~= ARGV[13] then
  return 'retry'
end
local status = current[1]

if status == 'confirmed' then
  -- One « already confirmed » mail waits at a time: repeated requests do not pile them up. The account
  -- keeps its own TTL.
  if ARGV[13] == '' or not mailWaiting(dueKey, ARGV[13]) then
    enqueueMail(mailKey, dueKey, ARGV[9], ARGV[11], ARGV[5], grace)
    redis.call('HSET', account, 'noticeMail', ARGV[9])
  end
  return 'already-confirmed'
end

-- Decide before writing: a refused request changes nothing.
local tag = ARGV[7] ~= '' and ARGV[7] or '-'
local live, expired, same = {}, {}, nil
for _, r in ipairs(attachKeys(parseRequests(ARGV[12]), 5)) do
  if now >= r.expiresAt then
    expired[#expired + 1] = r
  elseif tag ~= '-' and r.tag == tag then
    same = r
  else
    live[#live + 1] = r
  end
end
local dropped
if #live >= tonumber(ARGV[15]) then
  -- The oldest request whose mail has left; never one still waiting for its mail.
  for i, r in ipairs(live) do
    if not mailWaiting(dueKey, r.mail) then
      dropped = table.remove(live, i)
      break
    end
  end
  if not dropped then
    return 'full'
  end
end

-- An expired link keeps its record (it answers « expired »); its mail, if still waiting, is useless.
for _, r in ipairs(expired) do
  withdrawMail(dueKey, r.mail, r.mailKey)
end
for _, r in ipairs({ same or false, dropped or false }) do
  if r then
    closeLink(r.tokenKey, 'replaced')
    withdrawMail(dueKey, r.mail, r.mailKey)
  end
end

local ttl = expiresAt - now + grace
writeLink(tokenKey, account, ARGV[1], expiresAt, ARGV[9], {
  passwordHash = ARGV[2], requestedAt = ARGV[5], conversation = ARGV[6], tag = ARGV[7], channel = ARGV[8],
}, ttl)
enqueueMail(mailKey, dueKey, ARGV[9], ARGV[10], ARGV[5], ttl)
live[#live + 1] = { tag = tag, hash = ARGV[3], mail = ARGV[9], expiresAt = expiresAt }

-- The latest request times, for the page's « several requests » warning.
local recent = {}
for at in string.gmatch(redis.call('HGET', account, 'recent') or '', '%d+') do
  recent[#recent + 1] = at
end
recent[#recent + 1] = ARGV[5]
while #recent > tonumber(ARGV[16]) do
  table.remove(recent, 1)
end

if not status then
  redis.call('HSET', account, 'createdAt', ARGV[5])
end
redis.call('HSET', account, 'status', 'pending', 'email', ARGV[1], 'updatedAt', ARGV[5],
  'requests', formatRequests(live), 'recent', table.concat(recent, ','))
expireWithRequests(account, live, now, grace)

if same then
  return 'replaced'
end
if status == 'pending' then
  return 'added'
end
return 'created'
