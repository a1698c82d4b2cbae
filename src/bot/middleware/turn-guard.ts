import type { Middleware, TurnContext } from 'botbuilder';
import type { TurnGuard } from '../../infra/turn-guard';

/**
 * Channels retry a delivery they think failed (after 15 s), and two messages of one conversation can
 * arrive at once; BotState always saves with eTag '*', so turns of one conversation are serialised here
 * and a repeated activity id is answered once (unless its first turn failed).
 */
export function turnGuardMiddleware(guard: TurnGuard): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const { channelId, id, conversation } = context.activity;
      // Teams ids are epoch milliseconds: unique per conversation, not across teachers.
      const activityKey = `${conversation?.id ?? ''}|${id ?? ''}`;
      const tracked = Boolean(id && channelId);
      if (tracked && (await guard.isDuplicate(channelId, activityKey))) return;
      try {
        if (!conversation?.id) await next();
        else await guard.withLock(`${channelId}:${conversation.id}`, next);
      } catch (error) {
        // A failed turn saved nothing: the channel's retry of it must be processed, not dropped.
        if (tracked) await guard.forget(channelId, activityKey).catch(() => undefined);
        throw error;
      }
    },
  };
}
