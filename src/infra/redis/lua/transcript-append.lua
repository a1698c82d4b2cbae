-- Appends one turn of lines to a conversation's transcript (lib/transcript.lua), for the writes that are
-- not part of a turn's end (turn-end.lua): the apology of a failed turn, botbuilder's TranscriptLogger.
-- KEYS[1]: list of lines, KEYS[2]: meta hash. ARGV: as appendTranscript's, from ARGV[1].
--#include transcript
return appendTranscript(KEYS[1], KEYS[2], ARGV, 0)
