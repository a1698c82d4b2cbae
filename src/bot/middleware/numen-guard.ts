import type { Middleware, TurnContext } from 'botbuilder';
import { NUMEN_DETECTED } from '../../../dialogs/types';
import { MASK } from '../../domain/mask';
import { containsNumen, maskNumen } from '../../domain/understanding/numen';

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
      if (activity.value && typeof activity.value === 'object' && maskNested(activity.value)) found = true;
      if (found) context.turnState.set(NUMEN_DETECTED, true);
      await next();
    },
  };
}

/**
 * Masks NUMENs at any depth of a card's value (Teams nests them in `value.action.data`), in place.
 * The body reader caps the depth, so recursion is bounded.
 */
function maskNested(node: object): boolean {
  let found = false;
  const record = node as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    if (typeof v === 'string' && containsNumen(v)) {
      record[key] = maskNumen(v, MASK);
      found = true;
    } else if (v && typeof v === 'object' && maskNested(v)) {
      found = true;
    }
  }
  return found;
}
