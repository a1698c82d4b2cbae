import { createHash } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import { type Clock, systemClock } from '../../clock';
import { mailDomain } from '../../domain/mail-domain';
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
} from '../../domain/stats/ports';
import type { Logger } from '../../log';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { STATS_TAG, tagged } from './keys';

export interface RedisStatsOptions {
  readonly prefix?: string;
  /** Days are Paris days by default (pass calendar.timeZone). */
  readonly timeZone?: string;
  readonly clock?: Clock;
  /** Where dropped writes are reported; statistics failures are never the caller's problem. */
  readonly logger?: Logger;
  /** Day counters outlive a campaign and the next one's comparison: 400 days by default. */
  readonly dayTtlSeconds?: number;
  /** Misunderstood messages are teachers' words: kept no longer than transcripts (90 days by default). */
  readonly misunderstoodTtlSeconds?: number;
}

const FIELDS = ['accountsCreated', 'accountsConfirmed', 'mailsSent', 'mailsFailed'] as const;
type Field = (typeof FIELDS)[number];
/** Intent names come from our recogniser, but a field name is still bounded. */
const MAX_INTENT_LENGTH = 100;

/**
 * Campaign statistics in Redis: one hash of counters per Paris day (`{stats}:YYYY-MM-DD`), one hash of
 * intent counts per day (`{stats}:YYYY-MM-DD:intents`), a sorted set of pending requests
 * (`{stats}:pending`, requested-at in ms) and a capped list of misunderstood messages. One hash tag for
 * all: an event's MULTI spans a day's counters and the pending set, and a read spans several days. An
 * event of a known académie is also counted under `…:ac:<id>` (`{stats}:YYYY-MM-DD:ac:<id>`,
 * `{stats}:YYYY-MM-DD:intents:ac:<id>`, `{stats}:pending:ac:<id>`); a misunderstood message carries it.
 *
 * Writes are fire-and-forget: each resolves even when Redis fails (logged, dropped), because a lost
 * counter is better than a teacher's turn failing over a statistic.
 */
