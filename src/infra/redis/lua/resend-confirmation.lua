-- A new confirmation link for a still-pending account, atomically; the password is kept.
-- Times are epoch milliseconds from the APPLICATION clock (ARGV), never Redis TIME.
-- KEYS[1] account hash, KEYS[2] new token record, KEYS[3] new outbox mail, KEYS[4] outbox due set.
-- ARGV: 1 email, 2 token hash, 3 token expiry, 4 now, 5 new mail id, 6 confirmation mail JSON,
-- 7 key prefix, 8 token grace.
-- Returns 'resent', 'confirmed' or 'none'.
local account, tokenKey, mailKey, dueKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[4])
local expiresAt = tonumber(ARGV[3])
local prefix = ARGV[7]
local grace = tonumber(ARGV[8])

local status = redis.call('HGET', account, 'status')
if status == 'confirmed' then return 'confirmed' end
if status ~= 'pending' then return 'none' end

local function tokenTtl(expiry)
  return string.format('%d', math.max(0, expiry - now) + grace)
end

local previous = redis.call('HMGET', account, 'tokenHash', 'outboxId')
local previousHash, previousMail = previous[1], previous[2]
if previousHash and previousHash ~= ARGV[2] then
  local previousKey = prefix .. 'acct:token:' .. previousHash
  local previousExpiry = tonumber(redis.call('HGET', previousKey, 'expiresAt'))
  if previousExpiry then
    redis.call('HSET', previousKey, 'state', 'replaced')
    redis.call('PEXPIRE', previousKey, tokenTtl(previousExpiry))
  end
end
if previousMail and redis.call('ZREM', dueKey, previousMail) == 1 then
  redis.call('DEL', prefix .. 'outbox:mail:' .. previousMail)
end

redis.call('HSET', account, 'updatedAt', ARGV[4], 'tokenHash', ARGV[2], 'tokenExpiresAt', ARGV[3], 'outboxId', ARGV[5])
redis.call('DEL', tokenKey)
redis.call('HSET', tokenKey, 'email', ARGV[1], 'account', account, 'state', 'pending', 'expiresAt', ARGV[3])
redis.call('PEXPIRE', tokenKey, tokenTtl(expiresAt))

redis.call('HSET', mailKey, 'mail', ARGV[6], 'attempts', '0', 'enqueuedAt', ARGV[4])
redis.call('ZADD', dueKey, ARGV[4], ARGV[5])
return 'resent'
