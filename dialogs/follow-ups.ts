import type { Place } from '../src/domain/calendar/places';
import { parseTeacherDate } from '../src/domain/calendar/teacher-dates';
import { type Intent, isIntent } from '../src/domain/understanding/intents';
import type { Recognition } from '../src/domain/understanding/recognizer';
import { polarityOf } from './answers/dates';
import { mentions } from './answers/keywords';
import { memoryOf, PREVIOUS_ANSWER } from './memory';
import { PLACE_NAMED, type TurnContext } from './types';

/**
 * Questions whose answer changes with a place, a day, an hour or a situation: « et pour la Réunion ? »,
 * « et le dimanche ? », « et à 17 h 30 ? », « et les stagiaires ? » ask them again for that.
 */
const FOLLOWED: ReadonlySet<Intent> = new Set([
  'ask_account_open',
  'ask_deadline_account',
  'ask_vote_open',
  'ask_vote_close',
  'ask_results_date',
  'ask_now_status',
  'vote_hours',
  'vote_abroad',
  'vote_compulsory',
  'ask_eligibility',
]);

/** A message that leans on the one before: « et … », « même … », « aussi … ». */
const ELLIPTIC = /^\s*(?:et|même|meme|aussi|pareil|idem|sinon|mais)\b/i;
const MAX_WORDS = 12;
/** A longer message still follows when it only adds where the teacher is (« je serai à Montréal, … »). */
const MAX_WORDS_WITH_PLACE = 40;

/**
 * The question just answered, asked again for another place, day, hour or situation, or undefined. Only
 * right after an answer (the previous turn's), only when the message does not clearly ask something else
 * (the recogniser is unsure, or only sees a question about « now »), and only when it brings something to
 * answer for: a place, a day or an hour, a habit (« la nuit », « 24h/24 »), a situation (« stagiaire »).
 */
export function followUpIntent(
  context: TurnContext,
  text: string,
  recognition: Recognition,
): Intent | undefined {
  if (context.turnState.get(PREVIOUS_ANSWER) === undefined) return undefined;
  const topic = memoryOf(context).topic;
  if (topic === undefined || !isIntent(topic) || !FOLLOWED.has(topic)) return undefined;
  if (recognition.confident && recognition.top !== 'ask_now_status' && recognition.top !== topic)
    return undefined;
  // « et je rate le vote alors ? » asks yes or no about now: that question, not the one before.
  if (recognition.confident && recognition.top === 'ask_now_status' && polarityOf(text) !== undefined)
    return undefined;
  const words = text.trim().split(/\s+/).length;
  const place = context.turnState.get(PLACE_NAMED) as Place | undefined;
  if (place !== undefined && !recognition.confident && words <= MAX_WORDS_WITH_PLACE) return topic;
  if (words > MAX_WORDS) return undefined;
  if (place !== undefined || ELLIPTIC.test(text) || bringsSomething(text)) return topic;
  return undefined;
}

/**
 * The intent to answer, or undefined to ask which topic: a follow-up of the question just answered, else
 * the recogniser's when it is confident. Two kinds of message do not depend on the classifier's doubts:
 * one about the notice de vote is about voting credentials (never the confirmation mail, whatever « pas
 * reçu » suggests), and a yes or no about the vote or the account (« je rate le vote alors ? ») is about
 * where the windows stand now, which the date answers tell with the right polarity.
 */
export function resolveIntent(
  context: TurnContext,
  text: string,
  recognition: Recognition,
): Intent | undefined {
  const followed = followUpIntent(context, text, recognition);
  if (followed !== undefined) return followed;
  const notice = mentions(text, 'notice');
  if (recognition.confident)
    return notice && recognition.top === 'mail_not_received' ? 'ask_vote_credentials' : recognition.top;
  if (notice) return 'ask_vote_credentials';
  if (polarityOf(text) !== undefined && (mentions(text, 'vote') || mentions(text, 'createAccount')))
    return 'ask_now_status';
  return undefined;
}

/** A day or an hour, a habit or a situation: what a follow-up changes in the question. */
function bringsSomething(text: string): boolean {
  const sample = text.slice(0, 200);
  return (
    (
      [
        'night',
        'saturday',
        'sunday',
        'weekend',
        'weekdays',
        'always',
        'trainee',
        'contract',
        'onLeave',
      ] as const
    ).some((list) => mentions(sample, list)) ||
    parseTeacherDate(sample, new Date(0), 'Europe/Paris') !== undefined
  );
}
