import type { ElectionCalendar } from '../calendar/calendar';

const HOUR_MS = 3_600_000;

/** How long before the vote closes the « last hours » reminder comes: a working afternoon's notice. */
export const VOTE_CLOSING_NOTICE_MS = 6 * HOUR_MS;

/**
 * When the vote reminders come, for a teacher who asked at `now`: the opening (unless it has passed) and
 * some hours before the close (unless that has passed too). Undefined for one that would be late.
 */
export function voteReminderTimes(
  calendar: ElectionCalendar,
  now: Date,
): { voteOpens?: number; voteClosing?: number } {
  const opens = calendar.vote.opens.getTime();
  const closing = calendar.vote.closes.getTime() - VOTE_CLOSING_NOTICE_MS;
  return {
    ...(opens > now.getTime() ? { voteOpens: opens } : {}),
    ...(closing > now.getTime() ? { voteClosing: closing } : {}),
  };
}

/**
 * The unconfirmed-account reminder: `afterMs` after the request, but before the link expires (an hour
 * before at the latest, so that the teacher still has time), and never after it.
 */
export function unconfirmedReminderTime(
  requestedAt: number,
  afterMs: number,
  linkExpiresAt: number,
): number | undefined {
  const due = Math.min(requestedAt + afterMs, linkExpiresAt - HOUR_MS);
  return due > requestedAt ? due : undefined;
}
