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
  /**
   * Events are summed in memory and written at most this often, in one transaction (a turn then sends
   * nothing for its statistics); 0 writes each event at once. Reads and `flush` write what waits first.
   */
  readonly batchMs?: number;
}

const FIELDS = ['accountsCreated', 'accountsConfirmed', 'mailsSent', 'mailsFailed'] as const;
type Field = (typeof FIELDS)[number];
/** Intent names come from our recogniser, but a field name is still bounded. */
const MAX_INTENT_LENGTH = 100;
/**
 * Events waiting past this (Redis down for long) are dropped rather than kept: counters, not accounts.
 * Distinct counters are few (a few fields per day, one per intent); this bounds the pending-set changes
 * and the misunderstood messages.
 */
const MAX_WAITING = 10_000;

/** What waits for the next write: counters summed by key and field, the rest in order. */
interface Batch {
  readonly counters: Map<string, Map<string, number>>;
  /**
   * Changes to the pending sets (everyone's, an académie's, a mail domain's), in order (a request then its
   * confirmation in the same second).
   */
  readonly pending: Array<
    readonly [key: string, score: number, member: string] | readonly [key: string, member: string]
  >;
  /** Newest last. */
  readonly misunderstood: string[];
  /** The latest request time per pending set, for pruning it. */
  readonly latestRequest: Map<string, number>;
  size: number;
}

/**
 * Campaign statistics in Redis: one hash of counters per Paris day (`{stats}:YYYY-MM-DD`), one hash of
 * intent counts per day (`{stats}:YYYY-MM-DD:intents`), a sorted set of pending requests
 * (`{stats}:pending`, requested-at in ms) and a capped list of misunderstood messages. One hash tag for
 * all: a write's MULTI spans a day's counters and the pending sets, and a read spans several days. An
 * event of a known académie is also counted under `…:ac:<id>` (`{stats}:YYYY-MM-DD:ac:<id>`,
 * `{stats}:YYYY-MM-DD:intents:ac:<id>`, `{stats}:pending:ac:<id>`), and an account by its address's mail
 * domain (`{stats}:YYYY-MM-DD:domains`, fields `c:<domain>` and `k:<domain>`; `{stats}:pending:<domain>`)
 * for an agent scoped by domain; a misunderstood message carries its académie.
 *
 * With `batchMs` (the application's 1 s), events are summed in memory and written together: one MULTI
 * a second whatever the traffic, one HINCRBY per counter. Writes are fire-and-forget: each resolves even
 * when Redis fails (logged, dropped), because a lost counter is better than a teacher's turn failing over
 * a statistic. `flush` writes what waits (graceful shutdown).
 */
