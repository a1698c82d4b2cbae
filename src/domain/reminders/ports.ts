import type { ConversationRefJson } from '../accounts/ports';

/**
 * What the bot says on its own, later, in a teacher's conversation (issue 15): an account still waiting
 * for its confirmation, the vote opening, the vote closing soon.
 */
export type ReminderKind = 'unconfirmed' | 'voteOpens' | 'voteClosing';

export const REMINDER_KINDS: readonly ReminderKind[] = ['unconfirmed', 'voteOpens', 'voteClosing'];

export interface Reminder {
  /** One reminder of a kind per conversation: `<conversation tag>:<kind>`; scheduling again replaces it. */
  readonly id: string;
  readonly kind: ReminderKind;
  /** The conversation's tag (a digest of « channel:conversation id »), for cancelling its reminders. */
  readonly conversationTag: string;
  /** Where to speak: the compact conversation reference of the conversation that asked. */
  readonly conversation: ConversationRefJson;
  /** Epoch ms, application clock. */
  readonly dueAt: number;
  /** The professional address, for the reminder that also goes by mail (unconfirmed account). */
  readonly email?: string;
  /** When the reminder's subject ends (the link's expiry, the vote's close), for the message. */
  readonly until?: number;
  /** When the account was requested (the confirmation mail queued), for the reminder mail. */
  readonly requestedAt?: number;
}

export interface ClaimedReminder extends Reminder {
  /** Failed deliveries so far (only certain failures are retried). */
  readonly attempts: number;
}

/**
 * Reminders waiting for their time, shared by every instance. A claimed reminder leaves the queue at once:
 * a process that dies while delivering it loses it rather than risk saying it twice (at most once); only
 * a delivery that certainly failed is put back. Everything expires a while after its time.
 */
export interface ReminderStore {
  schedule(reminder: Reminder, now: number): Promise<void>;
  /** Cancels the conversation's reminders of these kinds (all kinds when none are given). */
  cancel(conversationTag: string, kinds?: readonly ReminderKind[]): Promise<number>;
  /** The conversation's scheduled reminders (for « stop » and for tests). */
  scheduled(conversationTag: string): Promise<Reminder[]>;
  /** Takes up to `limit` due reminders out of the queue, for one instance to deliver. */
  claimDue(now: number, limit: number): Promise<ClaimedReminder[]>;
  /** Delivered: forgotten. */
  done(id: string): Promise<void>;
  /** The delivery certainly failed (the channel refused it): back in the queue at `retryAt`. */
  retry(reminder: ClaimedReminder, retryAt: number, now: number): Promise<void>;
}
