import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { ClaimedReminder, Reminder } from '../../src/domain/reminders/ports';
import { MemoryRateLimiter } from '../../src/infra/memory-rate-limiter';
import { RedisReminderStore } from '../../src/infra/redis/reminder-store';
import { type Delivery, ReminderWorker } from '../../src/infra/reminder-worker';
import { silentLogger } from '../../src/log';
import { testRedis } from '../support/redis';

const T0 = Date.parse('2014-11-27T10:00:00+01:00');

function reminder(tag: string, kind: Reminder['kind'] = 'voteOpens'): Reminder {
  return {
    id: `${tag}:${kind}`,
    kind,
    conversationTag: tag,
    conversation: { channelId: 'webchat' },
    dueAt: T0,
  };
}

describe('ReminderWorker (real Redis queue)', () => {
  async function setup(outcomes: Delivery[]) {
    const redis = await testRedis();
    const store = new RedisReminderStore(redis.redis, { prefix: redis.prefix });
    let now = T0;
    const said: ClaimedReminder[] = [];
    const worker = (limiter?: MemoryRateLimiter) =>
      new ReminderWorker({
        store,
        clock: { now: () => new Date(now) },
        logger: silentLogger(),
        retryMs: 60_000,
        ...(limiter ? { limiter } : {}),
        deliver: async (r) => {
          said.push(r);
          return outcomes.shift() ?? 'sent';
        },
      });
    return { redis, store, said, worker, advance: (ms: number) => (now += ms) };
  }

  it('says a due reminder once, even with two instances polling the same queue', async () => {
    const { redis, store, said, worker } = await setup([]);
    try {
      for (let i = 0; i < 10; i += 1) await store.schedule(reminder(`t${i}`), T0 - 1);
      const [a, b] = [worker(), worker()];
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      assert.equal(said.length, 10);
      assert.equal(new Set(said.map((r) => r.id)).size, 10);
      assert.deepEqual(await redis.keys(), [], 'nothing left once said');
    } finally {
      await redis.cleanup();
    }
  });

  it('tries again only a delivery that certainly failed, then gives up; an uncertain one is never repeated', async () => {
    const { redis, store, said, worker, advance } = await setup(['failed', 'failed', 'failed', 'uncertain']);
    try {
      await store.schedule(reminder('f'), T0);
      const w = worker();
      assert.equal(await w.tick(), 0);
      advance(60_000);
      assert.equal(await w.tick(), 0, 'second try, failed');
      advance(120_000);
      assert.equal(await w.tick(), 0, 'third try, failed: given up');
      advance(10 * 60_000);
      await w.tick();
      assert.equal(said.length, 3);
      await store.schedule(reminder('u'), T0);
      await w.tick();
      advance(10 * 60_000);
      await w.tick();
      assert.equal(said.filter((r) => r.conversationTag === 'u').length, 1, 'uncertain: said at most once');
    } finally {
      await redis.cleanup();
    }
  });

  it('keeps to the conversation’s budget: past it, a reminder is dropped, not said', async () => {
    const { redis, store, said, worker } = await setup([]);
    try {
      const limiter = new MemoryRateLimiter();
      const w = worker(limiter);
      for (const kind of ['unconfirmed', 'voteOpens', 'voteClosing'] as const) {
        await store.schedule(reminder('same', kind), T0);
        await w.tick();
      }
      await store.schedule(reminder('same', 'voteOpens'), T0);
      await w.tick();
      assert.equal(said.length, 3);
    } finally {
      await redis.cleanup();
    }
  });
});
