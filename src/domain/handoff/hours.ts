import { fromZonedTime, toZonedTime } from 'date-fns-tz';

/**
 * When the helpdesk answers live, in the académie's own time: « lun-ven 08:00-18:00; sam 09:00-12:00 ».
 * Days are French abbreviations (lun, mar, mer, jeu, ven, sam, dim), alone or as a range; hours are
 * HH:MM-HH:MM on the same day. Written by operators (HELPDESK_HOURS, or `handoffHours` in an académie
 * profile), so it is parsed strictly and a mistake stops start-up naming the setting.
 */
export interface OpeningRange {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly day: number;
  /** Minutes since midnight. */
  readonly from: number;
  readonly to: number;
}

export const DAY_ABBREVIATIONS = ['lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim'] as const;

const RANGE = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;

/** The ranges of a text, or the reason it is not one (in French, for the start-up message). */
export function parseOpeningHours(
  text: string,
): { ok: true; ranges: OpeningRange[] } | { ok: false; reason: string } {
  const ranges: OpeningRange[] = [];
  const parts = text
    .toLowerCase()
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, reason: 'aucune plage horaire' };
  for (const part of parts) {
    const m = RANGE.exec(part);
    if (!m) return { ok: false, reason: `« ${part} » n’est pas de la forme « lun-ven 08:00-18:00 »` };
    const first = dayIndex(m[1] as string);
    const last = m[2] ? dayIndex(m[2]) : first;
    if (first === undefined || last === undefined || last < first)
      return { ok: false, reason: `jours inconnus ou dans le désordre dans « ${part} »` };
    const from = Number(m[3]) * 60 + Number(m[4]);
    const to = Number(m[5]) * 60 + Number(m[6]);
    if (Number(m[4]) > 59 || Number(m[6]) > 59 || to > 24 * 60 || from >= to)
      return { ok: false, reason: `heures impossibles dans « ${part} »` };
    for (let day = first; day <= last; day += 1) ranges.push({ day, from, to });
  }
  return { ok: true, ranges };
}

function dayIndex(abbreviation: string): number | undefined {
  const index = (DAY_ABBREVIATIONS as readonly string[]).indexOf(abbreviation);
  return index < 0 ? undefined : index + 1;
}

/** Opening hours in one time zone: is it open now, and when does it open next. */
export class OpeningHours {
  constructor(
    readonly ranges: readonly OpeningRange[],
    readonly timeZone: string,
  ) {}

  static parse(text: string, timeZone: string): OpeningHours {
    const parsed = parseOpeningHours(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    return new OpeningHours(parsed.ranges, timeZone);
  }

  isOpen(at: Date): boolean {
    const local = toZonedTime(at, this.timeZone);
    const day = isoDay(local);
    const minutes = local.getHours() * 60 + local.getMinutes();
    return this.ranges.some((r) => r.day === day && minutes >= r.from && minutes < r.to);
  }

  /** The next instant it opens after `at` (within a week), or undefined when it never opens. */
  nextOpening(at: Date): Date | undefined {
    const local = toZonedTime(at, this.timeZone);
    let best: Date | undefined;
    for (let ahead = 0; ahead <= 7; ahead += 1) {
      const dayStart = new Date(local.getFullYear(), local.getMonth(), local.getDate() + ahead);
      const day = isoDay(dayStart);
      for (const range of this.ranges) {
        if (range.day !== day) continue;
        const start = new Date(dayStart.getTime());
        start.setHours(Math.floor(range.from / 60), range.from % 60, 0, 0);
        const instant = fromZonedTime(start, this.timeZone);
        if (instant.getTime() > at.getTime() && (!best || instant < best)) best = instant;
      }
      if (best) return best;
    }
    return best;
  }
}

/** ISO weekday of a wall-clock date (its getDay() read as local fields). */
function isoDay(date: Date): number {
  const d = date.getDay();
  return d === 0 ? 7 : d;
}
