-- Shared by confirm-attempt.lua and confirm.lua, inlined by scripts.ts.

-- Why a request record cannot take a password now, or nil when it can. `ignoreAttempts`: the attempt that
-- verified was counted when taken, and may have been the last one.
local function linkRefusal(record, accountKey, accountStatus, now, maxAttempts, ignoreAttempts)
  local state, expiresAt = record.state, tonumber(record.expiresAt)
  if not state or not expiresAt or record.account ~= accountKey then
    return 'unknown'
  end
  -- What happened to the link matters more to the teacher than its age.
  if state ~= 'pending' then
    return state
  end
  -- The link is valid strictly before its expiry instant, as in the memory store.
  if now >= expiresAt then
    return 'expired'
  end
  if accountStatus == 'confirmed' then
    return 'superseded'
  end
  if accountStatus ~= 'pending' then
    return 'unknown'
  end
  if not ignoreAttempts and (tonumber(record.attempts) or 0) >= maxAttempts then
    return 'spent'
  end
  return nil
end
