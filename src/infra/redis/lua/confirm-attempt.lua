-- Takes one password attempt on a confirmation link, atomically, so that parallel submits get no more
-- tries than MAX_CONFIRM_ATTEMPTS. Times are from the APPLICATION clock (ARGV), never Redis TIME.
-- KEYS[1] request record, KEYS[2] the account it names (read by the caller from the record: a key taken
-- from a value inside the script would break on a Cluster). ARGV: 1 now, 2 most attempts.
-- Returns { 'open', password hash, attempts left after this one } or { closed state }.
--#include link-state

local tokenKey, account = KEYS[1], KEYS[2]
local f = redis.call('HMGET', tokenKey, 'state', 'expiresAt', 'account', 'attempts', 'passwordHash')
local record = { state = f[1], expiresAt = f[2], account = f[3], attempts = f[4] }
local refusal = linkRefusal(record, account, redis.call('HGET', account, 'status'), tonumber(ARGV[1]),
  tonumber(ARGV[2]), false)
if refusal then
  return { refusal }
end
if not f[5] then
  return { 'unknown' }
end
local attempts = redis.call('HINCRBY', tokenKey, 'attempts', 1)
return { 'open', f[5], string.format('%d', tonumber(ARGV[2]) - attempts) }
