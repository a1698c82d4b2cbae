import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisClient, pingRedis, reconnectDelay } from '../../../src/infra/redis/client';
import { createLogger } from '../../../src/log';
import { TEST_REDIS_URL } from '../../support/redis';

/** A TCP relay to the test Redis that can be cut and restored, to play a Redis outage for real. */
async function redisRelay(port = 0) {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('Redis client', () => {
  it('answers /healthz pings', async () => {
    const redis = createRedisClient(TEST_REDIS_URL, createLogger('silent'));
    try {
      assert.equal(await pingRedis(redis, 1000), true);
    } finally {
      redis.disconnect();
    }
  });

  it('fails fast when Redis is down, logs the outage without the URL, and recovers', async function () {
    this.timeout(15_000);
    const logs: string[] = [];
    const relay = await redisRelay();
    const key = `test:client:${randomUUID()}`;
    const redis = createRedisClient(
      `redis://127.0.0.1:${relay.port}`,
      createLogger('debug', { write: (l: string) => logs.push(l) }),
    );
    try {
      assert.equal(await redis.set(key, '1', 'EX', 10), 'OK');
      await relay.cut();

      const started = performance.now();
      await assert.rejects(redis.get(key));
      const waited = performance.now() - started;
      assert.ok(waited < 2_600, `a command waited ${Math.round(waited)} ms on a dead Redis`);
      assert.equal(await pingRedis(redis, 300), false);

      const back = await redisRelay(relay.port);
      try {
        for (let i = 0; i < 50 && redis.status !== 'ready'; i += 1) await sleep(100);
        assert.equal(await redis.get(key), '1');
      } finally {
        await back.cut();
      }
      const text = logs.join('');
      assert.ok(text.includes('redis ready'));
      assert.ok(text.includes('redis connection closed'));
      assert.ok(!text.includes('redis://'), 'the URL, which may hold a password, is never logged');
    } finally {
      redis.disconnect();
    }
  });

  it('reports false, not an exception, when the ping cannot be answered in time', async () => {
    const relay = await redisRelay();
    const port = relay.port;
    await relay.cut();
    const redis = createRedisClient(`redis://127.0.0.1:${port}`, createLogger('silent'));
    try {
      const started = performance.now();
      assert.equal(await pingRedis(redis, 200), false);
      assert.ok(performance.now() - started < 1_000);
    } finally {
      redis.disconnect();
    }
  });

  it('reconnects with a growing, capped, jittered delay', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => reconnectDelay(n, () => 0.5)),
      [100, 200, 400, 800],
    );
    assert.equal(
      reconnectDelay(50, () => 0.5),
      5_000,
    );
    assert.ok(reconnectDelay(50, () => 1) <= 6_250);
  });
});
