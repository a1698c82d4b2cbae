import type { Intent } from '../src/domain/understanding/intents';
import { answer, type HintLedger } from './answers';
import { type DialogDeps, HINTS_SHOWN, type TurnContext } from './types';
import { teacherPlace } from './understanding';

/**
 * The answer to a recognised question in this conversation: the place of the teacher (named, else the
 * channel's zone) and the hints already given, read from the turn the bot prepared.
 */
export function answerFor(
  context: TurnContext,
  deps: Pick<DialogDeps, 'calendar' | 'clock' | 'webmailUrl'>,
  intent: Intent,
  text: string,
): string[] | undefined {
  const place = teacherPlace(context);
  return answer(intent, text, {
    calendar: deps.calendar,
    now: deps.clock.now(),
    ...(place ? { place } : {}),
    webmailUrl: deps.webmailUrl,
    hints: hintLedger(context),
  });
}

/** The conversation's hints; a turn the bot did not prepare (a bare dialog) gets a ledger of its own. */
function hintLedger(context: TurnContext): HintLedger {
  let shown = context.turnState.get(HINTS_SHOWN) as Set<string> | undefined;
  if (!shown) {
    shown = new Set<string>();
    context.turnState.set(HINTS_SHOWN, shown);
  }
  const set = shown;
  return { has: (key) => set.has(key), add: (key) => void set.add(key) };
}
