-- Shared by request-account.lua and resend-confirmation.lua, inlined by scripts.ts at their include line.
-- Times are epoch milliseconds from the APPLICATION clock (ARGV), never Redis TIME.

-- A token record outlives its link by a grace period, so that an old link can still be told apart
-- ('expired', 'used', 'replaced') from a link that never existed.
local function tokenTtl(expiry, now, grace)
  return string.format('%d', math.max(0, expiry - now) + grace)
end

-- The caller read the account's current token hash and mail id before the call, to pass their keys in
-- KEYS (a key built here would break on a Cluster). If another request changed them since, nothing may
-- be written: the caller reads again and retries.
local function currentLink(account, expectedHash, expectedMail)
  local current = redis.call('HMGET', account, 'tokenHash', 'outboxId')
  return (current[1] or '') == expectedHash and (current[2] or '') == expectedMail
end

-- The previous link's keys follow the four fixed ones, each only when there is one.
local function previousKeys(expectedHash, expectedMail)
  local index = 5
  local tokenKey, mailKey
  if expectedHash ~= '' then
    tokenKey = KEYS[index]
    index = index + 1
  end
  if expectedMail ~= '' then
    mailKey = KEYS[index]
  end
  return tokenKey, mailKey
end

-- The previous link now answers « replaced »; its mail, if not sent yet (still in the due set, or being
-- sent right now), is withdrawn: its link would only say « replaced ». Without its record the worker can
-- neither retry nor dead-letter it.
local function retireLink(dueKey, newHash, now, grace, previousHash, previousTokenKey, previousMail, previousMailKey)
  if previousTokenKey and previousHash ~= newHash then
    local previousExpiry = tonumber(redis.call('HGET', previousTokenKey, 'expiresAt'))
    if previousExpiry then
      redis.call('HSET', previousTokenKey, 'state', 'replaced')
      redis.call('PEXPIRE', previousTokenKey, tokenTtl(previousExpiry, now, grace))
    end
  end
  if previousMailKey and redis.call('ZREM', dueKey, previousMail) == 1 then
    redis.call('DEL', previousMailKey)
  end
end

local function enqueueMail(mailKey, dueKey, mailId, mailJson, nowText)
  redis.call('HSET', mailKey, 'mail', mailJson, 'attempts', '0', 'enqueuedAt', nowText)
  redis.call('ZADD', dueKey, nowText, mailId)
end

-- A fresh token record pointing at the account, and its confirmation mail.
local function issueLink(account, tokenKey, email, expiresAtText, now, grace)
  redis.call('DEL', tokenKey)
  redis.call('HSET', tokenKey, 'email', email, 'account', account, 'state', 'pending', 'expiresAt', expiresAtText)
  redis.call('PEXPIRE', tokenKey, tokenTtl(tonumber(expiresAtText), now, grace))
end
