import type { Middleware, TurnContext } from 'botbuilder';

/**
 * botbuilder's Confirm and Choice prompts pick their language from activity.locale; the product speaks
 * French whatever the client says (an English browser, Teams in English).
 */
export function frenchLocaleMiddleware(): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      context.activity.locale = 'fr-FR';
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        for (const a of activities) a.locale = 'fr-FR';
        return nextSend();
      });
      await next();
    },
  };
}
