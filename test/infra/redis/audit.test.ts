import assert from 'node:assert/strict';
import { AUDIT_RETENTION_MS, FAILED_ADDRESSES_PER_HOUR } from '../../../src/domain/audit/ports';
import { RedisAuditLog } from '../../../src/infra/redis/audit';
import { type TestRedis, testRedis } from '../../support/redis';
import { auditLogContract } from '../audit-log.contract';

const T0 = Date.parse('2014-11-20T09:00:00Z');

describe('RedisAuditLog', function () {
  this.timeout(60_000);
  let t: TestRedis;
  beforeEach(async () => {
    t = await testRedis();
  });
  afterEach(async () => t.cleanup());

  auditLogContract(async (options) => new RedisAuditLog(t.redis, { prefix: t.prefix, ...options }));

  it('gives every key an expiry and keeps them in one slot ({audit})', async () => {
    const log = new RedisAuditLog(t.redis, { prefix: t.prefix });
    await log.record({
      at: new Date(T0).toISOString(),
      login: 'a',
      action: 'search',
      target: 'day:2014-11-20',
    });
    await log.countFailedLogin('192.0.2.9', 'failed', T0 + 1_000);
    const keys = (await t.keys()).sort();
    assert.deepEqual(keys, [`${t.prefix}{audit}:failed:${T0}`, `${t.prefix}{audit}:log`]);
    for (const key of keys) {
      const pttl = await t.redis.pttl(key);
      // The hour's counts live exactly as long as the hour may stay in the log.
      assert.ok(pttl > AUDIT_RETENTION_MS - 3_700_000 && pttl <= AUDIT_RETENTION_MS, `${key} ${pttl}`);
    }
  });

  it('a stranger cycling through 1 000 addresses in an hour adds at most the cap plus one counter', async () => {
    const log = new RedisAuditLog(t.redis, { prefix: t.prefix });
    await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        log.countFailedLogin(`10.${i >> 8}.${i & 255}.1`, 'failed', T0 + i),
      ),
    );
    assert.equal(await t.redis.zcard(`${t.prefix}{audit}:log`), FAILED_ADDRESSES_PER_HOUR + 1);
    // Two counts per address (failed, blocked) at most, plus the count of addresses.
    assert.ok(
      (await t.redis.hlen(`${t.prefix}{audit}:failed:${T0}`)) <= 2 * (FAILED_ADDRESSES_PER_HOUR + 1) + 1,
    );
    const total = (await log.page({ limit: 100 })).records.reduce(
      (sum, r) => sum + (r.action === 'login.failed' ? r.failed : 0),
      0,
    );
    assert.equal(total, 1_000, 'every failure counted, none lost');
  });

  it('skips a member it does not know rather than failing the page', async () => {
    const log = new RedisAuditLog(t.redis, { prefix: t.prefix });
    await log.record({ at: new Date(T0).toISOString(), login: 'a', action: 'search', target: 'day:x' });
    await t.redis.zadd(`${t.prefix}{audit}:log`, T0 + 1, 'not json', T0 + 2, '{"action":"drop.everything"}');
    assert.deepEqual(
      (await log.page({ limit: 10 })).records.map((r) => r.action),
      ['search'],
    );
  });
});
