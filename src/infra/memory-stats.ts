import { type Clock, systemClock } from '../clock';
import {
  type AccountRequestOutcome,
  addDays,
  clipMisunderstood,
  type DailyStats,
  dayOf,
  daysBetween,
  type IntentCount,
  MAX_MISUNDERSTOOD,
  MAX_STATS_DAYS,
  type MisunderstoodMessage,
  rankIntents,
  type Stats,
} from '../domain/stats/ports';

type Counters = { -readonly [K in keyof Omit<DailyStats, 'day'>]: number };

/** The statistics of the embedded mode (no Redis): same semantics as RedisStats, lost on restart. */
export class MemoryStats implements Stats {
  private readonly days = new Map<string, Counters>();
  private readonly intents = new Map<string, Map<string, { count: number; unsure: number }>>();
  private readonly pending = new Map<string, number>();
  private readonly messages: MisunderstoodMessage[] = [];

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly timeZone = 'Europe/Paris',
  ) {}

  /** Everything is written at once. */
  async flush(): Promise<void> {}

  async accountRequested(outcome: AccountRequestOutcome, email: string, at: Date): Promise<void> {
    if (outcome === 'created') this.count(at, 'accountsCreated');
    if (outcome !== 'already-confirmed') this.pending.set(normalise(email), at.getTime());
  }

  async accountConfirmed(email: string, at: Date): Promise<void> {
    this.count(at, 'accountsConfirmed');
    this.pending.delete(normalise(email));
  }

  async mailSent(at: Date): Promise<void> {
    this.count(at, 'mailsSent');
  }

  async mailFailed(at: Date): Promise<void> {
    this.count(at, 'mailsFailed');
  }

  async recognised(intent: string, confident: boolean, at: Date): Promise<void> {
    const day = dayOf(at, this.timeZone);
    const counts = this.intents.get(day) ?? new Map<string, { count: number; unsure: number }>();
    const c = counts.get(intent) ?? { count: 0, unsure: 0 };
    counts.set(intent, { count: c.count + 1, unsure: c.unsure + (confident ? 0 : 1) });
    this.intents.set(day, counts);
  }

  async misunderstood(text: string, at: Date): Promise<void> {
    const clipped = clipMisunderstood(text);
    if (!clipped) return;
    this.messages.unshift({ at: at.toISOString(), text: clipped });
    if (this.messages.length > MAX_MISUNDERSTOOD) this.messages.length = MAX_MISUNDERSTOOD;
  }

  async daily(fromDay: string, toDay: string): Promise<DailyStats[]> {
    return daysBetween(fromDay, toDay).map((day) => ({ day, ...(this.days.get(day) ?? zero()) }));
  }

  async pendingOlderThan(ms: number, now: Date): Promise<number> {
    const limit = now.getTime() - ms;
    return [...this.pending.values()].filter((at) => at <= limit).length;
  }

  async topIntents(days: number, limit: number): Promise<IntentCount[]> {
    const span = Math.min(Math.max(1, Math.trunc(days)), MAX_STATS_DAYS);
    const today = dayOf(this.clock.now(), this.timeZone);
    return rankIntents(
      daysBetween(addDays(today, 1 - span), today).map((day) => this.intents.get(day) ?? new Map()),
      limit,
    );
  }

  async recentMisunderstood(limit: number): Promise<MisunderstoodMessage[]> {
    return this.messages.slice(0, Math.max(0, limit)).map((m) => ({ ...m }));
  }

  private count(at: Date, field: keyof Counters) {
    const day = dayOf(at, this.timeZone);
    const counters = this.days.get(day) ?? zero();
    counters[field] += 1;
    this.days.set(day, counters);
  }
}

function zero(): Counters {
  return { accountsCreated: 0, accountsConfirmed: 0, mailsSent: 0, mailsFailed: 0 };
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}
