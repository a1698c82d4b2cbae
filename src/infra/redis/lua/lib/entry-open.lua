-- Shared by password-entry-begin.lua and password-entry-complete.lua, inlined by scripts.ts.

-- Why a password-entry record cannot take a submit now, or nil when it can (pending, or hashing by the
-- submit that took it, and not expired).
local function entryRefusal(status, expiresAt, now)
  if not status or not expiresAt then
    return 'unknown'
  end
  if status == 'revoked' then
    return 'replaced'
  end
  if status ~= 'pending' and status ~= 'hashing' then
    return 'used'
  end
  if now >= expiresAt then
    return 'expired'
  end
  return nil
end
