import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Outbox, OutboxMail, QueuedMail } from '../../domain/accounts/ports';
import { storeCall } from './errors';
import { defineScript, type RunScript } from './scripts';

export const OUTBOX_DUE = 'outbox:due';
export const OUTBOX_DEAD = 'outbox:dead';

export function outboxMailKey(prefix: string, id: string): string {
  return `${prefix}outbox:mail:${id}`;
}

export interface RedisOutboxOptions {
  /** Must equal the RedisAccountStore prefix. */
  prefix?: string;
}

/**
 * `outbox:mail:<id>` holds the mail (its token only sealed) and its attempts; `outbox:due` orders ids by
 * next attempt time (application clock); `outbox:dead` is the set of given-up ids, whose records stay for
 * the helpdesk. A sent mail's record is deleted at once.
 */
export class RedisOutbox implements Outbox {
  private readonly prefix: string;
  private readonly claimScript: RunScript;
  private readonly failScript: RunScript;
  private readonly deadScript: RunScript;

  constructor(
    private readonly redis: Redis,
    options: RedisOutboxOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.claimScript = defineScript(redis, 'outbox-claim');
    this.failScript = defineScript(redis, 'outbox-fail');
    this.deadScript = defineScript(redis, 'outbox-dead');
  }

  async enqueue(mail: OutboxMail, now: number): Promise<string> {
    const id = randomUUID();
    const at = String(Math.trunc(now));
    await storeCall('outbox enqueue', () =>
      this.redis
        .multi()
        .hset(this.mailKey(id), 'mail', JSON.stringify(mail), 'attempts', '0', 'enqueuedAt', at)
        .zadd(this.dueKey, at, id)
        .exec(),
    );
    return id;
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<QueuedMail[]> {
    const flat = (await storeCall('outbox claim', () =>
      this.claimScript(
        [this.dueKey],
        [
          String(Math.trunc(now)),
          Math.max(1, Math.trunc(limit)),
          String(Math.trunc(now + leaseMs)),
          this.prefix,
        ],
      ),
    )) as string[];
    const claimed: QueuedMail[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const id = flat[i] as string;
      const mail = parseMail(flat[i + 1] as string);
      if (!mail) {
        // One unreadable record must not block the queue behind it.
        await this.markDead(id, 'unreadable outbox record');
        continue;
      }
      claimed.push({ id, mail, attempts: Number(flat[i + 2]) || 0 });
    }
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
    return `${this.prefix}${OUTBOX_DUE}`;
  }

  private get deadKey(): string {
    return `${this.prefix}${OUTBOX_DEAD}`;
  }

  private mailKey(id: string): string {
    return outboxMailKey(this.prefix, id);
  }
}

function parseMail(json: string): OutboxMail | null {
  try {
    const value = JSON.parse(json) as Partial<Record<string, unknown>>;
    if (typeof value.to !== 'string') return null;
    if (value.kind === 'already-confirmed') return { kind: 'already-confirmed', to: value.to };
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
