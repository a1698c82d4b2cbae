import type { Clock } from '../../clock';
import type { ConversationRefJson } from '../accounts/ports';
import { compactReference, conversationTag } from '../accounts/requests';
import { type ElectionCalendar, windowStatus } from '../calendar/calendar';
import type { Reminder, ReminderKind, ReminderStore } from './ports';
import { unconfirmedReminderTime, voteReminderTimes } from './schedule';

export interface RemindersDeps {
  readonly store: ReminderStore;
  readonly calendar: ElectionCalendar;
  /** The application clock (CLOCK_NOW in the demo): reminders are due in the election's time. */
  readonly clock: Clock;
  /** REMINDER_UNCONFIRMED_AFTER, in milliseconds. */
  readonly unconfirmedAfterMs: number;
}

/** What a teacher who asks to be told about the vote gets: when, or why not. */
export type VoteReminders =
  /** Both are scheduled (or only the closing one, the opening having passed). */
  | { readonly status: 'before' | 'open'; readonly voteOpens?: Date; readonly voteClosing?: Date }
  /** The vote is closed, or closes too soon for a reminder: nothing scheduled. */
  | { readonly status: 'after' | 'closingSoon' }
  /** The conversation has no reference the bot could speak in later. */
  | { readonly status: 'unavailable' };

/**
 * The reminders of a conversation (issue 15), on the ReminderStore port: what is scheduled when, and what
 * cancels it. No I/O of its own; the worker (src/infra/reminder-worker.ts) says them when they are due.
 */
export class Reminders {
  constructor(private readonly deps: RemindersDeps) {}

  /**
   * An account request was sent from this conversation: one reminder if it is still unconfirmed after
   * REMINDER_UNCONFIRMED_AFTER (and before its link expires). A new request replaces the previous one.
   */
  async accountRequested(request: {
    conversation: ConversationRefJson | undefined;
    email: string;
    requestedAt: Date;
    linkExpiresAt: Date;
  }): Promise<boolean> {
    const dueAt = unconfirmedReminderTime(
      request.requestedAt.getTime(),
      this.deps.unconfirmedAfterMs,
      request.linkExpiresAt.getTime(),
    );
    if (dueAt === undefined) return false;
    return this.schedule(request.conversation, 'unconfirmed', dueAt, {
      email: request.email,
      until: request.linkExpiresAt.getTime(),
      requestedAt: request.requestedAt.getTime(),
    });
  }

  /** The conversation's request was confirmed or cancelled: its reminder has nothing left to say. */
  async accountSettled(conversation: ConversationRefJson | undefined): Promise<void> {
    const tag = conversationTag(conversation);
    if (tag) await this.deps.store.cancel(tag, ['unconfirmed']);
  }

  /** « Prévenez-moi quand le vote ouvre »: the opening (if still to come) and the last hours. */
  async voteRequested(conversation: ConversationRefJson | undefined): Promise<VoteReminders> {
    const { calendar, clock } = this.deps;
    const now = clock.now();
    if (!conversationTag(conversation)) return { status: 'unavailable' };
    const status = windowStatus(calendar.vote, now);
    if (status === 'after') return { status: 'after' };
    const times = voteReminderTimes(calendar, now);
    if (times.voteOpens === undefined && times.voteClosing === undefined) return { status: 'closingSoon' };
    const until = calendar.vote.closes.getTime();
    if (times.voteOpens !== undefined)
      await this.schedule(conversation, 'voteOpens', times.voteOpens, { until });
    if (times.voteClosing !== undefined)
      await this.schedule(conversation, 'voteClosing', times.voteClosing, { until });
    return {
      status,
      ...(times.voteOpens !== undefined ? { voteOpens: new Date(times.voteOpens) } : {}),
      ...(times.voteClosing !== undefined ? { voteClosing: new Date(times.voteClosing) } : {}),
    };
  }

  /** « J'ai voté »: no « last hours » reminder. The number cancelled. */
  async voted(conversation: ConversationRefJson | undefined): Promise<number> {
    const tag = conversationTag(conversation);
    return tag ? this.deps.store.cancel(tag, ['voteOpens', 'voteClosing']) : 0;
  }

  /** « Stop », « plus de rappels »: every reminder of the conversation. The number cancelled. */
  async stop(conversation: ConversationRefJson | undefined): Promise<number> {
    const tag = conversationTag(conversation);
    return tag ? this.deps.store.cancel(tag) : 0;
  }

  /** The conversation's scheduled reminders (for the teacher who asks, and for tests). */
  async scheduled(conversation: ConversationRefJson | undefined): Promise<Reminder[]> {
    const tag = conversationTag(conversation);
    return tag ? this.deps.store.scheduled(tag) : [];
  }

  private async schedule(
    conversation: ConversationRefJson | undefined,
    kind: ReminderKind,
    dueAt: number,
    extra: Pick<Reminder, 'email' | 'until' | 'requestedAt'>,
  ): Promise<boolean> {
    const tag = conversationTag(conversation);
    if (!conversation || !tag) return false;
    await this.deps.store.schedule(
      {
        id: `${tag}:${kind}`,
        kind,
        conversationTag: tag,
        conversation: compactReference(conversation),
        dueAt,
        ...extra,
      },
      this.deps.clock.now().getTime(),
    );
    return true;
  }
}
