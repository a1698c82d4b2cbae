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
