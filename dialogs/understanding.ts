import type { AcademieProfile } from '../src/domain/academies/profiles';
import { type Place, placeForTimeZone, placeOnlyRequest, restorePlace } from '../src/domain/calendar/places';
import { intentLabel } from '../src/domain/understanding/intent-labels';
import type { Intent } from '../src/domain/understanding/intents';
import { normaliseText } from '../src/domain/understanding/normalise';
import type { Recognition } from '../src/domain/understanding/recognizer';
import { t } from '../src/i18n';
import { withOptions } from './replies';
import { CHANNEL_TIME_ZONE, type DialogDeps, PLACE_NAMED, TEACHER_PLACE, type TurnContext } from './types';

/**
 * Where the teacher is, in one order everywhere (issues 11 and 14): a place named in the conversation
 * (this message, else the last one named: the bot reads every message once, before the dialogs, into
 * TEACHER_PLACE), then the teacher's académie (ac-reunion.fr → La Réunion), then the time zone the
 * channel sent. « Mayotte » named wins over a Réunion address, which wins over a browser set to Paris.
 */
export function teacherPlace(
  context: TurnContext,
  academie?: Pick<AcademieProfile, 'timeZone'>,
): Place | undefined {
  const named = context.turnState.get(TEACHER_PLACE) as string | undefined;
  return (
    (named ? restorePlace(named) : undefined) ??
    placeForTimeZone(academie?.timeZone) ??
    placeForTimeZone(context.turnState.get(CHANNEL_TIME_ZONE))
  );
}

const RECOGNIZER_RESULT = 'https://www.botframework.com/schemas/recognizerResult';

/**
 * Recognises a message. On the Emulator, also sends the RecognizerResult as a trace activity (as
 * botbuilder's LUIS recogniser does) so its inspector shows why the bot answered as it did.
 */
export async function recognize(
  context: TurnContext,
  deps: Pick<DialogDeps, 'recognizer'>,
  text: string,
  options: { secret?: boolean } = {},
): Promise<Recognition> {
  const recognition = placeRequest(deps.recognizer.recognize(text), text, options.secret === true);
  if (context.activity.channelId === 'emulator') {
    // The place the bot read from this message; never shown for text typed at a password prompt.
    const place = options.secret ? undefined : (context.turnState.get(PLACE_NAMED) as Place | undefined);
    await context.sendActivity({
      type: 'trace',
      name: 'AssistantElecteurRecognizer',
      label: 'RecognizerResult',
      valueType: RECOGNIZER_RESULT,
      value: {
        // At a password prompt the message may be the password itself.
        text: options.secret ? t('bot.masked') : recognition.text,
        intents: Object.fromEntries(recognition.intents.map((i) => [i.intent, { score: round(i.score) }])),
        entities: place ? { place: [{ id: place.id, label: place.label, timeZone: place.timeZone }] } : {},
        confident: recognition.confident,
      },
    });
  }
  return recognition;
}

const DATE_INTENTS: ReadonlySet<Intent> = new Set([
  'ask_account_open',
  'ask_deadline_account',
  'ask_vote_open',
  'ask_vote_close',
  'ask_results_date',
  'ask_now_status',
]);

/**
 * « en heure de Nouméa svp », « à l’heure de New York ? »: only a place, asked after a date answer. The
 * classifier has no words to go on (a place is not a topic); the answer is where the windows stand, in
 * that place's time, which the bot has already read and remembered for this turn.
 */
function placeRequest(recognition: Recognition, text: string, secret: boolean): Recognition {
  if (secret || (recognition.confident && DATE_INTENTS.has(recognition.top))) return recognition;
  if (placeOnlyRequest(text) === undefined) return recognition;
  const top: Intent = 'ask_now_status';
  return { ...recognition, top, confident: true, candidates: [top] };
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}

/** A clicked (or typed) clarification choice names its intent exactly. */
export function intentOfLabel(text: string | undefined, intents: readonly Intent[]): Intent | undefined {
  if (!text) return undefined;
  const normalised = normaliseText(text);
  return intents.find((i) => normaliseText(intentLabel(i)) === normalised);
}

/** « Je ne suis pas sûr d'avoir compris » with the plausible topics as choices, never a wrong answer. */
export async function askToClarify(context: TurnContext, candidates: readonly Intent[]): Promise<void> {
  // « Aide » comes last, always: not also among the topics.
  const options = candidates.filter((i) => i !== 'help').map((intent) => ({ label: intentLabel(intent) }));
  await context.sendActivity(
    withOptions(context, t('bot.clarify'), [...options, { label: t('bot.menu.help') }]),
  );
}
