-- Reads the PHC of an entered entry for the dialog, without consuming it: the dialog's turn may still
-- fail before the account exists, and the page's password must then still be there for the next turn.
-- KEYS[1] the entry, by token hash. ARGV: 1 the entry id the dialog holds.
-- Returns { email, PHC }, 'consumed' once the account was requested with it, or false.
local record = redis.call('HMGET', KEYS[1], 'status', 'id', 'email', 'passwordHash')
if record[2] ~= ARGV[1] then
  return false
end
if record[1] == 'claimed' then
  return 'consumed'
end
if record[1] ~= 'entered' or not record[4] then
  return false
end
return { record[3], record[4] }
