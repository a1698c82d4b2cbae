import { windowStatus } from '../src/domain/calendar/calendar';
import { formatDayFr } from '../src/domain/calendar/format';
import type { ReminderKind } from '../src/domain/reminders/ports';
import type { ReminderRequest } from '../src/domain/understanding/statements';
import { t } from '../src/i18n';
import { teacherAcademie } from './academie';
import { momentFr } from './answers/moments-fr';
import { conversationRefOf } from './conversation-ref';
import { memoryOf } from './memory';
import { withOptions } from './replies';
import type { DialogDeps, TurnContext } from './types';
import { teacherPlace } from './understanding';

/**
 * The reminders as the teacher hears of them (issue 15): « prévenez-moi quand le vote ouvre » and
 * « stop » answered, the offer after the confirmation, and what the bot says when one is due (a
 * proactive turn, `reminderDue` event). Scheduling itself is the domain's (src/domain/reminders).
 */
type Deps = Pick<DialogDeps, 'calendar' | 'clock' | 'academies' | 'reminders'>;

/** The value of the `reminderDue` event the worker runs in the conversation. */
export interface ReminderDue {
  readonly kind: ReminderKind;
  /** The link's expiry (unconfirmed), the vote's close (vote reminders); epoch ms. */
  readonly until?: number;
}

/** An instant as the answers write it: Paris time, then the teacher's local time when it differs. */
function momentFor(context: TurnContext, deps: Deps, instant: Date): string {
  const place = teacherPlace(context, teacherAcademie(context, deps));
  return momentFr(instant, { calendar: deps.calendar, ...(place ? { place } : {}) }, false);
}

function siteOf(deps: Deps): string {
  return deps.calendar.votingSite ?? t('bot.progress.vote.siteUnknown');
}

/** « Prévenez-moi quand le vote ouvre » or « arrêtez les rappels »: done, and said. */
export async function answerReminderRequest(
  context: TurnContext,
  deps: Deps,
  request: ReminderRequest,
): Promise<void> {
  if (request === 'stopReminders') {
    const count = (await deps.reminders?.stop(conversationRefOf(context))) ?? 0;
    await context.sendActivity(t(count > 0 ? 'reminders.stopped' : 'reminders.noneToStop'));
    return;
  }
  const { calendar } = deps;
  const results = formatDayFr(calendar.resultsFrom, calendar.timeZone);
  if (memoryOf(context).voted) {
    await context.sendActivity(t('reminders.vote.alreadyVoted', { results }));
    return;
  }
  const closes = momentFor(context, deps, calendar.vote.closes);
  const asked = deps.reminders
    ? await deps.reminders.voteRequested(conversationRefOf(context))
    : ({ status: 'unavailable' } as const);
  switch (asked.status) {
    case 'unavailable':
      await context.sendActivity(
        t('reminders.vote.unavailable', { opens: momentFor(context, deps, calendar.vote.opens), closes }),
      );
      return;
    case 'after':
      await context.sendActivity(t('reminders.vote.closed', { closes, results }));
      return;
    case 'closingSoon':
      await context.sendActivity(t('reminders.vote.closingSoon', { closes, site: siteOf(deps) }));
      return;
    case 'before':
    case 'open': {
      const closing = asked.voteClosing ? momentFor(context, deps, asked.voteClosing) : closes;
      await context.sendActivity(
        asked.status === 'before' && asked.voteOpens
          ? t('reminders.vote.scheduled', { opens: momentFor(context, deps, asked.voteOpens), closing })
          : t('reminders.vote.scheduledOpen', { closes, closing, site: siteOf(deps) }),
      );
    }
  }
}

/** « Stop » typed while reminders wait: they are cancelled, and said so. False when none waited. */
export async function stopRemindersOnCommand(context: TurnContext, deps: Deps): Promise<boolean> {
  const count = (await deps.reminders?.stop(conversationRefOf(context))) ?? 0;
  if (count > 0) await context.sendActivity(t('reminders.stopped'));
  return count > 0;
}

/** « J'ai voté »: no reminder before the close; said only when one was waiting. */
export async function votedNoReminder(context: TurnContext, deps: Deps): Promise<void> {
  const count = (await deps.reminders?.voted(conversationRefOf(context))) ?? 0;
  if (count > 0) await context.sendActivity(t('reminders.vote.votedCancelled'));
}

/** The confirmation's message, with the offer to be told when the vote opens (while it has not). */
export function withReminderOffer(context: TurnContext, deps: Deps, text: string) {
  if (!deps.reminders || windowStatus(deps.calendar.vote, deps.clock.now()) !== 'before') return text;
  return withOptions(context, text, [{ label: t('reminders.vote.offer') }]);
}

/**
 * A reminder is due in this conversation (a proactive turn): one message, unless the conversation
 * already knows it has nothing left to say (the account confirmed, the teacher has voted).
 */
export async function sayReminderDue(context: TurnContext, deps: Deps): Promise<void> {
  const due = context.activity.value as Partial<ReminderDue> | undefined;
  const memory = memoryOf(context);
  const { calendar } = deps;
  const closes = momentFor(context, deps, calendar.vote.closes);
  switch (due?.kind) {
    case 'unconfirmed': {
      if (memory.account === 'confirmed' || typeof due.until !== 'number') return;
      const until = momentFor(context, deps, new Date(due.until));
      await context.sendActivity(
        `${t('reminders.due.unconfirmed', { until })}\n\n${t('reminders.due.unconfirmedNoMail')}`,
      );
      return;
    }
    case 'voteOpens':
      if (memory.voted) return;
      await context.sendActivity(
        `${t('reminders.due.voteOpens', { closes, site: siteOf(deps) })} ${t('reminders.due.stopHint')}`,
      );
      return;
    case 'voteClosing':
      if (memory.voted) return;
      await context.sendActivity(t('reminders.due.voteClosing', { closes, site: siteOf(deps) }));
      return;
    default:
      return;
  }
}
