import type { Middleware, TurnContext } from 'botbuilder';
import { t } from '../../i18n';

/** A huge message is answered in French and goes no further: no recogniser, no state, no transcript. */
export function messageLimitsMiddleware(maxLength: number): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const { type, text, value } = context.activity;
      const valueSize = value === undefined ? 0 : jsonSize(value);
      if (type === 'message' && ((text?.length ?? 0) > maxLength || valueSize > maxLength * 2)) {
        await context.sendActivity(t('bot.tooLong'));
        return;
      }
      await next();
    },
  };
}

/** JSON size without recursion (the body reader already capped depth; this stays safe regardless). */
function jsonSize(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