export class RedisStats implements Stats {
  private readonly prefix: string;
  private readonly zone: string;
  private readonly clock: Clock;
  private readonly dayTtl: number;
  private readonly misunderstoodTtl: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisStatsOptions = {},
  ) {
    this.prefix = tagged(options.prefix ?? '', STATS_TAG, '');
    this.zone = options.timeZone ?? 'Europe/Paris';
    this.clock = options.clock ?? systemClock;
    this.dayTtl = options.dayTtlSeconds ?? 400 * 86_400;
    this.misunderstoodTtl = options.misunderstoodTtlSeconds ?? 90 * 86_400;
  }

  // ---- StatsRecorder ----

  accountRequested(
    outcome: AccountRequestOutcome,
    email: string,
    at: Date,
    academie?: string,
  ): Promise<void> {
    return this.write('accountRequested', (m) => {
      for (const scope of scopes(academie)) {
        // A replaced request sends a fresh link: its 24 h start again, but it is not a new account.
        if (outcome === 'created') this.count(m, at, 'accountsCreated', scope);
        if (outcome === 'created' || outcome === 'replaced') {
          const pending = this.pendingKey(scope);
          m.zadd(pending, at.getTime(), member(email));
          m.zremrangebyscore(pending, '-inf', at.getTime() - this.dayTtl * 1000);
          m.expire(pending, this.dayTtl);
        }
      }
      // By the address's mail domain too, for the figures of an agent scoped by domain.
      const domain = mailDomain(email);
      if (!domain) return;
      if (outcome === 'created') this.countDomain(m, at, 'accountsCreated', domain);
      if (outcome === 'created' || outcome === 'replaced') {
        const pending = this.domainPendingKey(domain);
        m.zadd(pending, at.getTime(), member(email));
        m.zremrangebyscore(pending, '-inf', at.getTime() - this.dayTtl * 1000);
        m.expire(pending, this.dayTtl);
      }
    });
  }

  accountConfirmed(email: string, at: Date, academie?: string): Promise<void> {
    return this.write('accountConfirmed', (m) => {
      for (const scope of scopes(academie)) {
        this.count(m, at, 'accountsConfirmed', scope);
        m.zrem(this.pendingKey(scope), member(email));
      }
      const domain = mailDomain(email);
      if (!domain) return;
      this.countDomain(m, at, 'accountsConfirmed', domain);
      m.zrem(this.domainPendingKey(domain), member(email));
    });
  }

  mailSent(at: Date, academie?: string): Promise<void> {
    return this.write('mailSent', (m) => {
      for (const scope of scopes(academie)) this.count(m, at, 'mailsSent', scope);
    });
  }

  mailFailed(at: Date, academie?: string): Promise<void> {
    return this.write('mailFailed', (m) => {
      for (const scope of scopes(academie)) this.count(m, at, 'mailsFailed', scope);
    });
  }

  recognised(intent: string, confident: boolean, at: Date, academie?: string): Promise<void> {
    return this.write('recognised', (m) => {
      for (const scope of scopes(academie)) {
        const key = this.intentsKey(dayOf(at, this.zone), scope);
        const name = intent.slice(0, MAX_INTENT_LENGTH);
        m.hincrby(key, `n:${name}`, 1);
        if (!confident) m.hincrby(key, `u:${name}`, 1);
        m.expire(key, this.dayTtl);
      }
    });
  }

  misunderstood(text: string, at: Date, academie?: string): Promise<void> {
    const clipped = clipMisunderstood(text);
    if (!clipped) return Promise.resolve();
    const scope = statsAcademie(academie);
    return this.write('misunderstood', (m) => {
      m.lpush(
        this.misunderstoodKey,
        JSON.stringify({ at: at.toISOString(), text: clipped, ...(scope ? { academie: scope } : {}) }),
      );
      m.ltrim(this.misunderstoodKey, 0, MAX_MISUNDERSTOOD - 1);
      m.expire(this.misunderstoodKey, this.misunderstoodTtl);
    });
  }

  // ---- StatsReader ----

  async daily(fromDay: string, toDay: string, academie?: string): Promise<DailyStats[]> {
    const days = daysBetween(fromDay, toDay);
    if (days.length === 0) return [];
    const scope = scopeOf(academie);
    const hashes = await storeCall('stats.daily', () =>
      exec(days.reduce((m, day) => m.hgetall(this.dayKey(day, scope)), this.redis.multi())),
    );
    return days.map((day, i) => {
      const hash = (hashes[i] ?? {}) as Record<string, string>;
      const n = (field: Field) => Number.parseInt(hash[field] ?? '0', 10) || 0;
      return {
        day,
        accountsCreated: n('accountsCreated'),
        accountsConfirmed: n('accountsConfirmed'),
        mailsSent: n('mailsSent'),
        mailsFailed: n('mailsFailed'),
      };
    });
  }

  async pendingOlderThan(ms: number, now: Date, academie?: string): Promise<number> {
    const key = this.pendingKey(scopeOf(academie));
    return storeCall('stats.pending', () => this.redis.zcount(key, '-inf', now.getTime() - ms));
  }

  async pendingInDomains(domains: readonly string[], ms: number, now: Date): Promise<number> {
    if (domains.length === 0) return 0;
    const counts = await storeCall('stats.pending', () =>
      exec(
        domains.reduce(
          (m, d) => m.zcount(this.domainPendingKey(d), '-inf', now.getTime() - ms),
          this.redis.multi(),
        ),
      ),
    );
    return counts.reduce((sum: number, n) => sum + (Number(n) || 0), 0);
  }

  async accountsByDomain(fromDay: string, toDay: string): Promise<DomainDay[]> {
    const days = daysBetween(fromDay, toDay);
    if (days.length === 0) return [];
    const hashes = await storeCall('stats.domains', () =>
      exec(days.reduce((m, day) => m.hgetall(this.domainsKey(day)), this.redis.multi())),
    );
    return days.map((day, i) => ({
      day,
      domains: parseDomains((hashes[i] ?? {}) as Record<string, string>),
    }));
  }

  async topIntents(days: number, limit: number, academie?: string): Promise<IntentCount[]> {
    const scope = scopeOf(academie);
    const span = Math.min(Math.max(1, Math.trunc(days)), MAX_STATS_DAYS);
    const today = dayOf(this.clock.now(), this.zone);
    const list = daysBetween(addDays(today, 1 - span), today);
    const hashes = await storeCall('stats.intents', () =>
      exec(list.reduce((m, day) => m.hgetall(this.intentsKey(day, scope)), this.redis.multi())),
    );
    return rankIntents(
      hashes.map((h) => parseIntents((h ?? {}) as Record<string, string>)),
      limit,
    );
  }

  async recentMisunderstood(limit: number, academie?: string): Promise<MisunderstoodMessage[]> {
    if (limit <= 0) return [];
    const lines = await storeCall('stats.misunderstood', () =>
      this.redis.lrange(this.misunderstoodKey, 0, Math.min(limit, MAX_MISUNDERSTOOD) - 1),
    );
    // The key's TTL is refreshed by every write: entries past retention are filtered here.
    const oldest = this.clock.now().getTime() - this.misunderstoodTtl * 1000;
    return lines.flatMap((line) => {
      const message = parseMessage(line);
      if (!message || Date.parse(message.at) < oldest) return [];
      return academie === undefined || message.academie === academie ? [message] : [];
    });
  }

  // ---- internals ----

  private pendingKey(scope = '') {
    return `${this.prefix}pending${scope}`;
  }

  private get misunderstoodKey() {
    return `${this.prefix}misunderstood`;
  }

  private dayKey(day: string, scope = '') {
    return `${this.prefix}${day}${scope}`;
  }

  private intentsKey(day: string, scope = '') {
    return `${this.prefix}${day}:intents${scope}`;
  }

  /** A day's accounts per mail domain: fields `c:<domain>` (created) and `k:<domain>` (confirmed). */
  private domainsKey(day: string) {
    return `${this.prefix}${day}:domains`;
  }

  /** A domain contains a dot, an académie id none: the two kinds of pending sets never meet. */
  private domainPendingKey(domain: string) {
    return `${this.prefix}pending:${domain}`;
  }

  private countDomain(
    m: ChainableCommander,
    at: Date,
    field: 'accountsCreated' | 'accountsConfirmed',
    domain: string,
  ) {
    const key = this.domainsKey(dayOf(at, this.zone));
    m.hincrby(key, `${field === 'accountsCreated' ? 'c' : 'k'}:${domain}`, 1);
    m.expire(key, this.dayTtl);
  }

  private count(m: ChainableCommander, at: Date, field: Field, scope: string) {
    const key = this.dayKey(dayOf(at, this.zone), scope);
    m.hincrby(key, field, 1);
    m.expire(key, this.dayTtl);
  }

  /** One MULTI per event, so a day's counters never disagree with the pending set; never rejects. */
  private async write(operation: string, build: (m: ChainableCommander) => void): Promise<void> {
    try {
      const m = this.redis.multi();
      build(m);
      await exec(m);
    } catch (error) {
      // Only the driver's message: it names no key nor value, and the caller's data stays out of logs.
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn({ operation, err: { message } }, 'statistiques : écriture perdue');
    }
  }
}

