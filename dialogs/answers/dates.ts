import { windowStatus } from '../../src/domain/calendar/calendar';
import { windowMoments } from '../../src/domain/calendar/moments';
import { t } from '../../src/i18n';
import { leftFr, momentFr } from './moments-fr';
import type { AnswerContext } from './types';

/**
 * Answers to « quand ? » about each date of the calendar, in Paris time plus the teacher's local time,
 * with what is left relative to now. Each returns the messages to send, the next action last.
 */

export function accountOpenAnswer(ctx: AnswerContext): string[] {
  const { accountCreation: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return [
        `${t('answers.accountOpen.before', dates)} ${t('answers.left.accountOpens', { left: leftFr(ctx.now, w.opens) })}`,
        nextStep(ctx),
      ];
    case 'open':
      return [
        `${t('answers.accountOpen.open', dates)} ${t('answers.left.account', { left: leftFr(ctx.now, w.closes) })}`,
        nextStep(ctx),
      ];
    case 'after':
      return [t('answers.accountOpen.after', dates), nextStep(ctx)];
  }
}

export function accountDeadlineAnswer(ctx: AnswerContext): string[] {
  const { accountCreation: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return [
        `${t('answers.accountDeadline.before', dates)} ${t('answers.left.accountOpens', { left: leftFr(ctx.now, w.opens) })}`,
        nextStep(ctx),
      ];
    case 'open':
      return [
        `${t('answers.accountDeadline.open', dates)} ${t('answers.left.account', { left: leftFr(ctx.now, w.closes) })}`,
        nextStep(ctx),
      ];
    case 'after':
      return [t('answers.accountDeadline.after', dates), nextStep(ctx)];
  }
}

export function voteOpenAnswer(ctx: AnswerContext): string[] {
  const { vote: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return [
        `${t('answers.voteOpen.before', dates)} ${t('answers.left.voteOpens', { left: leftFr(ctx.now, w.opens) })}`,
        nextStep(ctx),
      ];
    case 'open':
      return [
        `${t('answers.voteOpen.open', dates)} ${t('answers.left.vote', { left: leftFr(ctx.now, w.closes) })}`,
        nextStep(ctx),
      ];
    case 'after':
      return [t('answers.voteOpen.after', dates), nextStep(ctx)];
  }
}

export function voteCloseAnswer(ctx: AnswerContext): string[] {
  const { vote: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return [t('answers.voteClose.before', dates), nextStep(ctx)];
    case 'open':
      return [
        `${t('answers.voteClose.open', dates)} ${t('answers.left.vote', { left: leftFr(ctx.now, w.closes) })}`,
        nextStep(ctx),
      ];
    case 'after':
      return [t('answers.voteClose.after', dates), nextStep(ctx)];
  }
}

export function resultsAnswer(ctx: AnswerContext): string[] {
  const results = momentFr(ctx.calendar.resultsFrom, ctx);
  const first =
    ctx.now.getTime() < ctx.calendar.resultsFrom.getTime()
      ? t('answers.results.before', { results, voteCloses: momentFr(ctx.calendar.vote.closes, ctx) })
      : t('answers.results.after', { results });
  return [first, t('answers.results.where')];
}

/** « Est-ce trop tard ? »: both windows at once, since the teacher may mean either. */
export function nowStatusAnswer(ctx: AnswerContext): string[] {
  const { accountCreation, vote } = windowMoments(ctx.calendar, ctx.now);
  const { calendar } = ctx;
  const account = {
    opens: momentFr(calendar.accountCreation.opens, ctx),
    closes: momentFr(calendar.accountCreation.closes, ctx),
    left: leftFr(ctx.now, accountCreation.edge),
  };
  const voting = {
    opens: momentFr(calendar.vote.opens, ctx),
    closes: momentFr(calendar.vote.closes, ctx),
    left: leftFr(ctx.now, vote.edge),
  };
  const accountLine = {
    before: () => t('answers.now.account.before', account),
    open: () => t('answers.now.account.open', account),
    after: () => t('answers.now.account.after', account),
  }[accountCreation.status]();
  const voteLine = {
    before: () => t('answers.now.vote.before', voting),
    open: () => t('answers.now.vote.open', voting),
    after: () => t('answers.now.vote.after', voting),
  }[vote.status]();
  return [`${accountLine}\n${voteLine}`, nextStep(ctx)];
}

/** What the teacher can do now, from where the windows stand: the last message of every date answer. */
export function nextStep(ctx: AnswerContext): string {
  const { calendar, now } = ctx;
  const account = windowStatus(calendar.accountCreation, now);
  if (account === 'before')
    return t('answers.next.accountBefore', { opens: momentFr(calendar.accountCreation.opens, ctx) });
  if (account === 'open') return t('answers.next.accountOpen');
  const vote = windowStatus(calendar.vote, now);
  if (vote === 'before') return t('answers.next.waitVote');
  if (vote === 'open') return t('answers.next.vote');
  if (now.getTime() < calendar.resultsFrom.getTime()) {
    return t('answers.next.results', { results: momentFr(calendar.resultsFrom, ctx) });
  }
  return t('answers.next.over');
}
