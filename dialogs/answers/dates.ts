import { type WindowStatus, windowStatus } from '../../src/domain/calendar/calendar';
import { windowMoments } from '../../src/domain/calendar/moments';
import { t } from '../../src/i18n';
import { mentions } from './keywords';
import { leftFr, momentFr } from './moments-fr';
import type { AnswerContext } from './types';

/**
 * Answers to « quand ? » about each date of the calendar, in Paris time plus the teacher's local time,
 * with what is left relative to now. Each returns the messages to send, the next action last (once per
 * conversation: see nextStep).
 */

export function accountOpenAnswer(ctx: AnswerContext): string[] {
  const { accountCreation: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return withNext(
        ctx,
        `${t('answers.accountOpen.before', dates)} ${t('answers.left.accountOpens', { left: leftFr(ctx.now, w.opens) })}`,
      );
    case 'open':
      return withNext(
        ctx,
        `${t('answers.accountOpen.open', dates)} ${t('answers.left.account', { left: leftFr(ctx.now, w.closes) })}`,
      );
    case 'after':
      return withNext(ctx, t('answers.accountOpen.after', dates));
  }
}

export function accountDeadlineAnswer(ctx: AnswerContext): string[] {
  const { accountCreation: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return withNext(
        ctx,
        `${t('answers.accountDeadline.before', dates)} ${t('answers.left.accountOpens', { left: leftFr(ctx.now, w.opens) })}`,
      );
    case 'open':
      return withNext(
        ctx,
        `${t('answers.accountDeadline.open', dates)} ${t('answers.left.account', { left: leftFr(ctx.now, w.closes) })}`,
      );
    case 'after':
      return withNext(ctx, t('answers.accountDeadline.after', dates));
  }
}

export function voteOpenAnswer(ctx: AnswerContext): string[] {
  const { vote: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return withNext(
        ctx,
        `${t('answers.voteOpen.before', dates)} ${t('answers.left.voteOpens', { left: leftFr(ctx.now, w.opens) })}`,
      );
    case 'open':
      return withNext(
        ctx,
        `${t('answers.voteOpen.open', dates)} ${t('answers.left.vote', { left: leftFr(ctx.now, w.closes) })}`,
      );
    case 'after':
      return withNext(ctx, t('answers.voteOpen.after', dates));
  }
}

