import type { Intent } from '../src/domain/understanding/intents';
import { teacherAcademie } from './academie';
import { answer, type HintLedger } from './answers';
import { type DialogDeps, HINTS_SHOWN, type TurnContext } from './types';
import { teacherPlace } from './understanding';

/** An answer's messages, and which of them are next-step hints (said once per conversation). */
export interface AnswerParts {
  readonly replies: string[];
  readonly hints: readonly string[];
}

/**
 * The answer to a recognised question in this conversation: the place of the teacher (named, else the
 * académie's, else the channel's zone), the académie, and the hints already given, read from the turn
 * the bot prepared.
 */
export function answerFor(
  context: TurnContext,
  deps: Pick<DialogDeps, 'calendar' | 'clock' | 'webmailUrl' | 'baseUrl' | 'academies'>,
  intent: Intent,
  text: string,
): AnswerParts | undefined {
  const academie = teacherAcademie(context, deps);
  const place = teacherPlace(context, academie);
  const hints: string[] = [];
  const ledger = hintLedger(context);
  const baseUrl = deps.baseUrl?.();
  const replies = answer(intent, text, {
    calendar: deps.calendar,
    now: deps.clock.now(),
    ...(place ? { place } : {}),
    ...(academie ? { academie } : {}),
    ...(deps.webmailUrl ? { webmailUrl: deps.webmailUrl } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    hints: { ...ledger, said: (hint) => void hints.push(hint) },
  });
  return replies && { replies, hints };
}

/** Notes a hint as given without saying it: the teacher already does what it would suggest. */
export function hintGiven(context: TurnContext, key: string): void {
  hintLedger(context).add(key);
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
