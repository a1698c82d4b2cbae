import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { PASSWORD_ENTRY_REVOKED_GRACE_MS } from '../../../src/domain/accounts/password-entry';
import { hashToken, newToken } from '../../../src/domain/accounts/tokens';
import { RedisPasswordEntryStore } from '../../../src/infra/redis/password-entry-store';
import { passwordEntryStoreContract } from '../../domain/accounts/password-entry-store.contract';
import { type TestRedis, testRedis } from '../../support/redis';
import { dumpRedis } from '../../support/redis-dump';

describe('RedisPasswordEntryStore (real Redis)', () => {
  let r: TestRedis;
  before(async () => {
    r = await testRedis();
  });
  after(async () => {
    await r.cleanup();
  });

  passwordEntryStoreContract(() => new RedisPasswordEntryStore(r.redis, { prefix: r.prefix }));

  it('keeps the record for the link’s life plus a grace, counted from the application clock', async () => {
    const store = new RedisPasswordEntryStore(r.redis, { prefix: r.prefix, graceMs: 60_000 });
    const tokenHash = hashToken(newToken());
    // A clock in 2014, as the demo runs: an absolute expiry would have deleted the key at once.
    const createdAt = Date.parse('2014-11-20T08:00:00Z');
    await store.create({
      id: 'entry-ttl',
      tokenHash,
      email: 'a.b@ac-paris.fr',
      conversation: {},
      expiresAt: createdAt + 30 * 60_000,
      createdAt,
    });
    const ttl = await r.redis.pttl(`${r.prefix}pwentry:token:${tokenHash}`);
    assert.ok(ttl > 30 * 60_000 && ttl <= 31 * 60_000, `ttl ${ttl}`);
    assert.ok((await r.redis.pttl(`${r.prefix}pwentry:id:entry-ttl`)) > 30 * 60_000);
  });

  it('holds no token, and the PHC only between the submit and the account request', async () => {
    const store = new RedisPasswordEntryStore(r.redis, { prefix: r.prefix });
    const token = newToken();
    const tokenHash = hashToken(token);
    const now = Date.parse('2014-11-20T08:00:00Z');
    await store.create({
      id: 'entry-phc',
      tokenHash,
      email: 'a.b@ac-paris.fr',
      conversation: {},
      expiresAt: now + 60_000,
      createdAt: now,
    });
    const phc = '$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
    await store.complete(tokenHash, phc, now);
    assert.ok((await dumpRedis(r.redis, await r.keys())).includes(phc));
    await store.claim('entry-phc');
    assert.ok((await dumpRedis(r.redis, await r.keys())).includes(phc), 'a claim only reads');
    await store.consume('entry-phc');
    const dump = await dumpRedis(r.redis, await r.keys());
    assert.ok(!dump.includes(phc), 'the PHC left the record');
    assert.ok(!dump.includes(token), 'no token in clear');
  });

  it('a revoked record keeps only a short grace, and drops an entered PHC', async () => {
    const store = new RedisPasswordEntryStore(r.redis, { prefix: r.prefix });
    const now = Date.parse('2014-11-20T08:00:00Z');
    const phc = '$argon2id$v=19$m=256,t=1,p=1$cmV2b2tlZHJldm9rZWQ$cmV2b2tlZHJldm9rZWRyZXY';
    for (const [id, entered] of [
      ['entry-revoked-pending', false],
      ['entry-revoked-entered', true],
    ] as const) {
      const tokenHash = hashToken(newToken());
      await store.create({
        id,
        tokenHash,
        email: 'a.b@ac-paris.fr',
        conversation: {},
        expiresAt: now + 1_800_000,
        createdAt: now,
      });
      if (entered) assert.equal(await store.complete(tokenHash, phc, now), 'entered');
      const key = `${r.prefix}pwentry:token:${tokenHash}`;
      assert.ok((await r.redis.pttl(key)) > 24 * 3_600_000, 'the link’s life and a day');
      await store.revoke(id);
      const ttl = await r.redis.pttl(key);
      assert.ok(ttl > 0 && ttl <= PASSWORD_ENTRY_REVOKED_GRACE_MS, `ttl ${ttl}`);
      assert.equal((await store.findByToken(tokenHash))?.status, 'revoked');
      assert.equal(await r.redis.hget(key, 'passwordHash'), null);
    }
  });

  it('refuses malformed key parts before reaching Redis', async () => {
    const store = new RedisPasswordEntryStore(r.redis, { prefix: r.prefix });
    await assert.rejects(store.findByToken('../*'), /malformed/);
    await assert.rejects(store.claim('a b'), /malformed/);
  });
});
