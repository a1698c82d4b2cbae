import type { Middleware, TurnContext } from 'botbuilder';
import type { TurnGuard } from '../../infra/turn-guard';

/**
 * Channels retry a delivery they think failed (after 15 s), and two messages of one conversation can
 * arrive at once; BotState always saves with eTag '*', so turns of one conversation are serialised here
 * and a repeated activity id is answered once.
 */
export function turnGuardMiddleware(guard: TurnGuard): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const { channelId, id, conversation } = context.activity;
      if (id && channelId && (await guard.isDuplicate(channelId, id))) return;
      if (!conversation?.id) return next();
      await guard.withLock(`${channelId}:${conversation.id}`, next);
    },
  };
}
