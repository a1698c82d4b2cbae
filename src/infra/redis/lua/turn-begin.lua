-- Before a turn, in one call: the duplicate filter, the conversation's lock and its state. Every key
-- carries the conversation's hash tag (keys.ts, conversationKeys).
-- KEYS[1]: lock, KEYS[2]: state hash, KEYS[3]: transcript meta, KEYS[4] (optional): the activity's entry
-- in the duplicate filter.
-- ARGV[1]: owner token, ARGV[2]: lease (ms), ARGV[3]: how long an activity is remembered (s),
-- ARGV[4]: the transcript meta's field of today's index entry ('d:<day>').
-- Returns 0 for a repeated activity (nothing else done); 1 when another turn holds the lock (the activity
-- stays recorded: the caller waits, then calls again without KEYS[4]); otherwise { eTag, JSON } of the
-- state ('' when there is none) and 1 when the transcript is already in today's index, else 0.
if KEYS[4] and not redis.call('SET', KEYS[4], '1', 'EX', ARGV[3], 'NX') then
  return 0
end
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return 1
end
local state = redis.call('HMGET', KEYS[2], 'e', 'v')
return { state[1] or '', state[2] or '', redis.call('HEXISTS', KEYS[3], ARGV[4]) }
