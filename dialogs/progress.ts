import { windowStatus } from '../src/domain/calendar/calendar';
import { formatDateTimeFr, formatDayFr } from '../src/domain/calendar/format';
import { t } from '../src/i18n';
import { type ConversationMemory, memoryOf } from './memory';
import { withReminderOffer } from './reminders';
import type { DialogDeps, TurnContext } from './types';

type Deps = Pick<DialogDeps, 'calendar' | 'clock'>;

/**
 * Where and how to vote, for a teacher whose account is ready: the voting site of the election file, the
 * identifiant of the paper notice, and the window (or that it closed).
 */
export function votingGuide(deps: Deps): string[] {
  const { calendar } = deps;
  const zone = calendar.timeZone;
  const closes = formatDateTimeFr(calendar.vote.closes, zone);
  if (windowStatus(calendar.vote, deps.clock.now()) === 'after')
    return [t('bot.progress.vote.closed', { closes, results: formatDayFr(calendar.resultsFrom, zone) })];
  return [
    t('bot.progress.vote.site', {
      opens: formatDateTimeFr(calendar.vote.opens, zone),
      closes,
      site: calendar.votingSite ?? t('bot.progress.vote.siteUnknown'),
    }),
    t('bot.progress.vote.how'),
  ];
}

/** The step of the activation the teacher is at, when one is waiting. */
export type ActivationStep = 'webmail' | 'address' | 'password';
const NEXT_STEP: Record<ActivationStep, string> = {
  webmail: 'bot.progress.status.next.webmail',
  address: 'bot.progress.status.next.address',
  password: 'bot.progress.status.next.password',
};

/**
 * « Où en est-on ? »: what this conversation knows of the teacher's progress, and the next step — the
 * step that waits, when the teacher asks in the middle of creating the account.
 */
export function progressSummary(memory: ConversationMemory, current?: ActivationStep): string {
  const creating = current !== undefined && memory.account !== 'confirmed';
  const lines = [
    t('bot.progress.status.title'),
    // A confirmed account went through the professional mailbox: it works.
    `- ${t(memory.webmail === 'done' || memory.account === 'confirmed' ? 'bot.progress.status.webmailDone' : 'bot.progress.status.webmailUnknown')}`,
    `- ${t(
      memory.account === 'confirmed'
        ? 'bot.progress.status.accountConfirmed'
        : creating
          ? 'bot.progress.status.accountInProgress'
          : memory.account === 'requested'
            ? 'bot.progress.status.accountRequested'
            : 'bot.progress.status.accountNone',
    )}`,
  ];
  if (memory.voted) lines.push(`- ${t('bot.progress.status.voted')}`);
  lines.push(
    t(
      memory.voted
        ? 'bot.progress.status.nothingLeft'
        : memory.account === 'confirmed'
          ? 'bot.progress.status.nextVote'
          : creating
            ? NEXT_STEP[current]
            : memory.account === 'requested'
              ? 'bot.progress.status.nextConfirm'
              : 'bot.progress.status.nextCreate',
    ),
  );
  return lines.join('\n');
}

/**
 * The account of this conversation's request was confirmed on the link's page: the conversation
 * remembers it and the teacher is told, with the vote's dates.
 */
export async function announceConfirmed(
  context: TurnContext,
  deps: Deps & Pick<DialogDeps, 'academies' | 'reminders'>,
): Promise<void> {
  memoryOf(context).account = 'confirmed';
  const zone = deps.calendar.timeZone;
  const text = t('bot.account.confirmed', {
    voteOpens: formatDateTimeFr(deps.calendar.vote.opens, zone),
    voteCloses: formatDateTimeFr(deps.calendar.vote.closes, zone),
  });
  // Before the vote opens: « Me prévenir à l’ouverture du vote » offered (typing it works too).
  await context.sendActivity(withReminderOffer(context, deps, text));
}
