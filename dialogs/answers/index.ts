import { parseTeacherDate } from '../../src/domain/calendar/teacher-dates';
import type { Intent } from '../../src/domain/understanding/intents';
import { maskNumen } from '../../src/domain/understanding/numen';
import { offTopicAnswer, smalltalkAnswer } from './conversation';
import { askedTopic, datedAnswer } from './date-question';
import {
  accountDeadlineAnswer,
  accountOpenAnswer,
  nowStatusAnswer,
  polarityOf,
  resultsAnswer,
  voteCloseAnswer,
  voteOpenAnswer,
  yesNoNowAnswer,
} from './dates';
import {
  eligibilityAnswer,
  forgotPasswordAnswer,
  mailNotReceivedAnswer,
  numenAnswer,
  passwordRulesAnswer,
  voteCredentialsAnswer,
  webmailAnswer,
} from './help-topics';
import { mentions } from './keywords';
import { contactAnswer, localTimeAnswer } from './local-help';
import { teacherZone } from './moments-fr';
import { privacyAnswer } from './privacy';
import type { AnswerContext } from './types';
import { voteAbroadAnswer, voteCompulsoryAnswer, voteHoursAnswer, votingSiteAnswer } from './voting';

export { CREATE_ACCOUNT_HINT } from './dates';
export { PRIVACY_NOTICE_PATH } from './privacy';
export type { AnswerContext, HintLedger } from './types';

type DateIntent = Extract<
  Intent,
  | 'ask_account_open'
  | 'ask_deadline_account'
  | 'ask_vote_open'
  | 'ask_vote_close'
  | 'ask_results_date'
  | 'ask_now_status'
>;

const DATE_ANSWERS: Record<DateIntent, (ctx: AnswerContext) => string[]> = {
  ask_account_open: accountOpenAnswer,
  ask_deadline_account: accountDeadlineAnswer,
  ask_vote_open: voteOpenAnswer,
  ask_vote_close: voteCloseAnswer,
  ask_results_date: resultsAnswer,
  ask_now_status: nowStatusAnswer,
};

/** The ends of the two windows: « encore », « trop tard » ask whether that end has passed. */
const STILL_INTENTS: ReadonlySet<Intent> = new Set(['ask_deadline_account', 'ask_vote_close']);

function isDateIntent(intent: Intent): intent is DateIntent {
  return intent in DATE_ANSWERS;
}

/**
 * The French messages answering `intent`, in order, or undefined for the intents the dialogs handle
 * themselves (start_activation, greeting, help). Pure: no I/O, no botbuilder; the caller sends them.
 */
export function answer(intent: Intent, text: string, ctx: AnswerContext): string[] | undefined {
  if (isDateIntent(intent)) return dateAnswer(intent, text, ctx);
  switch (intent) {
    case 'webmail_help':
      return webmailAnswer(text, ctx);
    case 'mail_not_received':
      return mailNotReceivedAnswer(text, ctx);
    case 'password_rules':
      return passwordRulesAnswer(text, ctx);
    case 'forgot_password':
      return forgotPasswordAnswer(text);
    case 'numen_question':
      return numenAnswer(text);
    case 'ask_vote_credentials':
      return voteCredentialsAnswer(text, ctx);
    case 'ask_eligibility':
      return eligibilityAnswer(text);
    case 'smalltalk':
      return smalltalkAnswer(text);
    case 'off_topic':
      return offTopicAnswer(text);
    case 'vote_compulsory':
      return voteCompulsoryAnswer(ctx);
    case 'vote_hours':
      return hoursAnswer(text, ctx);
    case 'vote_abroad':
      return voteAbroadAnswer(ctx);
    case 'voting_site':
      return votingSiteAnswer(ctx);
    case 'privacy':
      return privacyAnswer(ctx);
    case 'ask_contact':
      return contactAnswer(text, ctx);
    case 'ask_local_time':
      return localTimeAnswer(ctx);
    case 'start_activation':
    case 'greeting':
    case 'help':
      return undefined;
  }
}

/**
 * A date question names a moment (« puis-je encore voter le 4 décembre à 17 h 30 ? ») or asks for one
 * (« à quelle heure le 27 ? », « le 4 à 16 h, c’est l’heure de Paris ? »). Only the first kind gets a yes
 * or a no; the second gets the date itself, in Paris and local time.
 */
function dateAnswer(intent: DateIntent, text: string, ctx: AnswerContext): string[] {
  // A NUMEN's digits must not be read as a date, nor end up in an answer.
  const safe = maskNumen(text, ' ');
  if (!mentions(safe, 'openQuestion')) {
    const asked = parseTeacherDate(safe, ctx.now, teacherZone(ctx));
    if (asked !== undefined) return datedAnswer(askedTopic(intent, safe), asked, ctx, polarityOf(safe));
  }
  // « Est-il encore temps de créer mon compte ? », « c'est trop tard pour voter ? » get the same yes or no
  // whether they are read as a question about now or about the end of that window (issue 14).
  if (intent === 'ask_now_status' || (STILL_INTENTS.has(intent) && !mentions(safe, 'openQuestion'))) {
    const yesNo = yesNoNowAnswer(safe, ctx);
    if (yesNo !== undefined) return yesNo;
  }
  return DATE_ANSWERS[intent](ctx);
}

/**
 * « On peut voter la nuit ? », « un dimanche ? », « 24h/24 ? » are about habits: the general answer.
 * A day named (« dimanche 30 novembre », « ce soir ») gets the yes or no for that day.
 */
function hoursAnswer(text: string, ctx: AnswerContext): string[] {
  const safe = maskNumen(text, ' ');
  const asked = parseTeacherDate(safe, ctx.now, teacherZone(ctx));
  if (asked?.dayNamed) return datedAnswer('vote', asked, ctx, polarityOf(safe));
  return voteHoursAnswer(ctx, safe);
}
