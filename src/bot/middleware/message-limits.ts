import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { t } from '../../i18n';

/**
 * One cap on what the bot scans, for every activity type (message, event, invoke, conversation update…):
 * the text, the name, and every string of the value at any depth (card submits, Teams `value.action.data`,
 * the page's `passwordEntered` event). Past it the teacher gets a French answer and the turn goes no
 * further: no recogniser, no dialog, no state, no transcript.
 *
 * Attachments are not capped: Teams sends a `text/html` copy of every message, longer than its text, and
 * nothing reads it but the NUMEN guard and the redaction, which are linear.
 */
export function messageLimitsMiddleware(maxLength: number): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      if (exceedsLimits(context.activity, maxLength)) {
        await context.sendActivity(t('bot.tooLong'));
        return;
      }
      await next();
    },
  };
}

/**
 * True when the text, the name or a string (key or value) of the value is longer than `maxLength`, or the
 * value as a whole holds more than twice that (many short strings cost as much to scan as a long one).
 */
export function exceedsLimits(activity: Partial<Activity>, maxLength: number): boolean {
  const { text, name, value } = activity;
  if (typeof text === 'string' && text.length > maxLength) return true;
  if (typeof name === 'string' && name.length > maxLength) return true;
  return value !== undefined && valueExceeds(value, maxLength);
}

/**
 * An explicit stack rather than recursion, and every node counted: whatever its depth or width, a value is
 * walked once and the walk stops as soon as the budget is spent.
 */
function valueExceeds(value: unknown, maxLength: number): boolean {
  const budget = maxLength * 2;
  let used = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    used += 1;
    if (typeof node === 'string') {
      if (node.length > maxLength) return true;
      used += node.length;
    } else if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        if (key.length > maxLength) return true;
        used += key.length;
        stack.push(item);
      }
    }
    if (used > budget) return true;
  }
  return false;
}
