export interface DurationParts {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
}

const NBSP = '\u00a0';
const UNITS = [
  ['days', 'jour', 'jours'],
  ['hours', 'heure', 'heures'],
  ['minutes', 'minute', 'minutes'],
] as const;

/**
 * « 3 jours et 6 heures », « 1 jour », « 2 heures et 5 minutes »: the two largest non-zero units,
 * enough for a deadline read between two classes. A non-breaking space keeps each number with its unit.
 */
export function formatDurationFr(duration: DurationParts): string {
  const parts = UNITS.map(([key, one, many]) => {
    const raw = duration[key];
    const value = Number.isFinite(raw) ? Math.max(0, Math.floor(raw)) : 0;
    return value === 0 ? '' : `${value}${NBSP}${value === 1 ? one : many}`;
  }).filter((part) => part !== '');
  if (parts.length === 0) return 'moins d’une minute';
  return parts.slice(0, 2).join(' et ');
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Time left before a deadline, rounded as people say it (issue 11: « 7 jours », not « 6 jours et 23
 * heures » for a week less a minute), keeping the style guide's « 2 jours et 6 heures ». The exact instant
 * is always given beside it, so the rounding only has to read naturally:
 * - under an hour: minutes, rounded down, since each one counts then (« 25 minutes »);
 * - under a day: hours and minutes, to the nearest 5 minutes (« 2 heures et 30 minutes », « 7 heures »);
 * - from a day: days and hours, to the nearest hour (« 2 jours et 6 heures », « 7 jours »).
 * A value rounded up to the next unit is written in that unit (23 h 58 → « 1 jour »).
 */
export function formatRemainingFr(ms: number): string {
  const left = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (left < HOUR) return formatDurationFr({ days: 0, hours: 0, minutes: Math.floor(left / MINUTE) });
  const minutes = Math.round(left / (5 * MINUTE)) * 5;
  if (minutes < 24 * 60)
    return formatDurationFr({ days: 0, hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  const hours = Math.round(left / HOUR);
  return formatDurationFr({ days: Math.floor(hours / 24), hours: hours % 24, minutes: 0 });
}
