-- After a turn, in one call: the state written if nobody wrote it since it was read (compare-and-set on
-- its eTag), the turn's transcript appended (lib/transcript.lua), the lock released if still ours. Every
-- key carries the conversation's hash tag (keys.ts, conversationKeys).
-- KEYS[1]: lock, KEYS[2]: state hash, KEYS[3]: transcript list, KEYS[4]: transcript meta, KEYS[5]
-- (optional): the activity's entry in the duplicate filter.
-- ARGV[1]: owner token; ARGV[2]: '1' when the turn failed (its activity is forgotten, so that the
-- channel's retry is processed); ARGV[3]: '' (state left as it is), 'w' (write) or 'd' (delete);
-- ARGV[4]: the eTag read before the turn ('' = there was no state); ARGV[5]: the new eTag; ARGV[6]: the
-- JSON; ARGV[7]: the state's TTL in seconds (0 = none); ARGV[8]: '' without transcript, else from ARGV[8]
-- the arguments of appendTranscript.
-- Returns 1, or -1 when the state changed since it was read: it is not written, the rest is done and the
-- activity forgotten (the turn failed).
--#include transcript
local status = 1
local op = ARGV[3]
if op ~= '' then
  if (redis.call('HGET', KEYS[2], 'e') or '') ~= ARGV[4] then
    status = -1
  elseif op == 'w' then
    redis.call('HSET', KEYS[2], 'e', ARGV[5], 'v', ARGV[6])
    local ttl = tonumber(ARGV[7])
    if ttl > 0 then
      redis.call('EXPIRE', KEYS[2], ttl)
    else
      redis.call('PERSIST', KEYS[2])
    end
  else
    redis.call('DEL', KEYS[2])
  end
end

if ARGV[8] ~= '' then
  appendTranscript(KEYS[3], KEYS[4], ARGV, 7)
end

if KEYS[5] and (ARGV[2] == '1' or status < 0) then
  redis.call('DEL', KEYS[5])
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return status
