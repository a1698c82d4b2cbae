-- Shared by the account scripts, inlined by scripts.ts at their include line. Times are epoch milliseconds
-- from the APPLICATION clock (ARGV), never Redis TIME.
--
-- An account hash lists its pending requests in one field, `requests`: entries « tag,tokenHash,mailId,expiry »
-- joined by « ; », oldest first (tag: the conversation's digest, '-' for none; every part is base64url,
-- hex, a uuid or digits, so neither separator can occur in them). The caller reads that field, passes
-- every entry's token record and mail in KEYS (a key built here would break on a Cluster) and the text it
-- read in ARGV; the script writes nothing and answers 'retry' if the field changed meanwhile.

local function parseRequests(text)
  local list = {}
  for entry in string.gmatch(text or '', '[^;]+') do
    local tag, hash, mail, expiry = string.match(entry, '^([^,]+),([^,]+),([^,]+),(%d+)$')
    if tag then
      list[#list + 1] = { tag = tag, hash = hash, mail = mail, expiresAt = tonumber(expiry) }
    end
  end
  return list
end

local function formatRequests(list)
  local parts = {}
  for i, r in ipairs(list) do
    parts[i] = r.tag .. ',' .. r.hash .. ',' .. r.mail .. ',' .. string.format('%d', r.expiresAt)
  end
  return table.concat(parts, ';')
end

-- Each entry's token record and mail keys, in KEYS from `first` on (two per entry, in list order).
local function attachKeys(list, first)
  for i, r in ipairs(list) do
    r.tokenKey = KEYS[first + 2 * (i - 1)]
    r.mailKey = KEYS[first + 2 * (i - 1) + 1]
  end
  return list
end

local function ttlText(ms)
  return string.format('%d', math.max(1, ms))
end

-- A shared key (the due set, the dead letters) lives at least as long as anything it lists.
local function keepAtLeast(key, ttl)
  local current = redis.call('PTTL', key)
  if current < 0 or current < ttl then
    redis.call('PEXPIRE', key, ttlText(ttl))
  end
end

-- A mail that has not left yet (due, held, or being sent right now) is withdrawn: its link no longer
-- works. Without its record the worker can neither retry nor dead-letter it.
local function withdrawMail(dueKey, mailId, mailKey)
  if redis.call('ZREM', dueKey, mailId) == 1 then
    redis.call('DEL', mailKey)
  end
end

local function mailWaiting(dueKey, mailId)
  return redis.call('ZSCORE', dueKey, mailId) ~= false
end

-- The link stops working with `state` and forgets the password and the conversation (only a pending
-- request needs them); its record keeps its TTL, so the page can still say what happened.
local function closeLink(tokenKey, state)
  if redis.call('HGET', tokenKey, 'state') == 'pending' then
    redis.call('HSET', tokenKey, 'state', state)
    redis.call('HDEL', tokenKey, 'passwordHash', 'conversation')
  end
end

local function enqueueMail(mailKey, dueKey, mailId, mailJson, nowText, ttl)
  redis.call('HSET', mailKey, 'mail', mailJson, 'attempts', '0', 'enqueuedAt', nowText)
  redis.call('PEXPIRE', mailKey, ttlText(ttl))
  redis.call('ZADD', dueKey, nowText, mailId)
  keepAtLeast(dueKey, ttl)
end

-- A fresh pending request record. `fields` holds passwordHash, requestedAt, and optionally conversation
-- and channel (the latter only without a conversation, whose reference names it). The conversation's tag
-- is in the account's `requests` entry, not here.
local function writeLink(tokenKey, account, email, expiresAt, mailId, fields, ttl)
  redis.call('DEL', tokenKey)
  redis.call('HSET', tokenKey, 'account', account, 'email', email, 'state', 'pending',
    'expiresAt', string.format('%d', expiresAt), 'attempts', '0', 'mailId', mailId,
    'passwordHash', fields.passwordHash, 'requestedAt', fields.requestedAt)
  for _, name in ipairs({ 'conversation', 'channel' }) do
    if fields[name] and fields[name] ~= '' then
      redis.call('HSET', tokenKey, name, fields[name])
    end
  end
  redis.call('PEXPIRE', tokenKey, ttlText(ttl))
end

-- A pending account lives as long as its longest link plus the grace.
local function expireWithRequests(account, list, now, grace)
  local latest = now
  for _, r in ipairs(list) do
    if r.expiresAt > latest then latest = r.expiresAt end
  end
  redis.call('PEXPIRE', account, ttlText(latest - now + grace))
end
