import { formatDurationFr } from '../calendar/duration';

/**
 * « 12 minutes », « 1 heure et 5 minutes »: a wait rounded up to the minute, so that the teacher who
 * comes back at the time said is let through.
 */
export function formatWaitFr(waitMs: number): string {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return formatDurationFr({ days: 0, hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
