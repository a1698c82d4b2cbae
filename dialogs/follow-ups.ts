import type { Place } from '../src/domain/calendar/places';
import { parseTeacherDate } from '../src/domain/calendar/teacher-dates';
import { candidatePasswordIn } from '../src/domain/understanding/candidate-password';
import { type Intent, isIntent } from '../src/domain/understanding/intents';
import type { Recognition } from '../src/domain/understanding/recognizer';
import { polarityOf } from './answers/dates';
import { type KeywordList, mentions } from './answers/keywords';
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

/** Answers a short question with a pronoun can lean on: « elle arrive quand ? », « et il sert à quoi ? ». */
const LEANED_ON: ReadonlySet<Intent> = new Set([
  ...FOLLOWED,
  'ask_vote_credentials',
  'voting_site',
  'forgot_password',
  'numen_question',
  'password_rules',
  'privacy',
]);

/** A message that leans on the one before: « et … », « même … », « aussi … ». */
const ELLIPTIC = /^\s*(?:et|même|meme|aussi|pareil|idem|sinon|mais)\b/i;
/** A short question about « it »: « elle arrive quand ? », « il sert à quoi ? », « ça ferme quand ? ». */
const PRONOUN =
  /(?:^|\s)(?:il|elle|ils|elles|ça|ca|cela)(?=[\s?]|$)|(?:^|\s)(?:je|j|on|nous|vous|tu)\s+(?:le|la|les)\s|(?:^|\s)(?:je|on|nous|vous|tu)\s+l['’]/i;
const MAX_WORDS = 12;
const MAX_PRONOUN_WORDS = 6;
/** A longer message still follows when it only adds where the teacher is (« je serai à Montréal, … »). */
const MAX_WORDS_WITH_PLACE = 40;

/** Which window a date question is about, and which of its edges. */
type Family = 'account' | 'vote' | 'results';
type Edge = 'open' | 'close';
const FRAMES: Partial<Record<Intent, { family: Family; edge?: Edge }>> = {
  ask_account_open: { family: 'account', edge: 'open' },
  ask_deadline_account: { family: 'account', edge: 'close' },
  ask_vote_open: { family: 'vote', edge: 'open' },
  ask_vote_close: { family: 'vote', edge: 'close' },
  ask_results_date: { family: 'results' },
  vote_hours: { family: 'vote' },
  vote_abroad: { family: 'vote' },
  vote_compulsory: { family: 'vote' },
};
const HABITS: readonly KeywordList[] = ['night', 'saturday', 'sunday', 'weekend', 'weekdays', 'always'];
const SITUATIONS: readonly KeywordList[] = ['trainee', 'contract', 'onLeave'];

/**
 * The question just answered, asked again for another place, day, hour or situation — or turned the way
 * a short « et … ? » turns it (« et la fin ? » after the opening of the vote asks its close, « et les
 * comptes ? » the same edge of the account window, « et le week-end ? » the voting hours) — or undefined.
 * Only right after an answer (the previous turn's), and only when the message does not clearly ask
 * something else (the recogniser is unsure, or only sees a question about « now »).
 */
export function followUpIntent(
  context: TurnContext,
  text: string,
  recognition: Recognition,
): Intent | undefined {
  if (context.turnState.get(PREVIOUS_ANSWER) === undefined) return undefined;
  const topic = memoryOf(context).topic;
  if (topic === undefined || !isIntent(topic) || !LEANED_ON.has(topic)) return undefined;
  if (recognition.confident && recognition.top !== 'ask_now_status' && recognition.top !== topic)
    return undefined;
  const sample = text.slice(0, 200);
  // « et je rate le vote alors ? » asks yes or no about now: that question, not the one before (with a
  // day or an hour, the question before answers it, polarity included). « et ça ferme à quelle heure ? »
  // holds « ferme » but asks when: not a yes or no.
  if (polarityOf(sample) !== undefined && !namesMoment(sample) && !mentions(sample, 'openQuestion'))
    return undefined;
  // Words, not the « ? » French typography sets apart.
  const words = text
    .slice(0, 1_000)
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  const place = context.turnState.get(PLACE_NAMED) as Place | undefined;
  if (!FOLLOWED.has(topic)) {
    // Only a short question about « it » leans on these: « elle arrive quand ? ».
    return !recognition.confident &&
      words <= MAX_PRONOUN_WORDS &&
      sample.includes('?') &&
      PRONOUN.test(sample)
      ? topic
      : undefined;
  }
  // « je pars à Rome, je pourrai voter ? » asks whether one can vote from there: its own question.
  if (place !== undefined && recognition.top === 'vote_abroad' && topic !== 'vote_abroad') return undefined;
  const elliptic = ELLIPTIC.test(sample);
  const aboutIt = !recognition.confident && words <= MAX_PRONOUN_WORDS && PRONOUN.test(sample);
  const withPlace = place !== undefined && !recognition.confident && words <= MAX_WORDS_WITH_PLACE;
  const leans =
    withPlace ||
    (words <= MAX_WORDS && (elliptic || aboutIt || place !== undefined || bringsSomething(topic, sample)));
  return leans ? (reframed(topic, sample) ?? topic) : undefined;
}

/**
 * A short « et … ? » that names another window or edge than the question before: the date question it
 * makes. « et le week-end ? » after a date answer is the voting hours; « et les stagiaires ? » who may vote.
 */
function reframed(topic: Intent, text: string): Intent | undefined {
  if (topic !== 'vote_hours' && HABITS.some((list) => mentions(text, list))) return 'vote_hours';
  if (topic !== 'ask_eligibility' && SITUATIONS.some((list) => mentions(text, list)))
    return 'ask_eligibility';
  if (mentions(text, 'results')) return 'ask_results_date';
  const frame = FRAMES[topic];
  const account = mentions(text, 'createAccount') || /\bcomptes?\b/i.test(text);
  const vote = mentions(text, 'vote');
  const edge: Edge | undefined = mentions(text, 'closing')
    ? 'close'
    : mentions(text, 'opening')
      ? 'open'
      : undefined;
  if (!account && !vote && edge === undefined) return undefined;
  // « je vote aussi ? » after who may vote names no date: not a date question.
  if (edge === undefined && frame?.edge === undefined) return undefined;
  const family: Family = account ? 'account' : vote ? 'vote' : (frame?.family ?? 'vote');
  const at = edge ?? frame?.edge ?? 'close';
  if (family === 'results') return 'ask_results_date';
  if (family === 'account') return at === 'open' ? 'ask_account_open' : 'ask_deadline_account';
  return at === 'open' ? 'ask_vote_open' : 'ask_vote_close';
}

/** A day or an hour, a habit or a situation: what a follow-up changes in the question. */
function bringsSomething(topic: Intent, text: string): boolean {
  if (topic === 'vote_hours' && HABITS.some((list) => mentions(text, list))) return true;
  if (topic === 'ask_eligibility' && SITUATIONS.some((list) => mentions(text, list))) return true;
  return namesMoment(text);
}

function namesMoment(text: string): boolean {
  return parseTeacherDate(text, new Date(0), 'Europe/Paris') !== undefined;
}

/**
 * The intent to answer, or undefined to ask which topic: a follow-up of the question just answered, else
 * the recogniser's when it is confident. Some messages do not depend on the classifier's doubts: one about
 * the notice de vote is about voting credentials (never the confirmation mail, whatever « pas reçu »
 * suggests); a yes or no about the vote or the account (« je rate le vote alors ? ») or a question about
 * them on a given day (« on peut voter le 1er décembre à 22 h ? ») is answered by the calendar, with the
 * right polarity; and a place named (« je pars à Rome la semaine du vote, je pourrai voter ? ») supports
 * the recogniser's best guess when that guess is a question whose answer depends on the place.
 */
export function resolveIntent(
  context: TurnContext,
  text: string,
  recognition: Recognition,
): Intent | undefined {
  // « Est-ce que Soleil2014 ça passe ? »: a password written to be checked, whatever else the message
  // holds; the answer checks it and says not to use it (issue 14).
  if (candidatePasswordIn(text) !== undefined) return 'password_rules';
  const followed = followUpIntent(context, text, recognition);
  if (followed !== undefined) return followed;
  const settled = settledIntent(text, recognition);
  if (settled !== undefined) return settled;
  if (context.turnState.get(PLACE_NAMED) !== undefined && FOLLOWED.has(recognition.top))
    return recognition.top;
  return undefined;
}

/**
 * The intent of a message (or of one question of a long one) read alone, without the conversation: the
 * recogniser's when it is confident, corrected or completed by the words that settle it — a notice de vote
 * is about voting credentials; « c'est foutu ? » about the vote asks whether it is over, not whether it is
 * compulsory; a yes or no or a day about a window is answered by the calendar; « ce week-end », « la nuit »,
 * « 24h/24 » with « voter » ask the voting hours. Undefined when nothing settles it.
 */
export function settledIntent(text: string, recognition: Recognition): Intent | undefined {
  const notice = mentions(text, 'notice');
  const sample = text.slice(0, 200);
  const windowNamed = mentions(sample, 'vote') || mentions(sample, 'createAccount');
  const polarity = polarityOf(sample);
  if (recognition.confident) {
    if (notice && recognition.top === 'mail_not_received') return 'ask_vote_credentials';
    // « jai pas eu le temps de voter, c'est foutu ? » says nothing of a duty: a yes or no about now.
    if (recognition.top === 'vote_compulsory' && windowNamed && polarity === 'missed')
      if (!mentions(sample, 'compulsory')) return 'ask_now_status';
    return recognition.top;
  }
  if (notice) return 'ask_vote_credentials';
  // « ça ferme quand le vote ? » holds « ferme » but asks when: not a yes or no.
  const yesNo = polarity !== undefined && !mentions(sample, 'openQuestion');
  if (windowNamed && (yesNo || (sample.includes('?') && namesMoment(sample)))) return 'ask_now_status';
  // « le site est fermé le dimanche ? »: the site stands for the vote.
  const voteNamed = windowNamed || /\b(?:site|portail|plateforme)\b/i.test(sample);
  if (voteNamed && HABITS.some((list) => mentions(sample, list))) return 'vote_hours';
  return undefined;
}
