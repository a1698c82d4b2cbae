import type { Middleware, TurnContext } from 'botbuilder';
import { NUMEN_DETECTED } from '../../../dialogs/types';
import { MASK } from '../../domain/mask';
import { containsNumen, maskNumen, maskNumenInHtml } from '../../domain/understanding/numen';

/**
 * A NUMEN typed by mistake is masked in the activity before anything else reads or stores it, and the
 * dialogs are told so that they warn the teacher instead of taking it as an answer. The text, every string
 * of the value, and the rich-text copies of the message (Teams attaches its `text/html` to every message)
 * are masked; in any spelling (see numen.ts), in one linear pass each.
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
      if (Array.isArray(activity.attachments) && maskTextAttachments(activity.attachments)) found = true;
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

/**
 * `text/html` and `text/plain` attachments with inline content: the copy of what was typed. In HTML a
 * NUMEN may be split by tags or `&nbsp;`; the plain pass after it also catches one inside an attribute.
 */
function maskTextAttachments(attachments: unknown[]): boolean {
  let found = false;
  for (const attachment of attachments) {
    if (!attachment || typeof attachment !== 'object') continue;
    const record = attachment as { contentType?: unknown; content?: unknown };
    if (typeof record.content !== 'string' || typeof record.contentType !== 'string') continue;
    if (!record.contentType.toLowerCase().startsWith('text/')) continue;
    const html = record.contentType.toLowerCase().includes('html');
    const masked = maskNumen(html ? maskNumenInHtml(record.content, MASK) : record.content, MASK);
    if (masked !== record.content) {
      record.content = masked;
      found = true;
    }
  }
  return found;
}
