import { type Clock, systemClock } from '../clock';
import { mailDomain } from '../domain/mail-domain';
import {
  type AccountRequestOutcome,
  addDays,
  clipMisunderstood,
  type DailyStats,
  type DomainCounts,
  type DomainDay,
  dayOf,
  daysBetween,
  type IntentCount,
  MAX_MISUNDERSTOOD,
  MAX_STATS_DAYS,
  type MisunderstoodMessage,
  rankIntents,
  type Stats,
  statsAcademie,
} from '../domain/stats/ports';

type Counters = { -readonly [K in keyof Omit<DailyStats, 'day'>]: number };

/** The statistics of the embedded mode (no Redis): same semantics as RedisStats, lost on restart. */
export class MemoryStats implements Stats {
  /** Counters by scope: '' for everyone, then one per académie id. */
  private readonly days = new Map<string, Map<string, Counters>>();
  private readonly intents = new Map<string, Map<string, Map<string, { count: number; unsure: number }>>>();
  private readonly pending = new Map<string, Map<string, number>>();
  /** Day → mail domain → accounts (a scoped agent's figures, by the addresses' domains). */
  private readonly domains = new Map<string, Map<string, DomainCounts>>();
  private readonly messages: MisunderstoodMessage[] = [];

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly timeZone = 'Europe/Paris',
  ) {}

  async accountRequested(
    outcome: AccountRequestOutcome,
    email: string,
    at: Date,
    academie?: string,
  ): Promise<void> {
    for (const scope of scopes(academie)) {
      if (outcome === 'created') this.count(at, 'accountsCreated', scope);
      if (outcome !== 'already-confirmed') this.pendingOf(scope).set(normalise(email), at.getTime());
    }
    if (outcome === 'created') this.countDomain(at, 'accountsCreated', email);
  }

  async accountConfirmed(email: string, at: Date, academie?: string): Promise<void> {
    for (const scope of scopes(academie)) {
      this.count(at, 'accountsConfirmed', scope);
      this.pendingOf(scope).delete(normalise(email));
    }
    this.countDomain(at, 'accountsConfirmed', email);
  }

  async mailSent(at: Date, academie?: string): Promise<void> {
    for (const scope of scopes(academie)) this.count(at, 'mailsSent', scope);
  }

  async mailFailed(at: Date, academie?: string): Promise<void> {
    for (const scope of scopes(academie)) this.count(at, 'mailsFailed', scope);
  }

  async recognised(intent: string, confident: boolean, at: Date, academie?: string): Promise<void> {
    const day = dayOf(at, this.timeZone);
    for (const scope of scopes(academie)) {
      const byDay =
        this.intents.get(scope) ?? new Map<string, Map<string, { count: number; unsure: number }>>();
      const counts = byDay.get(day) ?? new Map<string, { count: number; unsure: number }>();
      const c = counts.get(intent) ?? { count: 0, unsure: 0 };
      counts.set(intent, { count: c.count + 1, unsure: c.unsure + (confident ? 0 : 1) });
      byDay.set(day, counts);
      this.intents.set(scope, byDay);
    }
  }

  async misunderstood(text: string, at: Date, academie?: string): Promise<void> {
    const clipped = clipMisunderstood(text);
    if (!clipped) return;
    const id = statsAcademie(academie);
    this.messages.unshift({ at: at.toISOString(), text: clipped, ...(id ? { academie: id } : {}) });
    if (this.messages.length > MAX_MISUNDERSTOOD) this.messages.length = MAX_MISUNDERSTOOD;
  }

  /** Nothing waits: every event is counted at once. */
  async flush(): Promise<void> {}

  async daily(fromDay: string, toDay: string, academie?: string): Promise<DailyStats[]> {
    const days = this.days.get(scopeOf(academie));
    return daysBetween(fromDay, toDay).map((day) => ({ day, ...(days?.get(day) ?? zero()) }));
  }

  async pendingOlderThan(ms: number, now: Date, academie?: string): Promise<number> {
    const limit = now.getTime() - ms;
    return [...(this.pending.get(scopeOf(academie))?.values() ?? [])].filter((at) => at <= limit).length;
  }

  async pendingInDomains(domains: readonly string[], ms: number, now: Date): Promise<number> {
    const limit = now.getTime() - ms;
    return [...(this.pending.get(scopeOf(undefined)) ?? [])].filter(
      ([email, at]) => at <= limit && domains.includes(mailDomain(email) ?? ''),
    ).length;
  }

  async accountsByDomain(fromDay: string, toDay: string): Promise<DomainDay[]> {
    return daysBetween(fromDay, toDay).map((day) => ({ day, domains: new Map(this.domains.get(day)) }));
  }

  async topIntents(days: number, limit: number, academie?: string): Promise<IntentCount[]> {
    const span = Math.min(Math.max(1, Math.trunc(days)), MAX_STATS_DAYS);
    const today = dayOf(this.clock.now(), this.timeZone);
    const byDay = this.intents.get(scopeOf(academie));
    return rankIntents(
      daysBetween(addDays(today, 1 - span), today).map((day) => byDay?.get(day) ?? new Map()),
      limit,
    );
  }

  async recentMisunderstood(limit: number, academie?: string): Promise<MisunderstoodMessage[]> {
    return this.messages
      .filter((m) => academie === undefined || m.academie === academie)
      .slice(0, Math.max(0, limit))
      .map((m) => ({ ...m }));
  }

  private pendingOf(scope: string): Map<string, number> {
    let pending = this.pending.get(scope);
    if (!pending) {
      pending = new Map();
      this.pending.set(scope, pending);
    }
    return pending;
  }

  private countDomain(at: Date, field: 'accountsCreated' | 'accountsConfirmed', email: string): void {
    const domain = mailDomain(email);
    if (!domain) return;
    const day = dayOf(at, this.timeZone);
    const ofDay = this.domains.get(day) ?? new Map<string, DomainCounts>();
    const c = ofDay.get(domain) ?? { accountsCreated: 0, accountsConfirmed: 0 };
    ofDay.set(domain, { ...c, [field]: c[field] + 1 });
    this.domains.set(day, ofDay);
  }

  private count(at: Date, field: keyof Counters, scope: string) {
    const day = dayOf(at, this.timeZone);
    const days = this.days.get(scope) ?? new Map<string, Counters>();
    const counters = days.get(day) ?? zero();
    counters[field] += 1;
    days.set(day, counters);
    this.days.set(scope, days);
  }
}

/** Everyone's scope, and the académie's when known (as RedisStats counts). */
function scopes(academie: string | undefined): string[] {
  const id = statsAcademie(academie);
  return id ? ['', id] : [''];
}

function scopeOf(academie: string | undefined): string {
  if (academie === undefined) return '';
  return statsAcademie(academie) ?? '-';
}

function zero(): Counters {
  return { accountsCreated: 0, accountsConfirmed: 0, mailsSent: 0, mailsFailed: 0 };
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}
