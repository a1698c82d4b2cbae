import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { RULES } from '../../../src/domain/limits/rules';
import { isAppError } from '../../../src/errors';
import { RedisRateLimiter } from '../../../src/infra/redis/rate-limiter';
import { type TestRedis, testRedis } from '../../support/redis';
import { type PrivateRedis, startPrivateRedis } from '../../support/redis-server';
import { rateLimiterContract } from '../rate-limiter.contract';

const T0 = Date.parse('2014-11-20T09:00:00Z');

describe('RedisRateLimiter', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await testRedis();
  });
  afterEach(async () => t.cleanup());

  rateLimiterContract(async () => new RedisRateLimiter(t.redis, { prefix: t.prefix }));

  it('shares one budget between two clients, as between two instances', async () => {
    const other = t.redis.duplicate();
    try {
      const one = new RedisRateLimiter(t.redis, { prefix: t.prefix });
      const two = new RedisRateLimiter(other, { prefix: t.prefix });
      const rule = RULES.mailsPerAddress;
      const verdicts = [];
      for (let i = 0; i < 8; i += 1)
        verdicts.push(await (i % 2 ? one : two).consume(rule, 'jeanne.martin@ac-paris.fr', T0));
      assert.deepEqual(
        verdicts.map((v) => v.allowed),
        [true, true, true, true, true, false, false, false],
      );
    } finally {
      await other.quit();
    }
  });

  it('keeps one key per rule and subject, expiring when the bucket is full again', async () => {
    const limiter = new RedisRateLimiter(t.redis, { prefix: t.prefix });
    const rule = RULES.confirmationFailuresPerIp;
    // The key's TTL is counted from Redis's own time: use the real clock here.
    const now = Date.now();
    for (let i = 0; i < 3; i += 1) await limiter.consume(rule, '192.0.2.7', now);
    assert.deepEqual(await t.keys(), [`${t.prefix}rl:confirm-ip:192.0.2.7`]);
    const pttl = await t.redis.pttl(`${t.prefix}rl:confirm-ip:192.0.2.7`);
    assert.ok(pttl > 59_000 && pttl <= 60_000, `pttl ${pttl}`);
  });

  it('a refund shortens the key’s life by one interval, and removes it once the bucket is full', async () => {
    const limiter = new RedisRateLimiter(t.redis, { prefix: t.prefix });
    const rule = RULES.helpdeskFailuresPerIp;
    const key = `${t.prefix}rl:hd-fail-ip:192.0.2.8`;
    const now = Date.now();
    await limiter.consume(rule, '192.0.2.8', now);
    await limiter.consume(rule, '192.0.2.8', now);
    await limiter.refund(rule, '192.0.2.8', now);
    const pttl = await t.redis.pttl(key);
    assert.ok(pttl > rule.intervalMs - 2_000 && pttl <= rule.intervalMs, `pttl ${pttl}`);
    await limiter.refund(rule, '192.0.2.8', now);
    assert.deepEqual(await t.keys(), []);
  });

  it('a refund Redis cannot take is skipped, logged, not thrown: the agent is already in', async () => {
    const warnings: unknown[] = [];
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true });
    dead.on('error', () => undefined);
    try {
      const logger = { warn: (...args: unknown[]) => warnings.push(args) } as never;
      await new RedisRateLimiter(dead, { logger }).refund(RULES.helpdeskFailuresPerIp, '192.0.2.8', T0);
      assert.equal(warnings.length, 1);
    } finally {
      dead.disconnect();
    }
  });

  it('puts no address in a key name, only its sha256', async () => {
    const limiter = new RedisRateLimiter(t.redis, { prefix: t.prefix });
    const address = 'jeanne.martin@ac-paris.fr';
    await limiter.consume(RULES.mailsPerAddress, address, T0);
    await limiter.consume(RULES.helpdeskFailuresPerLoginIp, 'agent.paris\u0000192.0.2.7', T0);
    const keys = await t.keys();
    assert.equal(keys.length, 2);
    for (const key of keys) assert.ok(!key.includes('@') && !key.includes('agent'), key);
    const digest = createHash('sha256').update(address).digest('hex');
    assert.ok(keys.includes(`${t.prefix}rl:mail-addr:${digest}`));
  });

  it('bounds the key of a hostile subject', async () => {
    const limiter = new RedisRateLimiter(t.redis, { prefix: t.prefix });
    await limiter.consume(RULES.directLineTokenPerIp, '9'.repeat(50_000), T0);
    const [key] = await t.keys();
    assert.ok(key && key.length < 150, key?.slice(0, 80));
  });

  describe('when Redis does not answer', () => {
    let server: PrivateRedis;
    let client: Redis;
    before(async () => {
      server = await startPrivateRedis();
      client = new Redis(server.url, { maxRetriesPerRequest: 0, commandTimeout: 300, lazyConnect: true });
      // Reconnection errors are expected here; without a listener ioredis prints each one.
      client.on('error', () => undefined);
      await client.connect();
      await server.stop();
    });
    after(async () => {
      client.disconnect();
      await server.destroy();
    });

    it('refuses with STORE_UNAVAILABLE for a rule that fails closed', async () => {
      const limiter = new RedisRateLimiter(client);
      for (const rule of [
        RULES.mailsPerAddress,
        RULES.helpdeskFailuresPerIp,
        RULES.confirmationFailuresPerIp,
      ])
        await assert.rejects(limiter.peek(rule, 'x', T0), (e: unknown) => isAppError(e, 'STORE_UNAVAILABLE'));
    });

    it('lets the action through for a rule that fails open, and says so in the log', async () => {
      const warnings: unknown[] = [];
      const logger = { warn: (...args: unknown[]) => warnings.push(args) } as never;
      const limiter = new RedisRateLimiter(client, { logger });
      assert.deepEqual(await limiter.consume(RULES.directLineTokenPerIp, '192.0.2.7', T0), { allowed: true });
      assert.equal(warnings.length, 1);
    });
  });
});
