import assert from 'node:assert/strict';
import type { AccountRequest } from '../../../src/domain/accounts/ports';
import { createTokenSealer, hashToken, newToken } from '../../../src/domain/accounts/tokens';
import { createArgon2Hasher } from '../../../src/infra/argon2-hasher';
import { RedisAccountStore, RedisOutbox } from '../../../src/infra/redis/account-store';
import { accountKeys } from '../../../src/infra/redis/keys';
import { defineScript, scriptSource } from '../../../src/infra/redis/scripts';
import { accountStoreContract } from '../../domain/accounts/account-repository.contract';
import { type TestRedis, testRedis } from '../../support/redis';

accountStoreContract('RedisAccountStore', async () => {
  const t = await testRedis();
  return {
    repo: new RedisAccountStore(t.redis, { prefix: t.prefix }),
    outbox: new RedisOutbox(t.redis, { prefix: t.prefix }),
    cleanup: () => t.cleanup(),
  };
});

/** 20 November 2014, inside the account window: far in Redis' past, which must not matter. */
const T0 = Date.UTC(2014, 10, 20, 8, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GRACE = 7 * DAY;
const sealer = createTokenSealer('test secret for the Redis store');

function request(email: string, now: number, overrides: Partial<AccountRequest> = {}) {
  const token = newToken();
  const req: AccountRequest = {
    email,
    passwordHash: '$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
    tokenHash: hashToken(token),
    sealedToken: sealer.seal(token),
    tokenExpiresAt: now + 2 * DAY,
    now,
    ...overrides,
  };
  return { token, req };
}

/** Every value stored under the prefix, whatever its type, as text. */
async function dump(t: TestRedis): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const key of await t.keys()) {
    const type = await t.redis.type(key);
    let value: unknown;
    if (type === 'string') value = await t.redis.get(key);
    else if (type === 'hash') value = await t.redis.hgetall(key);
    else if (type === 'zset') value = await t.redis.zrangebyscore(key, '-inf', '+inf', 'WITHSCORES');
    else if (type === 'set') value = await t.redis.smembers(key);
    else if (type === 'list') value = await t.redis.lrange(key, 0, -1);
    else assert.fail(`unexpected type ${type} for ${key}`);
    values.set(key, JSON.stringify(value));
  }
  return values;
}

