import type { Middleware, TurnContext } from 'botbuilder';
import type { TurnGuard } from '../../domain/turns/ports';
import { type TranscriptHandOff, TURN_TRANSCRIPT, type TurnStorage } from '../turn-state';
import { traceOf } from '../turn-trace';

/**
 * Channels retry a delivery they think failed (after 15 s), and two messages of one conversation can
 * arrive at once; BotState always saves with eTag '*', so the turns of one conversation are serialised
 * here and a repeated activity id is answered once (unless its first turn failed).
 *
 * Two round trips per turn: `begin` drops a duplicate, takes the lock and reads the state; the turn runs
 * on that state (TurnStorage); `end` writes the state the turn saved, appends its transcript lines (left
 * by the transcript middleware, which runs inside this one) and releases the lock.
 */
export function turnGuardMiddleware(guard: TurnGuard, storage: TurnStorage): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const { channelId, id, conversation } = context.activity;
      const conversationId = conversation?.id;
      if (!channelId || !conversationId) {
        await next();
        return;
      }
      const trace = traceOf(context.activity);
      if (trace) trace.beginSent = performance.now();
      const turn = await guard.begin({ channelId, conversationId, activityId: id });
      if (trace) trace.beginDone = performance.now();
      if (turn === 'duplicate') {
        if (trace) trace.outcome = 'duplicate';
        return;
      }
      if (trace) trace.lockWaitMs = turn.lockWaitMs;
      const slot = storage.attach(context, turn);
      const handOff: TranscriptHandOff = {};
      context.turnState.set(TURN_TRANSCRIPT, handOff);
      try {
        await next();
      } catch (error) {
        storage.detach(context, slot);
        context.turnState.delete(TURN_TRANSCRIPT);
        // A failed turn saved nothing: the channel's retry of it must be processed, not dropped. Its own
        // failure matters more than the end's (which frees the lock in the background when it can).
        if (trace) {
          trace.outcome = 'failed';
          trace.endSent = performance.now();
        }
        await turn.end({ failed: true, transcript: handOff.entry }).catch(() => undefined);
        if (trace) trace.endDone = performance.now();
        throw error;
      }
      storage.detach(context, slot);
      context.turnState.delete(TURN_TRANSCRIPT);
      if (trace) trace.endSent = performance.now();
      try {
        await turn.end({ failed: false, state: slot.pending, transcript: handOff.entry });
      } catch (error) {
        if (trace) trace.outcome = 'failed';
        throw error;
      } finally {
        if (trace) trace.endDone = performance.now();
      }
    },
  };
}
