import {
  type ClaimedReminder,
  REMINDER_KINDS,
  type Reminder,
  type ReminderKind,
  type ReminderStore,
} from '../../domain/reminders/ports';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { keyPart, tagged } from './keys';
import { defineScript, type RunScript } from './scripts';

/** Every reminder in one slot: the due set is one key anyway, and a reminder is a few hundred bytes. */
export const REMINDERS_TAG = 'reminders';

/** A reminder's record outlives its time by this, so that a late or retried delivery still finds it. */
export const REMINDER_GRACE_MS = 2 * 24 * 3_600_000;

/**
 * `{reminders}:due` orders reminder ids by due time (application clock); `{reminders}:r:<id>` holds the
 * reminder (JSON) and its failed attempts, with an expiry. Claiming removes the id from the due set in one
 * script: what is taken is never handed out again.
 */
export class RedisReminderStore implements ReminderStore {
  private readonly claimScript: RunScript;
  private readonly dueKey: string;
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    options: { prefix?: string } = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.dueKey = tagged(this.prefix, REMINDERS_TAG, 'due');
    this.claimScript = defineScript(redis, 'reminder-claim');
  }

  async schedule(reminder: Reminder, now: number): Promise<void> {
    const ttl = Math.max(1, Math.trunc(reminder.dueAt - now + REMINDER_GRACE_MS));
    await storeCall('reminder schedule', async () => {
      const results = await this.redis
        .multi()
        .hset(this.recordKey(reminder.id), 'r', JSON.stringify(reminder), 'attempts', '0')
        .pexpire(this.recordKey(reminder.id), ttl)
        .zadd(this.dueKey, String(Math.trunc(reminder.dueAt)), reminder.id)
        .exec();
      throwIfFailed(results);
      // The due set lives as long as the longest reminder it lists.
      if ((await this.redis.pttl(this.dueKey)) < ttl) await this.redis.pexpire(this.dueKey, ttl);
    });
  }

  async cancel(conversationTag: string, kinds: readonly ReminderKind[] = REMINDER_KINDS): Promise<number> {
    const ids = kinds.map((kind) => reminderId(conversationTag, kind));
    return storeCall('reminder cancel', async () => {
      const tx = this.redis.multi();
      for (const id of ids) tx.zrem(this.dueKey, id).del(this.recordKey(id));
      const results = await tx.exec();
      throwIfFailed(results);
      // Each id contributes its ZREM then its DEL: count the reminders that were still waiting.
      return (results ?? []).filter((_, i) => i % 2 === 0).filter(([, removed]) => removed === 1).length;
    });
  }

  async scheduled(conversationTag: string): Promise<Reminder[]> {
    const ids = REMINDER_KINDS.map((kind) => reminderId(conversationTag, kind));
    return storeCall('reminder read', async () => {
      const tx = this.redis.multi();
      for (const id of ids) tx.zscore(this.dueKey, id).hget(this.recordKey(id), 'r');
      const results = throwIfFailed(await tx.exec());
      const found: Reminder[] = [];
      for (let i = 0; i < ids.length; i += 1) {
        const [score, json] = [results[2 * i]?.[1], results[2 * i + 1]?.[1]];
        if (score !== null && typeof json === 'string') found.push(JSON.parse(json) as Reminder);
      }
      return found;
    });
  }

  async claimDue(now: number, limit: number): Promise<ClaimedReminder[]> {
    const ids = (await storeCall('reminder claim', () =>
      this.claimScript([this.dueKey], [String(Math.trunc(now)), Math.max(1, Math.trunc(limit))]),
    )) as string[];
    if (ids.length === 0) return [];
    return storeCall('reminder claim', async () => {
      const tx = this.redis.multi();
      for (const id of ids) tx.hmget(this.recordKey(id), 'r', 'attempts');
      const results = throwIfFailed(await tx.exec());
      const claimed: ClaimedReminder[] = [];
      for (const [, reply] of results) {
        const [json, attempts] = reply as [string | null, string | null];
        // Cancelled between the claim and this read, or expired: nothing to say.
        if (json) claimed.push({ ...(JSON.parse(json) as Reminder), attempts: Number(attempts ?? 0) });
      }
      return claimed;
    });
  }

  async done(id: string): Promise<void> {
    await storeCall('reminder done', () => this.redis.del(this.recordKey(id)));
  }

  async retry(reminder: ClaimedReminder, retryAt: number, now: number): Promise<void> {
    const ttl = Math.max(1, Math.trunc(retryAt - now + REMINDER_GRACE_MS));
    await storeCall('reminder retry', async () => {
      const results = await this.redis
        .multi()
        .hset(this.recordKey(reminder.id), 'attempts', String(reminder.attempts + 1))
        .pexpire(this.recordKey(reminder.id), ttl)
        .zadd(this.dueKey, String(Math.trunc(retryAt)), reminder.id)
        .exec();
      throwIfFailed(results);
    });
  }

  private recordKey(id: string): string {
    return tagged(this.prefix, REMINDERS_TAG, `r:${keyPart(id)}`);
  }
}

export function reminderId(conversationTag: string, kind: ReminderKind): string {
  return `${conversationTag}:${kind}`;
}

type ExecResults = Array<[Error | null, unknown]> | null;

function throwIfFailed(results: ExecResults): Array<[Error | null, unknown]> {
  if (!results) throw new Error('transaction aborted');
  for (const [error] of results) if (error) throw error;
  return results;
}
