import { randomBytes } from 'node:crypto';
import {
  AUDIT_ACTIONS,
  AUDIT_RETENTION_MS,
  type AuditAction,
  type AuditEntry,
  type AuditLog,
  type AuditPage,
  type AuditRecord,
  FAILED_ADDRESSES_PER_HOUR,
  hourOf,
  newestEntries,
} from '../../domain/audit/ports';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { tagged } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisAuditOptions {
  readonly prefix?: string;
  /** How long an entry is kept; AUDIT_RETENTION_MS (400 days) by default. */
  readonly retentionMs?: number;
  /** Distinct client addresses counted one by one per hour; FAILED_ADDRESSES_PER_HOUR by default. */
  readonly addressesPerHour?: number;
}

/** The audit's keys share one slot: a failed login writes the log and its hour's counts in one script. */
export const AUDIT_TAG = 'audit';

const ACTIONS = new Set<string>(AUDIT_ACTIONS);
const FAILURE = /^f\|(\d+)\|(.+)$/s;

/**
 * The helpdesk audit log as one sorted set by time, `{audit}:log`: an agent's action is one member (its
 * JSON, with a random nonce so that two identical reads in one millisecond stay two), a failed-login
 * counter is one member per (hour, address) whose counts live in the hour's hash `{audit}:failed:<hour>`.
 * Nothing removes a member but age: every write trims what is older than the retention, and every key
 * carries an expiry (the log's is pushed back by each write), so an idle log goes away by itself.
 */
export class RedisAuditLog implements AuditLog {
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly addressesPerHour: number;
  private readonly countFailure: RunScript;
  readonly logKey: string;

  constructor(
    private readonly redis: RedisClient,
    options: RedisAuditOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.retentionMs = options.retentionMs ?? AUDIT_RETENTION_MS;
    this.addressesPerHour = options.addressesPerHour ?? FAILED_ADDRESSES_PER_HOUR;
    this.logKey = tagged(this.prefix, AUDIT_TAG, 'log');
    this.countFailure = defineScript(redis, 'audit-failed-login');
  }

  hourKey(hourMs: number): string {
    return tagged(this.prefix, AUDIT_TAG, `failed:${hourMs}`);
  }

  async record(entry: AuditEntry): Promise<void> {
    const atMs = Date.parse(entry.at);
    if (!Number.isFinite(atMs)) throw new RangeError('audit entry without a valid time');
    const member = JSON.stringify({
      at: entry.at,
      login: entry.login,
      action: entry.action,
      target: entry.target,
      ...(entry.scope ? { scope: entry.scope } : {}),
      n: randomBytes(8).toString('hex'),
    });
    await storeCall('audit.record', async () => {
      const results = await this.redis
        .multi()
        .zadd(this.logKey, atMs, member)
        .zremrangebyscore(this.logKey, '-inf', `(${atMs - this.retentionMs}`)
        .pexpire(this.logKey, this.retentionMs)
        .exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
    });
  }

  async countFailedLogin(address: string, kind: 'failed' | 'blocked', atMs: number): Promise<void> {
    const hour = hourOf(atMs);
    // The hour's counts live as long as the hour's member may, measured from now.
    const hashTtl = Math.max(1, Math.ceil(hour + this.retentionMs - atMs));
    await storeCall('audit.failedLogin', () =>
      this.countFailure(
        [this.logKey, this.hourKey(hour)],
        [
          hour,
          address,
          kind === 'failed' ? 'f' : 'b',
          this.addressesPerHour,
          hashTtl,
          Math.floor(atMs - this.retentionMs),
          this.retentionMs,
        ],
      ),
    );
  }

  async page(query: { readonly limit: number; readonly before?: number }): Promise<AuditPage> {
    const limit = Math.max(1, Math.floor(query.limit));
    const max = query.before === undefined ? '+inf' : `(${query.before}`;
    return storeCall('audit.page', async () => {
      let members = pairs(
        await this.redis.zrevrangebyscore(this.logKey, max, '-inf', 'WITHSCORES', 'LIMIT', 0, limit),
      );
      let next: number | undefined;
      const last = members.at(-1)?.score;
      if (members.length === limit && last !== undefined) {
        // The whole last instant (or hour of counts), so that `before = last` loses nothing.
        const ties = pairs(await this.redis.zrevrangebyscore(this.logKey, last, last, 'WITHSCORES'));
        members = [...members.filter((m) => m.score > last), ...ties];
        if ((await this.redis.zcount(this.logKey, '-inf', `(${last}`)) > 0) next = last;
      }
      const records = await this.records(members);
      return next === undefined ? { records } : { records, next };
    });
  }

  recent(limit: number): Promise<AuditEntry[]> {
    return newestEntries(this, limit);
  }

  /** Entries parsed, failure members filled in from their hours' counts (one read per hour). */
  private async records(members: readonly Member[]): Promise<AuditRecord[]> {
    const hours = new Map<number, string[]>();
    for (const { member } of members) {
      const failure = FAILURE.exec(member);
      if (!failure) continue;
      const hour = Number(failure[1]);
      const address = failure[2] as string;
      hours.set(hour, [...(hours.get(hour) ?? []), `f:${address}`, `b:${address}`]);
    }
    const counts = new Map<string, number>();
    await Promise.all(
      [...hours].map(async ([hour, fields]) => {
        const values = await this.redis.hmget(this.hourKey(hour), ...fields);
        fields.forEach((field, i) => {
          counts.set(`${hour}|${field}`, Number(values[i] ?? 0));
        });
      }),
    );
    return members.flatMap(({ member }): AuditRecord[] => {
      const failure = FAILURE.exec(member);
      if (!failure) {
        const entry = parseEntry(member);
        return entry ? [entry] : [];
      }
      const hour = Number(failure[1]);
      const address = failure[2] as string;
      const failed = counts.get(`${hour}|f:${address}`) ?? 0;
      const blocked = counts.get(`${hour}|b:${address}`) ?? 0;
      // The hour's counts expired a moment before its member was trimmed: nothing to show.
      if (failed + blocked === 0) return [];
      return [{ action: 'login.failed', at: new Date(hour).toISOString(), address, failed, blocked }];
    });
  }
}

interface Member {
  readonly member: string;
  readonly score: number;
}

function pairs(reply: readonly string[]): Member[] {
  const members: Member[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2)
    members.push({ member: reply[i] as string, score: Number(reply[i + 1]) });
  return members;
}

/** A member that is not one of ours (hand-edited, older format) is skipped rather than breaking the page. */
function parseEntry(line: string): AuditEntry | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const { at, login, action, target, scope } = value;
    if (typeof at !== 'string' || typeof login !== 'string' || typeof target !== 'string') return undefined;
    if (typeof action !== 'string' || !ACTIONS.has(action)) return undefined;
    const entry = { at, login, action: action as AuditAction, target };
    return Array.isArray(scope) && scope.every((d) => typeof d === 'string') ? { ...entry, scope } : entry;
  } catch {
    return undefined;
  }
}
