import type { Window } from '../../src/domain/calendar/calendar';
import { type SpanOverlap, spanOverlap } from '../../src/domain/calendar/moments';
import type { TeacherMoment } from '../../src/domain/calendar/teacher-dates';
import type { Intent } from '../../src/domain/understanding/intents';
import { t } from '../../src/i18n';
import { type Polarity, withNext } from './dates';
import { mentions } from './keywords';
import { askedFr, hourFr, momentFr } from './moments-fr';
import type { AnswerContext } from './types';

/** What a « puis-je … le 4 décembre à 17 h 30 ? » is about. */
export type AskedTopic = 'accountCreation' | 'vote' | 'results';

/**
 * The topic of a dated question: creating the account when the message says so (« créer », « inscrire »),
 * the results when it names them, voting when it names it; otherwise what the intent was about, and the
 * vote by default, since that is what most late questions are about.
 */
export function askedTopic(intent: Intent, text: string): AskedTopic {
  if (mentions(text, 'createAccount') && !mentions(text, 'results')) return 'accountCreation';
  if (mentions(text, 'results')) return 'results';
  if (mentions(text, 'vote')) return 'vote';
  if (intent === 'ask_account_open' || intent === 'ask_deadline_account') return 'accountCreation';
  if (intent === 'ask_results_date') return 'results';
  return 'vote';
}

type OverlapKeys = Record<SpanOverlap, string>;

/** The yes/no of a dated question, by window and by how the question is asked. */
const DATED_KEYS: Record<'vote' | 'accountCreation', Record<Polarity, OverlapKeys>> = {
  vote: {
    still: {
      before: 'answers.ask.vote.before',
      after: 'answers.ask.vote.after',
      inside: 'answers.ask.vote.inside',
      opensDuring: 'answers.ask.vote.opensDuring',
      closesDuring: 'answers.ask.vote.closesDuring',
    },
    missed: {
      before: 'answers.ask.vote.missed.before',
      after: 'answers.ask.vote.missed.after',
      inside: 'answers.ask.vote.missed.inside',
      opensDuring: 'answers.ask.vote.missed.opensDuring',
      closesDuring: 'answers.ask.vote.missed.closesDuring',
    },
  },
  accountCreation: {
    still: {
      before: 'answers.ask.account.before',
      after: 'answers.ask.account.after',
      inside: 'answers.ask.account.inside',
      opensDuring: 'answers.ask.account.opensDuring',
      closesDuring: 'answers.ask.account.closesDuring',
    },
    missed: {
      before: 'answers.ask.account.missed.before',
      after: 'answers.ask.account.missed.after',
      inside: 'answers.ask.account.missed.inside',
      opensDuring: 'answers.ask.account.missed.opensDuring',
      closesDuring: 'answers.ask.account.missed.closesDuring',
    },
  },
};

/**
 * Yes or no for the moment the teacher gave, against the window of `topic`. A moment without an hour
 * (« samedi », « le 26 au soir ») is a span: when a window opens or closes inside it, the answer is « oui,
 * à partir de 23 h à Tahiti » rather than a yes or a no that would be half wrong. « Je rate le vote si … ? »
 * asks the other way round (polarity `missed`): its « non » is the other's « oui ».
 */
export function datedAnswer(
  topic: AskedTopic,
  asked: TeacherMoment,
  ctx: AnswerContext,
  polarity: Polarity = 'still',
): string[] {
  if (topic === 'results') return [resultsVerdict(asked, ctx), t('answers.results.where')];
  const w: Window = topic === 'vote' ? ctx.calendar.vote : ctx.calendar.accountCreation;
  const from = asked.instant;
  // An instant is a span of one millisecond: the same rules then give the plain yes or no.
  const to = asked.hasTime || asked.end === undefined ? new Date(from.getTime() + 1) : asked.end;
  const params = {
    asked: askedFr(asked, ctx),
    opens: momentFr(w.opens, ctx),
    closes: momentFr(w.closes, ctx),
  };
  const overlap = spanOverlap(w, from, to);
  const keys = DATED_KEYS[topic][polarity];
  const hour = overlap === 'opensDuring' ? w.opens : w.closes;
  return withNext(ctx, t(keys[overlap], { ...params, hour: hourFr(hour, ctx) }));
}

function resultsVerdict(asked: TeacherMoment, ctx: AnswerContext): string {
  const last = asked.hasTime || asked.end === undefined ? asked.instant.getTime() : asked.end.getTime() - 1;
  const results = momentFr(ctx.calendar.resultsFrom, ctx);
  return last >= ctx.calendar.resultsFrom.getTime()
    ? t('answers.ask.results.yes', { results })
    : t('answers.ask.results.no', { results });
}