/** The key suffixes an event counts under: everyone's (''), and its académie's when known. */
function scopes(academie: string | undefined): string[] {
  const id = statsAcademie(academie);
  return id ? ['', `:ac:${id}`] : [''];
}

/** The key suffix of a read: one académie's figures, or everyone's; an id never recorded reads zeros. */
function scopeOf(academie: string | undefined): string {
  if (academie === undefined) return '';
  return `:ac:${statsAcademie(academie) ?? '-'}`;
}

/** Statistics need no address: a hash is enough to match a confirmation to its request. */
function member(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('base64url');
}

async function exec(m: ChainableCommander): Promise<unknown[]> {
  const results = await m.exec();
  if (!results) throw new Error('transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}

function parseIntents(hash: Record<string, string>): Map<string, { count: number; unsure: number }> {
  const counts = new Map<string, { count: number; unsure: number }>();
  for (const [field, raw] of Object.entries(hash)) {
    const kind = field.slice(0, 2);
    if (kind !== 'n:' && kind !== 'u:') continue;
    const intent = field.slice(2);
    const value = Number.parseInt(raw, 10) || 0;
    const c = counts.get(intent) ?? { count: 0, unsure: 0 };
    counts.set(intent, kind === 'n:' ? { ...c, count: value } : { ...c, unsure: value });
  }
  return counts;
}

/** A line that is not ours (hand-edited, older format) is skipped rather than breaking the page. */
function parseMessage(line: string): MisunderstoodMessage | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (typeof value.at !== 'string' || typeof value.text !== 'string') return undefined;
    const academie = statsAcademie(typeof value.academie === 'string' ? value.academie : undefined);
    return { at: value.at, text: value.text, ...(academie ? { academie } : {}) };
  } catch {
    return undefined;
  }
}

function parseDomains(hash: Record<string, string>): Map<string, DomainCounts> {
  const domains = new Map<string, DomainCounts>();
  for (const [field, raw] of Object.entries(hash)) {
    const kind = field.slice(0, 2);
    if (kind !== 'c:' && kind !== 'k:') continue;
    const domain = field.slice(2);
    const value = Number.parseInt(raw, 10) || 0;
    const c = domains.get(domain) ?? { accountsCreated: 0, accountsConfirmed: 0 };
    domains.set(
      domain,
      kind === 'c:' ? { ...c, accountsCreated: value } : { ...c, accountsConfirmed: value },
    );
  }
  return domains;
}