export function voteCloseAnswer(ctx: AnswerContext): string[] {
  const { vote: w } = ctx.calendar;
  const dates = { opens: momentFr(w.opens, ctx), closes: momentFr(w.closes, ctx) };
  switch (windowStatus(w, ctx.now)) {
    case 'before':
      return withNext(ctx, t('answers.voteClose.before', dates));
    case 'open':
      return withNext(
        ctx,
        `${t('answers.voteClose.open', dates)} ${t('answers.left.vote', { left: leftFr(ctx.now, w.closes) })}`,
      );
    case 'after':
      return withNext(ctx, t('answers.voteClose.after', dates));
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
  return withNext(ctx, `${accountLine}\n${voteLine}`);
}

/**
 * What the teacher can do now, from where the windows stand: the last message of date answers. Each hint
 * is given once per conversation (issue 11: « écrivez « créer mon compte » » after every answer was
 * noise); undefined when this one was already given.
 */
export function nextStep(ctx: AnswerContext): string | undefined {
  const [key, params] = nextStepKey(ctx);
  return onceHint(ctx, key, t(key, params));
}

/** `text`, the hint of `key`, unless the conversation already had that hint (then undefined). */
export function onceHint(ctx: AnswerContext, key: string, text: string): string | undefined {
  if (ctx.hints?.has(key)) return undefined;
  ctx.hints?.add(key);
  ctx.hints?.said?.(text);
  return text;
}

/** The hint « écrivez « créer mon compte » »: pointless once the teacher is creating it, or has. */
export const CREATE_ACCOUNT_HINT = 'answers.next.accountOpen';

/** `lines`, then the next step when the conversation has not had it yet. */
export function withNext(ctx: AnswerContext, ...lines: string[]): string[] {
  const next = nextStep(ctx);
  return next === undefined ? lines : [...lines, next];
}

function nextStepKey(ctx: AnswerContext): [string, Record<string, string>?] {
  const { calendar, now } = ctx;
  const account = windowStatus(calendar.accountCreation, now);
  if (account === 'before')
    return ['answers.next.accountBefore', { opens: momentFr(calendar.accountCreation.opens, ctx) }];
  if (account === 'open') return ['answers.next.accountOpen'];
  const vote = windowStatus(calendar.vote, now);
  if (vote === 'before') return ['answers.next.waitVote'];
  if (vote === 'open') return ['answers.next.vote'];
  if (now.getTime() < calendar.resultsFrom.getTime()) {
    return ['answers.next.results', { results: momentFr(calendar.resultsFrom, ctx) }];
  }
  return ['answers.next.over'];
}

/** How a yes/no question about now is asked: « trop tard ? », « je rate le vote ? » or « encore possible ? ». */
export type Polarity = 'missed' | 'still';

export function polarityOf(text: string): Polarity | undefined {
  if (mentions(text, 'missedAsk')) return 'missed';
  // « j'ai pas encore voté, … ? » says where the teacher is, it does not ask « encore possible ? ».
  if (mentions(text.replace(/\bpas\s+encore\b/gi, ' '), 'stillAsk')) return 'still';
  return undefined;
}

const YES_NO_KEYS: Record<'vote' | 'accountCreation', Record<Polarity, Record<WindowStatus, string>>> = {
  vote: {
    missed: {
      before: 'answers.yesNo.vote.missed.before',
      open: 'answers.yesNo.vote.missed.open',
      after: 'answers.yesNo.vote.missed.after',
    },
    still: {
      before: 'answers.yesNo.vote.still.before',
      open: 'answers.yesNo.vote.still.open',
      after: 'answers.yesNo.vote.still.after',
    },
  },
  accountCreation: {
    missed: {
      before: 'answers.yesNo.account.missed.before',
      open: 'answers.yesNo.account.missed.open',
      after: 'answers.yesNo.account.missed.after',
    },
    still: {
      before: 'answers.yesNo.account.still.before',
      open: 'answers.yesNo.account.still.open',
      after: 'answers.yesNo.account.still.after',
    },
  },
};

/**
 * « Je rate le vote ? » at 16 h 35 on the last day → « Non : le vote est ouvert jusqu’au … »; at 17 h 10 →
 * « Oui : le vote est clos … ». Only when the message says which window (the vote, or creating the
 * account) and asks yes or no; otherwise undefined, and nowStatusAnswer gives both windows.
 */
export function yesNoNowAnswer(text: string, ctx: AnswerContext): string[] | undefined {
  const polarity = polarityOf(text);
  if (polarity === undefined) return undefined;
  const account = mentions(text, 'createAccount') && !mentions(text, 'results');
  if (!account && !mentions(text, 'vote')) return undefined;
  const { calendar, now } = ctx;
  const w = account ? calendar.accountCreation : calendar.vote;
  const status = windowStatus(w, now);
  const params = {
    opens: momentFr(w.opens, ctx),
    closes: momentFr(w.closes, ctx),
    left: leftFr(now, w.closes),
  };
  const first = t(YES_NO_KEYS[account ? 'accountCreation' : 'vote'][polarity][status], params);
  // Too late for the account is not too late for a teacher who already has one.
  const vote = windowStatus(calendar.vote, now);
  const lines =
    account && status === 'after' && vote === 'open'
      ? [`${first} ${t('answers.yesNo.voteStillOpen', { closes: momentFr(calendar.vote.closes, ctx) })}`]
      : [first];
  return withNext(ctx, ...lines);
}
