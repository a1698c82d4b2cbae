import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import sinon from 'sinon';
import type { TurnGuard } from '../../../src/domain/turns/ports';
import { RedisStorage } from '../../../src/infra/redis/storage';
import { RedisTranscriptStore } from '../../../src/infra/redis/transcript-store';
import { RedisTurnGuard } from '../../../src/infra/redis/turn-guard';
import { type TestRedis, testRedis } from '../../support/redis';
import { isDuplicate, withLock } from '../../support/turns';
import { turnGuardBehaviour, turnStateBehaviour } from '../turn-guard.behaviour';

const NOW = new Date('2014-11-20T08:00:00Z');

describe('RedisTurnGuard', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await testRedis();
  });
  afterEach(async () => {
    sinon.restore();
    await t.cleanup();
  });

  const transcriptStore = () =>
    new RedisTranscriptStore(t.redis, { prefix: t.prefix, clock: { now: () => NOW } });

  turnGuardBehaviour(async ({ waitMs }) => new RedisTurnGuard(t.redis, { prefix: t.prefix, waitMs }));

  turnStateBehaviour(async () => {
    const archive = transcriptStore();
    const guard = new RedisTurnGuard(t.redis, {
      prefix: t.prefix,
      transcripts: archive,
      clock: { now: () => NOW },
    });
    return { guard, archive };
  });

  /** Commands the guard sends (a script call is one), counted at the client. */
  const countCommands = () => {
    const spy = sinon.spy(t.redis, 'sendCommand');
    return () => spy.getCalls().map((call) => (call.args[0] as { name: string }).name);
  };

  const open = async (guard: TurnGuard, activityId: string, conversationId = 'conv-1') => {
    const turn = await guard.begin({ channelId: 'webchat', conversationId, activityId });
    assert.notEqual(turn, 'duplicate');
    return turn as Exclude<typeof turn, 'duplicate'>;
  };
  const line = (text: string) => ({ type: 'message', at: NOW.toISOString(), role: 'user' as const, text });

  it('sends one command before the turn and one after, the index beside it once a day', async () => {
    const guard = new RedisTurnGuard(t.redis, {
      prefix: t.prefix,
      transcripts: transcriptStore(),
      clock: { now: () => NOW },
    });
    const transcript = { channelId: 'webchat', conversationId: 'conv-1', lines: [line('Bonjour')] };
    // Scripts are loaded on the server at their first use (EVALSHA, then EVAL): not what is counted here.
    await (await open(guard, 'w', 'conv-warm')).end({
      failed: false,
      state: '{}',
      transcript: { ...transcript, conversationId: 'conv-warm' },
    });
    // First turn of the day: the end script and the index script, sent together.
    let sent = countCommands();
    const first = await open(guard, 'a1');
    assert.equal(sent().length, 1, 'duplicate filter, lock and state: one script');
    await first.end({ failed: false, state: '{"step":1}', transcript });
    assert.equal(sent().length, 3, 'state, transcript and lock release: one script; the day’s index: one');
    sinon.restore();

    sent = countCommands();
    const second = await open(guard, 'a2');
    await second.end({ failed: false, state: '{"step":2}', transcript });
    assert.equal(sent().length, 2, 'already indexed today: nothing beside the end script');
    sinon.restore();

    // An address given: indexed by it, beside the end script.
    sent = countCommands();
    const third = await open(guard, 'a3');
    await third.end({ failed: false, transcript: { ...transcript, email: 'jean.martin@ac-paris.fr' } });
    assert.equal(sent().length, 3);
  });

  it('keeps a conversation’s keys in one hash tag, and the state readable by RedisStorage', async () => {
    const guard = new RedisTurnGuard(t.redis, {
      prefix: t.prefix,
      transcripts: transcriptStore(),
      clock: { now: () => NOW },
    });
    const turn = await open(guard, 'act-1', 'abc');
    const keys = guard.keysOf('webchat', 'abc');
    assert.equal(keys.state, `${t.prefix}state:{webchat:abc}`);
    assert.equal(keys.lock, `${t.prefix}lock:{webchat:abc}`);
    assert.equal(keys.seen('act-1'), `${t.prefix}seen:{webchat:abc}:act-1`);
    assert.equal(keys.transcript, `${t.prefix}tr:{webchat:abc}`);
    await turn.end({
      failed: false,
      state: '{"step":1}',
      transcript: { channelId: 'webchat', conversationId: 'abc', lines: [line('Bonjour')] },
    });
    const storage = new RedisStorage(t.redis, { prefix: t.prefix });
    assert.equal(storage.redisKey('webchat/conversations/abc/'), keys.state);
    const item = (await storage.read(['webchat/conversations/abc/']))['webchat/conversations/abc/'];
    assert.equal(item?.step, 1);
    assert.equal(await t.redis.llen(keys.transcript), 1);
  });

  it('refuses a state write when the state changed since it was read, and still frees the turn', async () => {
    const guard = new RedisTurnGuard(t.redis, {
      prefix: t.prefix,
      transcripts: transcriptStore(),
      clock: { now: () => NOW },
    });
    await (await open(guard, 'a0')).end({ failed: false, state: '{"step":1}' });
    const stale = await open(guard, 'a1');
    // What a turn that took over after this one's lease ended would have written.
    const storage = new RedisStorage(t.redis, { prefix: t.prefix });
    await storage.write({ 'webchat/conversations/conv-1/': { step: 'other turn' } });
    await assert.rejects(
      stale.end({
        failed: false,
        state: '{"step":2}',
        transcript: { channelId: 'webchat', conversationId: 'conv-1', lines: [line('oui')] },
      }),
      /eTag conflict/,
    );
    const keys = guard.keysOf('webchat', 'conv-1');
    assert.equal(
      (await storage.read(['webchat/conversations/conv-1/']))['webchat/conversations/conv-1/']?.step,
      'other turn',
    );
    assert.equal(await t.redis.exists(keys.lock), 0, 'lock released');
    assert.equal(await t.redis.llen(keys.transcript), 1, 'the lines are kept');
    assert.equal(
      await isDuplicate(guard, 'webchat', 'a1', 'conv-1'),
      false,
      'the activity is forgotten: its retry runs',
    );
  });

  it('serialises turns across two guards, as across two processes', async () => {
    const other = t.redis.duplicate();
    try {
      const one = new RedisTurnGuard(t.redis, { prefix: t.prefix });
      const two = new RedisTurnGuard(other, { prefix: t.prefix });
      let running = 0;
      let overlaps = 0;
      const turn = (guard: RedisTurnGuard) =>
        withLock(guard, 'webchat:conv', async () => {
          running += 1;
          if (running > 1) overlaps += 1;
          await sleep(10);
          running -= 1;
        });
      await Promise.all(Array.from({ length: 8 }, (_, i) => turn(i % 2 ? one : two)));
      assert.equal(overlaps, 0);
    } finally {
      await other.quit();
    }
  });

  it('remembers activity ids for 120 s by default', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix });
    await isDuplicate(guard, 'msteams', 'act-1', 'conv');
    const [key] = await t.keys();
    assert.equal(key, `${t.prefix}seen:{msteams:conv}:act-1`);
    const ttl = await t.redis.ttl(key as string);
    assert.ok(ttl > 110 && ttl <= 120, `ttl ${ttl}`);
  });

  it('takes the lock with a lease and an owner token, and removes it after the turn', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix, leaseMs: 15_000 });
    const key = guard.keysOf('webchat', 'conv').lock;
    await withLock(guard, 'webchat:conv', async () => {
      const pttl = await t.redis.pttl(key);
      assert.ok(pttl > 14_000 && pttl <= 15_000, `pttl ${pttl}`);
      assert.match((await t.redis.get(key)) ?? '', /^[0-9a-f-]{36}$/);
    });
    assert.equal(await t.redis.exists(key), 0);
  });

  it('frees a conversation whose turn died, once the lease expires', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix, leaseMs: 100, waitMs: 2000 });
    await t.redis.set(guard.keysOf('webchat', 'conv').lock, 'a dead process', 'PX', 100);
    assert.equal(await withLock(guard, 'webchat:conv', async () => 'took over'), 'took over');
  });

  it('never releases a lock that another turn took after its lease expired', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix, leaseMs: 50, waitMs: 2000 });
    const key = guard.keysOf('webchat', 'conv').lock;
    await withLock(guard, 'webchat:conv', async () => {
      await sleep(80);
      await t.redis.set(key, 'someone else', 'PX', 10_000);
    });
    assert.equal(await t.redis.get(key), 'someone else');
  });

  it('hashes hostile long ids into short keys', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix });
    await isDuplicate(guard, 'webchat', 'z'.repeat(10_000));
    await withLock(guard, `webchat:${'c'.repeat(10_000)}`, async () => {
      for (const key of await t.keys()) assert.ok(key.length < 200, key.slice(0, 80));
    });
    assert.equal(await isDuplicate(guard, 'webchat', 'z'.repeat(10_000)), true);
  });
});
