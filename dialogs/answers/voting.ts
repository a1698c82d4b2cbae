import { type WindowStatus, windowStatus } from '../../src/domain/calendar/calendar';
import { t } from '../../src/i18n';
import { withNext } from './dates';
import { mentions } from './keywords';
import { leftFr, momentFr } from './moments-fr';
import type { AnswerContext } from './types';

/**
 * Everyday questions about voting (domain.md §2.1): compulsory or not, at what hours, from where, on
 * which site. The dates come from the election file, in Paris time and in the teacher's own time.
 */

const WINDOW: Record<WindowStatus, string> = {
  before: 'answers.voting.window.before',
  open: 'answers.voting.window.open',
  after: 'answers.voting.window.after',
};
const HOURS: Record<WindowStatus, string> = {
  before: 'answers.voting.hours.before',
  open: 'answers.voting.hours.open',
  after: 'answers.voting.hours.after',
};
const ABROAD_HOURS: Record<WindowStatus, string> = {
  before: 'answers.voting.abroadHours.before',
  open: 'answers.voting.abroadHours.open',
  after: 'answers.voting.abroadHours.after',
};

function windowParams(ctx: AnswerContext) {
  const { vote } = ctx.calendar;
  return {
    opens: momentFr(vote.opens, ctx),
    closes: momentFr(vote.closes, ctx),
    left: leftFr(ctx.now, vote.closes),
  };
}

/** No: a right, not a duty (§2.1: common knowledge, no source says otherwise). */
export function voteCompulsoryAnswer(ctx: AnswerContext): string[] {
  const status = windowStatus(ctx.calendar.vote, ctx.now);
  return withNext(ctx, `${t('answers.voting.compulsory')} ${t(WINDOW[status], windowParams(ctx))}`);
}

/** The habit asked about, most specific first: « Oui, le dimanche aussi », « Oui, la nuit aussi »… */
const HABITS = ['always', 'sunday', 'saturday', 'weekend', 'night', 'weekdays'] as const;
const HABIT_LEADS: Record<(typeof HABITS)[number] | 'any', string> = {
  any: 'answers.voting.habit.any',
  always: 'answers.voting.habit.always',
  sunday: 'answers.voting.habit.sunday',
  saturday: 'answers.voting.habit.saturday',
  weekend: 'answers.voting.habit.weekend',
  night: 'answers.voting.habit.night',
  weekdays: 'answers.voting.habit.weekdays',
};

/**
 * At any hour, every day of the window, nights and week-ends included: the arrêtés set only an opening and
 * a closing instant (§2.1). Answered with the window's real dates, not a date read from « le dimanche »,
 * and opening with the habit asked about (« Oui, le dimanche aussi »), so that « et le dimanche ? » after
 * « la nuit ? » gets its own answer.
 */
export function voteHoursAnswer(ctx: AnswerContext, text = ''): string[] {
  const status = windowStatus(ctx.calendar.vote, ctx.now);
  const habit = HABITS.find((h) => mentions(text, h)) ?? 'any';
  // « le site est fermé le dimanche ? » asks the other way round: « Non, il ne ferme pas le dimanche ».
  const lead = mentions(text, 'closedAsk') ? `answers.voting.closedHabit.${habit}` : HABIT_LEADS[habit];
  return withNext(ctx, t(HOURS[status], { ...windowParams(ctx), lead: t(lead) }));
}

/** From any device connected to the internet, in France or abroad; the hours stay Paris's. */
export function voteAbroadAnswer(ctx: AnswerContext): string[] {
  const status = windowStatus(ctx.calendar.vote, ctx.now);
  return withNext(ctx, `${t('answers.voting.abroad')} ${t(ABROAD_HOURS[status], windowParams(ctx))}`);
}

/** The portal named in the election file; a file without one sends teachers to their académie's. */
export function votingSiteAnswer(ctx: AnswerContext): string[] {
  const { votingSite } = ctx.calendar;
  const site = votingSite ? t('answers.voting.site', { url: votingSite }) : t('answers.voting.siteUnknown');
  const status = windowStatus(ctx.calendar.vote, ctx.now);
  return [site, `${t('answers.voting.siteHow')} ${t(WINDOW[status], windowParams(ctx))}`];
}
