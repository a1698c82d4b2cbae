import type { Middleware, TurnContext } from 'botbuilder';
import { NUMEN_DETECTED } from '../../../dialogs/types';
import { containsNumen, maskNumen } from '../../domain/understanding/numen';

const MASK = '[masqué]';

/**
 * A NUMEN typed by mistake is masked in the activity before anything else reads or stores it, and the
 * dialogs are told so that they warn the teacher instead of taking it as an answer.
 */
export function numenGuardMiddleware(): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const activity = context.activity;
      let found = false;
      if (typeof activity.text === 'string' && containsNumen(activity.text)) {
        activity.text = maskNumen(activity.text, MASK);
        found = true;
      }
      if (activity.value && typeof activity.value === 'object') {
        for (const [key, v] of Object.entries(activity.value as Record<string, unknown>)) {
          if (typeof v === 'string' && containsNumen(v)) {
            (activity.value as Record<string, unknown>)[key] = maskNumen(v, MASK);
            found = true;
          }
        }
      }
      if (found) context.turnState.set(NUMEN_DETECTED, true);
      await next();
    },
  };
}
