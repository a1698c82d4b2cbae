-- One account request, atomically: one pending account and one valid link per address, whatever the
-- concurrency. Times are epoch milliseconds from the APPLICATION clock (ARGV), never Redis TIME.
-- KEYS[1] account hash, KEYS[2] new token record, KEYS[3] new outbox mail, KEYS[4] outbox due set.
-- ARGV: 1 email, 2 password hash (PHC), 3 token hash, 4 token expiry, 5 now, 6 conversation JSON or '',
-- 7 new mail id, 8 confirmation mail JSON, 9 already-confirmed mail JSON, 10 key prefix, 11 token grace.
-- Returns 'created', 'replaced' or 'already-confirmed'.
local account, tokenKey, mailKey, dueKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[5])
local expiresAt = tonumber(ARGV[4])
local prefix = ARGV[10]
local grace = tonumber(ARGV[11])

-- A token record outlives its link by a grace period, so that an old link can still be told apart
-- ('expired', 'used', 'replaced') from a link that never existed.
local function tokenTtl(expiry)
  return string.format('%d', math.max(0, expiry - now) + grace)
end

local function enqueue(mailJson)
  redis.call('HSET', mailKey, 'mail', mailJson, 'attempts', '0', 'enqueuedAt', ARGV[5])
  redis.call('ZADD', dueKey, ARGV[5], ARGV[7])
end

local status = redis.call('HGET', account, 'status')
if status == 'confirmed' then
  enqueue(ARGV[9])
  return 'already-confirmed'
end

local outcome = 'created'
if status == 'pending' then
  outcome = 'replaced'
  local previous = redis.call('HMGET', account, 'tokenHash', 'outboxId')
  local previousHash, previousMail = previous[1], previous[2]
  if previousHash and previousHash ~= ARGV[3] then
    local previousKey = prefix .. 'acct:token:' .. previousHash
    local previousExpiry = tonumber(redis.call('HGET', previousKey, 'expiresAt'))
    if previousExpiry then
      redis.call('HSET', previousKey, 'state', 'replaced')
      redis.call('PEXPIRE', previousKey, tokenTtl(previousExpiry))
    end
  end
  -- Still in the due set means not sent yet (or being sent right now): withdraw it. Its link would only
  -- say « replaced ». Without its record the worker can neither retry nor dead-letter it.
  if previousMail and redis.call('ZREM', dueKey, previousMail) == 1 then
    redis.call('DEL', prefix .. 'outbox:mail:' .. previousMail)
  end
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

redis.call('DEL', tokenKey)
redis.call('HSET', tokenKey, 'email', ARGV[1], 'account', account, 'state', 'pending', 'expiresAt', ARGV[4])
redis.call('PEXPIRE', tokenKey, tokenTtl(expiresAt))

enqueue(ARGV[8])
return outcome
