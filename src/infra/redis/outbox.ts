import { randomBytes } from 'node:crypto';
import type { Outbox, OutboxMail, QueuedMail } from '../../domain/accounts/ports';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { accountKeys } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisOutboxOptions {
  /** Must equal the RedisAccountStore prefix. */
  prefix?: string;
  /** How long a mail's record outlives its link (or, without a link, lives): as the account store's. */
  graceMs?: number;
}

/** DEFAULT_TOKEN_GRACE_MS of the account store (not imported: that module re-exports this one). */
const DEFAULT_GRACE_MS = 7 * 24 * 3600 * 1000;

/**
 * A mail's id: 128 random bits in base64url (22 characters; it goes into the account's `requests` field
 * and a key, so the shorter the better).
 */
export function newMailId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * `outbox:mail:<id>` holds the mail (its token only sealed) and its attempts; `outbox:due` orders ids by
 * next attempt time (application clock); `outbox:dead` is the set of given-up ids, whose records stay for
 * the helpdesk. A sent mail's record is deleted at once. Every record expires (its link's validity plus
 * the grace, or the grace alone), dead letters included, and the two sets live as long as the longest
 * record they list; an id whose record expired is dropped at its next claim. All under the `{accounts}`
 * hash tag, since the account scripts enqueue mails (see keys.ts).
 */
export class RedisOutbox implements Outbox {
  private readonly claimScript: RunScript;
  private readonly failScript: RunScript;
  private readonly deadScript: RunScript;
  private readonly postponeScript: RunScript;
  private readonly enqueueScript: RunScript;
  private readonly keys: ReturnType<typeof accountKeys>;
  private readonly graceMs: number;

  constructor(
    private readonly redis: RedisClient,
    options: RedisOutboxOptions = {},
  ) {
    this.keys = accountKeys(options.prefix ?? '');
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.claimScript = defineScript(redis, 'outbox-claim');
    this.failScript = defineScript(redis, 'outbox-fail');
    this.deadScript = defineScript(redis, 'outbox-dead');
    this.postponeScript = defineScript(redis, 'outbox-postpone');
    this.enqueueScript = defineScript(redis, 'outbox-enqueue');
  }

  async enqueue(mail: OutboxMail, now: number): Promise<string> {
    const id = newMailId();
    const until = mail.kind === 'confirmation' ? Math.max(now, mail.expiresAt) : now;
    const ttl = Math.trunc(until - now + this.graceMs);
    await storeCall('outbox enqueue', () =>
      this.enqueueScript(
        [this.mailKey(id), this.dueKey],
        [id, JSON.stringify(mail), String(Math.trunc(now)), String(ttl)],
      ),
    );
    return id;
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<QueuedMail[]> {
    const ids = (await storeCall('outbox claim', () =>
      this.claimScript(
        [this.dueKey],
        [String(Math.trunc(now)), Math.max(1, Math.trunc(limit)), String(Math.trunc(now + leaseMs))],
      ),
    )) as string[];
    if (ids.length === 0) return [];
    const records = await storeCall('outbox claim', async () => {
      const read = this.redis.multi();
      for (const id of ids) read.hmget(this.mailKey(id), 'mail', 'attempts');
      const results = await read.exec();
      if (!results) throw new Error('transaction aborted');
      return results.map(([error, reply]) => {
        if (error) throw error;
        return reply as [string | null, string | null];
      });
    });
    const claimed: QueuedMail[] = [];
    const gone: string[] = [];
    for (const [i, id] of ids.entries()) {
      const [json, attempts] = records[i] ?? [null, null];
      // An id without its record was withdrawn or is corrupt: drop it rather than spin on it.
      if (json === null) {
        gone.push(id);
        continue;
      }
      const mail = parseMail(json);
      if (!mail) {
        // One unreadable record must not block the queue behind it.
        await this.markDead(id, 'unreadable outbox record');
        continue;
      }
      claimed.push({ id, mail, attempts: Number(attempts) || 0 });
    }
    if (gone.length > 0) await storeCall('outbox claim', () => this.redis.zrem(this.dueKey, ...gone));
    return claimed;
  }

  async markSent(id: string): Promise<void> {
    await storeCall('outbox sent', () =>
      this.redis.multi().zrem(this.dueKey, id).del(this.mailKey(id)).exec(),
    );
  }

  async markFailed(id: string, nextAttemptAt: number): Promise<void> {
    await storeCall('outbox failed', () =>
      this.failScript([this.dueKey, this.mailKey(id)], [id, String(Math.trunc(nextAttemptAt))]),
    );
  }

  async postpone(id: string, until: number): Promise<void> {
    await storeCall('outbox postpone', () =>
      this.postponeScript([this.dueKey, this.mailKey(id)], [id, String(Math.trunc(until))]),
    );
  }

  async markDead(id: string, reason: string): Promise<void> {
    await storeCall('outbox dead', () =>
      this.deadScript([this.dueKey, this.deadKey, this.mailKey(id)], [id, reason.slice(0, 500)]),
    );
  }

  async counts(): Promise<{ queued: number; dead: number }> {
    const [queued, dead] = await storeCall('outbox counts', () =>
      Promise.all([this.redis.zcard(this.dueKey), this.redis.scard(this.deadKey)]),
    );
    return { queued, dead };
  }

  private get dueKey(): string {
    return this.keys.due;
  }

  private get deadKey(): string {
    return this.keys.dead;
  }

  private mailKey(id: string): string {
    return this.keys.mail(id);
  }
}

function parseMail(json: string): OutboxMail | null {
  try {
    const value = JSON.parse(json) as Partial<Record<string, unknown>>;
    if (typeof value.to !== 'string') return null;
    if (value.kind === 'already-confirmed') return { kind: 'already-confirmed', to: value.to };
    if (value.kind === 'reminder' && typeof value.expiresAt === 'number')
      return {
        kind: 'reminder',
        to: value.to,
        expiresAt: value.expiresAt,
        ...(typeof value.requestedAt === 'number' ? { requestedAt: value.requestedAt } : {}),
      };
    if (
      value.kind === 'confirmation' &&
      typeof value.sealedToken === 'string' &&
      typeof value.expiresAt === 'number'
    ) {
      return {
        kind: 'confirmation',
        to: value.to,
        sealedToken: value.sealedToken,
        expiresAt: value.expiresAt,
      };
    }
    return null;
  } catch {
    return null;
  }
}
