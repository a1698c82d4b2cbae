/** What the bot and the outbox report, for the helpdesk statistics page. */

/** The outcome of an account request, as the account service reports it. */
export type AccountRequestOutcome = 'created' | 'replaced' | 'already-confirmed';

/**
 * Fire-and-forget counters. Statistics must never cost a teacher a turn: every method resolves, even when
 * the store is down (the failure is logged and dropped), so callers may `void` them without awaiting.
 * `academie` (a profile id, when the conversation or the address tells it) also counts the event for that
 * académie, so that the figures can be read for one académie (issue 14).
 */
export interface StatsRecorder {
  accountRequested(outcome: AccountRequestOutcome, email: string, at: Date, academie?: string): Promise<void>;
  accountConfirmed(email: string, at: Date, academie?: string): Promise<void>;
  mailSent(at: Date, academie?: string): Promise<void>;
  mailFailed(at: Date, academie?: string): Promise<void>;
  /** `confident`: the recogniser's top score was above its threshold (no clarification asked). */
  recognised(intent: string, confident: boolean, at: Date, academie?: string): Promise<void>;
  /** `text` must already be redacted by the caller (passwords, NUMEN, tokens masked). */
  misunderstood(text: string, at: Date, academie?: string): Promise<void>;
  /** Writes what a store keeps waiting to write together (graceful shutdown); never rejects. */
  flush(): Promise<void>;
}

/** One Paris calendar day, `YYYY-MM-DD`. */
export interface DailyStats {
  readonly day: string;
  readonly accountsCreated: number;
  readonly accountsConfirmed: number;
  readonly mailsSent: number;
  readonly mailsFailed: number;
}

/** What the académie filter can show of a day: its accounts (mails are not counted per domain). */
export type AccountsDay = Pick<DailyStats, 'day' | 'accountsCreated' | 'accountsConfirmed'>;

/** Accounts of one mail domain (one académie's, or part of it) on one day. */
export interface DomainCounts {
  readonly accountsCreated: number;
  readonly accountsConfirmed: number;
}

/** One Paris day, `YYYY-MM-DD`, per mail domain: the académie filter of the console's statistics. */
export interface DomainDay {
  readonly day: string;
  /** The domains with a count that day. */
  readonly domains: ReadonlyMap<string, DomainCounts>;
}

export interface IntentCount {
  readonly intent: string;
  readonly count: number;
  /** Of `count`, how many were recognised without confidence. */
  readonly unsure: number;
}

export interface MisunderstoodMessage {
  /** ISO 8601 instant. */
  readonly at: string;
  readonly text: string;
  /** The académie of the conversation, when known. */
  readonly academie?: string;
}

/**
 * Read side, for the console. Unlike the recorder, failures surface (the page answers 503). With
 * `academie`, the figures of that académie only (events recorded with it).
 */
export interface StatsReader {
  /** Every day from `fromDay` to `toDay` inclusive (`YYYY-MM-DD`, Paris), oldest first, zeros included. */
  daily(fromDay: string, toDay: string, academie?: string): Promise<DailyStats[]>;
  /** Accounts requested at least `ms` before `now` and still not confirmed. */
  pendingOlderThan(ms: number, now: Date, academie?: string): Promise<number>;
  /** As pendingOlderThan, for the addresses of these mail domains only (a scoped agent's figures). */
  pendingInDomains(domains: readonly string[], ms: number, now: Date): Promise<number>;
  /** Accounts created and confirmed per mail domain, every day from `fromDay` to `toDay` (as `daily`). */
  accountsByDomain(fromDay: string, toDay: string): Promise<DomainDay[]>;
  /** The `limit` most frequent intents over the last `days` Paris days, today included, most frequent first. */
  topIntents(days: number, limit: number, academie?: string): Promise<IntentCount[]>;
  /** Newest first. */
  recentMisunderstood(limit: number, academie?: string): Promise<MisunderstoodMessage[]>;
}

export type Stats = StatsRecorder & StatsReader;

/** Longest span the reader accepts, so a hostile query cannot make it read thousands of keys. */
export const MAX_STATS_DAYS = 366;
/** Misunderstood messages kept; enough to spot a missing intent, small enough to read. */
export const MAX_MISUNDERSTOOD = 200;
/** A misunderstood message is cut here: a pasted mail is not a question. */
export const MAX_MISUNDERSTOOD_LENGTH = 500;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();
/** The day of the latest quarter of an hour asked, by zone: turns and events ask about now, again and again. */
const LAST_DAY = new Map<string, { quarter: number; day: string }>();
const QUARTER_MS = 900_000;
/** Since 1970 every zone's offset is a whole number of quarters of an hour: a day starts on one. */
const ZONES_IN_QUARTERS_SINCE = 0;

/** The Paris (or `timeZone`) calendar day of an instant, `YYYY-MM-DD`. */
export function dayOf(at: Date, timeZone = 'Europe/Paris'): string {
  const ms = at.getTime();
  const quarter = Math.floor(ms / QUARTER_MS);
  const last = LAST_DAY.get(timeZone);
  if (last?.quarter === quarter) return last.day;
  // Building an Intl.DateTimeFormat costs far more than formatting with it, and this runs on every turn
  // (intent counters, transcript days): one per zone, and the zones are few (configuration, not input).
  let format = DAY_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone });
    DAY_FORMATS.set(timeZone, format);
  }
  const day = format.format(at);
  if (ms >= ZONES_IN_QUARTERS_SINCE) LAST_DAY.set(timeZone, { quarter, day });
  return day;
}

/** True for a real calendar day written `YYYY-MM-DD` (2014-02-30 is not). */
export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `day` moved by `delta` days; calendar arithmetic in UTC, so no daylight-saving surprise. */
export function addDays(day: string, delta: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + delta);
  return date.toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive, capped at MAX_STATS_DAYS (the most recent are kept). */
export function daysBetween(from: string, to: string): string[] {
  if (!isDay(from) || !isDay(to) || from > to) return [];
  const days: string[] = [];
  for (let day = to; day >= from && days.length < MAX_STATS_DAYS; day = addDays(day, -1)) days.push(day);
  return days.reverse();
}

/** Merges per-day intent counts into the top `limit`; ties by name so the order is stable. */
export function rankIntents(
  perDay: ReadonlyArray<ReadonlyMap<string, { count: number; unsure: number }>>,
  limit: number,
): IntentCount[] {
  const total = new Map<string, { count: number; unsure: number }>();
  for (const day of perDay)
    for (const [intent, c] of day) {
      const sum = total.get(intent) ?? { count: 0, unsure: 0 };
      total.set(intent, { count: sum.count + c.count, unsure: sum.unsure + c.unsure });
    }
  return [...total]
    .map(([intent, c]) => ({ intent, ...c }))
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent))
    .slice(0, Math.max(0, limit));
}

/** Trims, cuts at MAX_MISUNDERSTOOD_LENGTH; empty messages are not worth keeping. */
export function clipMisunderstood(text: string): string {
  return text.trim().slice(0, MAX_MISUNDERSTOOD_LENGTH);
}

/** An académie id as statistics keys may hold it (a profile id); anything else counts for no académie. */
export function statsAcademie(academie: string | undefined): string | undefined {
  return academie !== undefined && /^[a-z][a-z0-9-]{0,39}$/.test(academie) ? academie : undefined;
}
