/**
 * Names on the wire that the dialogs, the pages and the console share: the activities and card fields
 * exchanged with the channels. Kept in the domain so that the console can read a transcript without
 * depending on the dialogs.
 */

/** Card input ids; also the keys of `activity.value` when the password card is submitted. */
export const PASSWORD_CARD_ACTION = 'password';

/**
 * The event the bot runs in the conversation when the password page was submitted (value: `{ entryId }`),
 * so that the waiting password step resumes.
 */
export const PASSWORD_ENTERED_EVENT = 'passwordEntered';

/**
 * The event the bot runs in a conversation in the helpdesk's hands: an agent took it, wrote, ended it, or
 * the timers moved it (value: HandoffEventValue).
 */
export const HANDOFF_EVENT = 'handoff';

export interface HandoffEventValue {
  readonly kind: 'taken' | 'message' | 'ended' | 'requeued' | 'dropped';
  /** The agent's message (kind 'message'). */
  readonly text?: string;
}

/** The event the bot runs in the conversation of a request once its link confirmed the account. */
export const ACCOUNT_CONFIRMED_EVENT = 'accountConfirmed';

/**
 * The event the reminder worker runs in a conversation when one of its reminders is due (issue 15), value
 * `{ kind, until }`: the bot speaks without touching the dialog in progress.
 */
export const REMINDER_DUE_EVENT = 'reminderDue';