describe('RedisAccountStore on Redis', () => {
  let t: TestRedis;
  let repo: RedisAccountStore;
  let outbox: RedisOutbox;

  beforeEach(async () => {
    t = await testRedis();
    repo = new RedisAccountStore(t.redis, { prefix: t.prefix });
    outbox = new RedisOutbox(t.redis, { prefix: t.prefix });
  });
  afterEach(async () => t.cleanup());

  it('stays atomic under 20 concurrent requests from separate connections', async () => {
    const connections = Array.from({ length: 4 }, () => t.redis.duplicate());
    try {
      const stores = connections.map((c) => new RedisAccountStore(c, { prefix: t.prefix }));
      const email = 'marie.curie@ac-paris.fr';
      const requests = Array.from({ length: 20 }, () => request(email, T0));
      const outcomes = await Promise.all(requests.map(({ req }, i) => stores[i % 4]?.requestAccount(req)));
      assert.equal(outcomes.filter((o) => o === 'created').length, 1);
      assert.equal(outcomes.filter((o) => o === 'replaced').length, 19);

      const keys = await t.keys();
      const mailKeys = keys.filter((k) => k.startsWith(accountKeys(t.prefix).mail('')));
      assert.equal(mailKeys.length, 1, 'exactly one mail record left');
      assert.equal(await t.redis.zcard(accountKeys(t.prefix).due), 1);

      const states = await Promise.all(
        requests.map(({ req }) => t.redis.hget(repo.tokenKey(req.tokenHash), 'state')),
      );
      assert.equal(states.filter((s) => s === 'pending').length, 1);
      assert.equal(states.filter((s) => s === 'replaced').length, 19);
      const current = await t.redis.hget(repo.accountKey(email), 'tokenHash');
      assert.equal(requests[states.indexOf('pending')]?.req.tokenHash, current);
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
  });

  it('writes nothing when the link read before the script changed meanwhile (the caller retries)', async () => {
    const email = 'paul.langevin@ac-paris.fr';
    const first = request(email, T0);
    await repo.requestAccount(first.req);
    const before = await dump(t);
    // What a request that read the account before `first` would pass: no previous link.
    const stale = request(email, T0 + 1);
    const keys = accountKeys(t.prefix);
    const run = defineScript(t.redis, 'request-account');
    const outcome = await run(
      [keys.account(email), keys.token(stale.req.tokenHash), keys.mail('stale-mail'), keys.due],
      [
        email,
        stale.req.passwordHash,
        stale.req.tokenHash,
        T0 + 2 * DAY,
        T0 + 1,
        '',
        'stale-mail',
        '{}',
        '{}',
        '',
        '',
        GRACE,
      ],
    );
    assert.equal(outcome, 'retry');
    assert.deepEqual(await dump(t), before);
    // Through the store, the same request reads the current link again and goes through.
    assert.equal(await repo.requestAccount(stale.req), 'replaced');
    assert.equal(await t.redis.hget(repo.tokenKey(first.req.tokenHash), 'state'), 'replaced');
  });

  it('shares one « retire the previous link » snippet between the two link scripts', () => {
    for (const name of ['request-account', 'resend-confirmation']) {
      const source = scriptSource(name);
      assert.doesNotMatch(source, /--#include/);
      assert.match(source, /local function retireLink\(/);
      assert.doesNotMatch(source, /prefix/, 'no key is built inside the script');
    }
  });

  it('keeps no plaintext password or token anywhere after a full flow', async () => {
    const hasher = createArgon2Hasher({ memoryCost: 1024, timeCost: 1 });
    const password = 'Professeur2014';
    const email = 'jean.dupont@ac-paris.fr';
    const tokens: string[] = [];

    const ask = async (now: number) => {
      const { token, req } = request(email, now, {
        passwordHash: await hasher.hash(password),
        conversation: { conversation: { id: 'conv-1' }, serviceUrl: 'https://smba.example.test/' },
      });
      tokens.push(token);
      return { outcome: await repo.requestAccount(req), req };
    };

    assert.equal((await ask(T0)).outcome, 'created');
    const claimed = await outbox.claimDue(T0, 10, 60_000);
    await outbox.markFailed(claimed[0]?.id ?? '', T0 + 5_000);
    const second = await ask(T0 + HOUR);
    assert.equal(second.outcome, 'replaced');
    await outbox
      .enqueue({ kind: 'already-confirmed', to: email }, T0 + HOUR)
      .then((id) => outbox.markDead(id, 'test'));
    assert.equal((await repo.confirm(second.req.tokenHash, T0 + 2 * HOUR)).status, 'confirmed');
    assert.equal((await ask(T0 + 3 * HOUR)).outcome, 'already-confirmed');
    assert.equal(await hasher.verify((await repo.passwordHash(email)) ?? '', password), true);

    const values = await dump(t);
    assert.ok(values.size >= 5, `only ${values.size} keys`);
    const secrets = [password, ...tokens];
    for (const [key, value] of values) {
      for (const secret of secrets) {
        assert.ok(!key.includes(secret), `a secret appears in the key ${key}`);
        assert.ok(!value.includes(secret), `a secret appears in the value of ${key}`);
      }
    }
    // The sealed token of the queued mail still opens with the key: only sealed, never absent.
    const queued = await outbox.claimDue(T0 + 4 * HOUR, 10, 60_000);
    assert.ok(queued.length >= 1);
  });

  it('sets a TTL on token records: validity plus 7 days, kept when replaced or used', async () => {
    const email = 'ada.lovelace@ac-versailles.fr';
    const first = request(email, T0, { tokenExpiresAt: T0 + 2 * DAY });
    await repo.requestAccount(first.req);
    const pttl1 = await t.redis.pttl(repo.tokenKey(first.req.tokenHash));
    assert.ok(Math.abs(pttl1 - (2 * DAY + GRACE)) < 5_000, `pttl ${pttl1}`);

    // Replaced one day later: kept until one day of validity is left, plus the grace period.
    const second = request(email, T0 + DAY);
    await repo.requestAccount(second.req);
    const pttlReplaced = await t.redis.pttl(repo.tokenKey(first.req.tokenHash));
    assert.ok(Math.abs(pttlReplaced - (DAY + GRACE)) < 5_000, `pttl ${pttlReplaced}`);

    await repo.confirm(second.req.tokenHash, T0 + 2 * DAY);
    const pttlUsed = await t.redis.pttl(repo.tokenKey(second.req.tokenHash));
    assert.ok(Math.abs(pttlUsed - (DAY + GRACE)) < 5_000, `pttl ${pttlUsed}`);

    // The account itself has no TTL: it is the voter's account.
    assert.equal(await t.redis.pttl(repo.accountKey(email)), -1);
  });

  it('keeps a token record through the grace period even when requested after its expiry', async () => {
    const { req } = request('late.comer@ac-lille.fr', T0, { tokenExpiresAt: T0 - 1 });
    await repo.requestAccount(req);
    const pttl = await t.redis.pttl(repo.tokenKey(req.tokenHash));
    assert.ok(Math.abs(pttl - GRACE) < 5_000, `pttl ${pttl}`);
    assert.deepEqual(await repo.confirm(req.tokenHash, T0), { status: 'expired' });
  });

  it('decides validity by the application clock, not by Redis time', async () => {
    // Redis lives in the present, the application in 2014: a 2-day link must still work on day 1.
    const { req } = request('demo.prof@ac-paris.fr', T0);
    await repo.requestAccount(req);
    assert.equal((await repo.confirm(req.tokenHash, T0 + DAY)).status, 'confirmed');
  });

  it('deletes the outbox record of a confirmation once sent', async () => {
    const { req } = request('paul.langevin@ac-paris.fr', T0);
    await repo.requestAccount(req);
    const [mail] = await outbox.claimDue(T0, 10, 60_000);
    assert.ok(mail);
    assert.equal(await t.redis.exists(accountKeys(t.prefix).mail(mail.id)), 1);
    await outbox.markSent(mail.id);
    assert.equal(await t.redis.exists(accountKeys(t.prefix).mail(mail.id)), 0);
    assert.deepEqual(await outbox.counts(), { queued: 0, dead: 0 });
  });

  it('keeps a dead letter with its reason for the helpdesk', async () => {
    const id = await outbox.enqueue({ kind: 'already-confirmed', to: 'x.y@ac-paris.fr' }, T0);
    await outbox.markDead(id, 'SMTP 550 after 10 attempts');
    assert.deepEqual(await t.redis.smembers(accountKeys(t.prefix).dead), [id]);
    assert.equal(
      await t.redis.hget(accountKeys(t.prefix).mail(id), 'deadReason'),
      'SMTP 550 after 10 attempts',
    );
  });

  it('dead-letters an unreadable outbox record instead of blocking the queue', async () => {
    await t.redis.hset(accountKeys(t.prefix).mail('broken'), 'mail', '{not json', 'attempts', '0');
    await t.redis.zadd(accountKeys(t.prefix).due, T0 - 1, 'broken');
    const good = await outbox.enqueue({ kind: 'already-confirmed', to: 'x.y@ac-paris.fr' }, T0);
    const claimed = await outbox.claimDue(T0, 10, 60_000);
    assert.deepEqual(
      claimed.map((q) => q.id),
      [good],
    );
    assert.deepEqual(await outbox.counts(), { queued: 1, dead: 1 });
  });

  it('answers « unknown » for a malformed token hash without touching Redis keys', async () => {
    assert.deepEqual(await repo.confirm('../../etc', T0), { status: 'unknown' });
    assert.deepEqual(await repo.confirm('x'.repeat(500), T0), { status: 'unknown' });
  });

  it('reports a Redis failure as STORE_UNAVAILABLE', async () => {
    const closed = t.redis.duplicate();
    await closed.quit();
    const broken = new RedisAccountStore(closed, { prefix: t.prefix });
    await assert.rejects(broken.find('a.b@ac-paris.fr'), (error: Error & { code?: string }) => {
      return error.code === 'STORE_UNAVAILABLE';
    });
  });
});
