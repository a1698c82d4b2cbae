import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { RedisHandoffStore } from '../../../src/infra/redis/handoff-store';
import { type TestRedis, testRedis } from '../../support/redis';

const ref = { channelId: 'webchat', conversationId: 'c', serviceUrl: 'http://x/' } as never;

describe('RedisHandoffStore: what a review found (regressions)', () => {
  let r: TestRedis;
  let store: RedisHandoffStore;
  before(async () => {
    r = await testRedis();
    store = new RedisHandoffStore(r.redis, { prefix: r.prefix });
  });
  after(async () => r?.cleanup());

  it('an agent message racing the end leaves no key that blocks the next request', async () => {
    await store.request({ channelId: 'webchat', conversationId: 'c1', conversation: ref }, 1000);
    await store.take('webchat', 'c1', 'agent', 2000);
    // The agent's message was checked (status taken) just before the teacher's « annuler » ended it.
    await store.end('webchat', 'c1');
    await store.append('webchat', 'c1', { at: 3000, from: 'agent', text: 'bonjour', agent: 'agent' });
    const again = await store.request(
      { channelId: 'webchat', conversationId: 'c1', conversation: ref },
      4000,
    );
    assert.equal(again, 'queued');
    assert.ok((await store.list()).some((h) => h.conversationId === 'c1'));
    await store.end('webchat', 'c1');
  });

  it('keeps the last messages a little after the end, for the agent’s page', async () => {
    await store.request({ channelId: 'webchat', conversationId: 'c2', conversation: ref }, 1000);
    await store.take('webchat', 'c2', 'agent', 2000);
    await store.append('webchat', 'c2', {
      at: 3000,
      from: 'teacher',
      text: 'L’enseignant a quitté l’échange.',
    });
    await store.end('webchat', 'c2');
    const seen = await store.messages('webchat', 'c2');
    assert.equal(seen.length, 1, 'the line is deleted by the end that follows it (leaveHandoff)');
    const messagesKey = (await r.keys()).find((k) => k.endsWith('m:webchat:c2')) as string;
    const ttl = await r.redis.pttl(messagesKey);
    assert.ok(ttl > 0 && ttl <= 10 * 60_000, `kept ${ttl} ms`);
  });

  it('takes an expired request out of the queue', async () => {
    await store.request(
      { channelId: 'webchat', conversationId: 'c3', conversation: ref, outsideHours: true },
      1000,
    );
    const hash = (await r.keys()).find((k) => k.endsWith('h:webchat:c3')) as string;
    await r.redis.del(hash); // what its 48 h TTL does
    await store.requeueSilent(10_000_000, 10_000_000);
    await store.dropUntaken(10_000_000);
    const queue = (await r.keys()).find((k) => k.endsWith('queue')) as string;
    const members = await r.redis.zrange(queue, '0', '-1');
    assert.ok(!members.some((m) => m.endsWith('c3')), `stale member kept: ${members.join(', ')}`);
  });
});