export class RedisStats implements Stats {
  private readonly prefix: string;
  private readonly zone: string;
  private readonly clock: Clock;
  private readonly dayTtl: number;
  private readonly misunderstoodTtl: number;
  private readonly batchMs: number;
  private batch: Batch | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The write in progress, so that a flush waits for it too. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisStatsOptions = {},
  ) {
    this.prefix = tagged(options.prefix ?? '', STATS_TAG, '');
    this.zone = options.timeZone ?? 'Europe/Paris';
    this.clock = options.clock ?? systemClock;
    this.dayTtl = options.dayTtlSeconds ?? 400 * 86_400;
    this.misunderstoodTtl = options.misunderstoodTtlSeconds ?? 90 * 86_400;
    this.batchMs = options.batchMs ?? 0;
  }

  // ---- StatsRecorder ----

  accountRequested(
    outcome: AccountRequestOutcome,
    email: string,
    at: Date,
    academie?: string,
  ): Promise<void> {
    return this.record((b) => {
      const day = dayOf(at, this.zone);
      const domain = mailDomain(email);
      // A replaced request sends a fresh link: its 24 h start again, but it is not a new account.
      if (outcome === 'created') {
        for (const scope of scopes(academie)) this.count(b, this.dayKey(day, scope), 'accountsCreated');
        if (domain) this.count(b, this.domainsKey(day), `c:${domain}`);
      }
      if (outcome === 'created' || outcome === 'replaced') {
        const keys = scopes(academie).map((scope) => this.pendingKey(scope));
        if (domain) keys.push(this.domainPendingKey(domain));
        for (const key of keys) {
          b.pending.push([key, at.getTime(), member(email)]);
          b.latestRequest.set(key, Math.max(b.latestRequest.get(key) ?? 0, at.getTime()));
        }
      }
    });
  }

  accountConfirmed(email: string, at: Date, academie?: string): Promise<void> {
    return this.record((b) => {
      const day = dayOf(at, this.zone);
      const domain = mailDomain(email);
      for (const scope of scopes(academie)) {
        this.count(b, this.dayKey(day, scope), 'accountsConfirmed');
        b.pending.push([this.pendingKey(scope), member(email)]);
      }
      if (domain) {
        this.count(b, this.domainsKey(day), `k:${domain}`);
        b.pending.push([this.domainPendingKey(domain), member(email)]);
      }
    });
  }

  mailSent(at: Date, academie?: string): Promise<void> {
    return this.record((b) => {
      for (const scope of scopes(academie))
        this.count(b, this.dayKey(dayOf(at, this.zone), scope), 'mailsSent');
    });
  }

  mailFailed(at: Date, academie?: string): Promise<void> {
    return this.record((b) => {
      for (const scope of scopes(academie))
        this.count(b, this.dayKey(dayOf(at, this.zone), scope), 'mailsFailed');
    });
  }

  recognised(intent: string, confident: boolean, at: Date, academie?: string): Promise<void> {
    return this.record((b) => {
      const name = intent.slice(0, MAX_INTENT_LENGTH);
      for (const scope of scopes(academie)) {
        const key = this.intentsKey(dayOf(at, this.zone), scope);
        this.count(b, key, `n:${name}`);
        if (!confident) this.count(b, key, `u:${name}`);
      }
    });
  }

  misunderstood(text: string, at: Date, academie?: string): Promise<void> {
    const clipped = clipMisunderstood(text);
    if (!clipped) return Promise.resolve();
    const id = statsAcademie(academie);
    return this.record((b) => {
      b.misunderstood.push(
        JSON.stringify({ at: at.toISOString(), text: clipped, ...(id ? { academie: id } : {}) }),
      );
      if (b.misunderstood.length > MAX_MISUNDERSTOOD) b.misunderstood.shift();
    });
  }

  /** Writes what waits; resolves once written (or dropped: it never rejects). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = undefined;
    const previous = this.writing;
    const current = previous.then(() => (batch ? this.write(batch) : undefined));
    this.writing = current;
    await current;
  }

  // ---- StatsReader ----

  async daily(fromDay: string, toDay: string, academie?: string): Promise<DailyStats[]> {
    await this.flush();
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
    await this.flush();
    const key = this.pendingKey(scopeOf(academie));
    return storeCall('stats.pending', () => this.redis.zcount(key, '-inf', now.getTime() - ms));
  }

  async pendingInDomains(domains: readonly string[], ms: number, now: Date): Promise<number> {
    if (domains.length === 0) return 0;
    await this.flush();
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
    await this.flush();
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
    await this.flush();
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
    await this.flush();
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

  /** A domain contains a dot, an académie id none: the two kinds of pending sets never meet. */
  private domainPendingKey(domain: string) {
    return `${this.prefix}pending:${domain}`;
  }

  /** A day's accounts per mail domain: fields `c:<domain>` (created) and `k:<domain>` (confirmed). */
  private domainsKey(day: string) {
    return `${this.prefix}${day}:domains`;
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

  private count(batch: Batch, key: string, field: string): void {
    let fields = batch.counters.get(key);
    if (!fields) {
      fields = new Map();
      batch.counters.set(key, fields);
    }
    const n = fields.get(field);
    if (n === undefined) batch.size++;
    fields.set(field, (n ?? 0) + 1);
  }

  private record(add: (batch: Batch) => void): Promise<void> {
    this.batch ??= { counters: new Map(), pending: [], misunderstood: [], latestRequest: new Map(), size: 0 };
    const batch = this.batch;
    if (batch.size + batch.pending.length + batch.misunderstood.length >= MAX_WAITING) {
      this.options.logger?.warn(
        { operation: 'batch' },
        'statistiques : trop d’écritures en attente, perdues',
      );
      return Promise.resolve();
    }
    add(batch);
    if (this.batchMs <= 0) return this.flush();
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.batchMs);
      this.timer.unref();
    }
    return Promise.resolve();
  }

  /** One MULTI for the whole batch, so a day's counters never disagree with the pending set; never rejects. */
  private async write(batch: Batch): Promise<void> {
    try {
      const m = this.redis.multi();
      for (const [key, fields] of batch.counters) {
        for (const [field, n] of fields) m.hincrby(key, field, n);
        m.expire(key, this.dayTtl);
      }
      for (const [key, latest] of batch.latestRequest)
        m.zremrangebyscore(key, '-inf', latest - this.dayTtl * 1000);
      const touched = new Set<string>();
      for (const change of batch.pending) {
        if (change.length === 3) m.zadd(change[0], change[1], change[2]);
        else m.zrem(change[0], change[1]);
        touched.add(change[0]);
      }
      for (const key of touched) m.expire(key, this.dayTtl);
      if (batch.misunderstood.length > 0) {
        m.lpush(this.misunderstoodKey, ...batch.misunderstood);
        m.ltrim(this.misunderstoodKey, 0, MAX_MISUNDERSTOOD - 1);
        m.expire(this.misunderstoodKey, this.misunderstoodTtl);
      }
      await exec(m);
    } catch (error) {
      // Only the driver's message: it names no key nor value, and the caller's data stays out of logs.
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn({ operation: 'write', err: { message } }, 'statistiques : écriture perdue');
    }
  }
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
    const academie = typeof value.academie === 'string' ? value.academie : undefined;
    return { at: value.at, text: value.text, ...(academie ? { academie } : {}) };
  } catch {
    return undefined;
  }
}

/** An event is counted for everyone, and for its académie when it has one (a profile id). */
function scopes(academie: string | undefined): string[] {
  const id = statsAcademie(academie);
  return id ? ['', `:ac:${id}`] : [''];
}

/** The key suffix of a read: one académie's figures, or everyone's; an id never recorded reads zeros. */
function scopeOf(academie: string | undefined): string {
  if (academie === undefined) return '';
  return `:ac:${statsAcademie(academie) ?? '-'}`;
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
