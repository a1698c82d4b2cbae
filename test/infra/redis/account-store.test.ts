import assert from 'node:assert/strict';
import type { AccountRequest } from '../../../src/domain/accounts/ports';
import { createTokenSealer, hashToken, newToken } from '../../../src/domain/accounts/tokens';
import { createArgon2Hasher } from '../../../src/infra/argon2-hasher';
import { parseRequests, RedisAccountStore, RedisOutbox } from '../../../src/infra/redis/account-store';
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
const KEEP_UNTIL = Date.UTC(2015, 2, 4);
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
    // Sorted: a hash stored as a hashtable has no stable field order.
    else if (type === 'hash') value = Object.entries(await t.redis.hgetall(key)).sort();
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

  /** What the service does once the password was verified. */
  async function confirm(req: AccountRequest, now: number) {
    const grant = await repo.takeAttempt(req.tokenHash, now);
    if (grant.status !== 'open') return grant;
    return repo.confirm({ tokenHash: req.tokenHash, now, accountExpiresAt: KEEP_UNTIL });
  }

  it('stays atomic under 20 concurrent requests from separate connections', async () => {
    const connections = Array.from({ length: 4 }, () => t.redis.duplicate());
    try {
      const stores = connections.map((c) => new RedisAccountStore(c, { prefix: t.prefix }));
      const email = 'marie.curie@ac-paris.fr';
      const requests = Array.from({ length: 20 }, () => request(email, T0, { conversationTag: 'same-conv' }));
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
      const listed = parseRequests((await t.redis.hget(repo.accountKey(email), 'requests')) ?? '');
      assert.deepEqual(
        listed.map((r) => r.hash),
        [requests[states.indexOf('pending')]?.req.tokenHash],
      );
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
  });

  it('writes nothing when the requests read before the script changed meanwhile (the caller retries)', async () => {
    const email = 'paul.langevin@ac-paris.fr';
    const first = request(email, T0, { conversationTag: 'conv-a' });
    await repo.requestAccount(first.req);
    const before = await dump(t);
    // What a request that read the account before `first` would pass: no pending request.
    const stale = request(email, T0 + 1, { conversationTag: 'conv-a' });
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
        'conv-a',
        'webchat',
        'stale-mail',
        '{}',
        '{}',
        '',
        '',
        GRACE,
        5,
        10,
      ],
    );
    assert.equal(outcome, 'retry');
    assert.deepEqual(await dump(t), before);
    // Through the store, the same request reads the account again and goes through.
    assert.equal(await repo.requestAccount(stale.req), 'replaced');
    assert.equal(await t.redis.hget(repo.tokenKey(first.req.tokenHash), 'state'), 'replaced');
  });

  it('shares the request-list functions between the account scripts, and builds no key in them', () => {
    for (const name of ['request-account', 'resend-confirmation', 'confirm', 'cancel-requests']) {
      const source = scriptSource(name);
      assert.doesNotMatch(source, /--#include/);
      assert.match(source, /local function parseRequests\(/);
      assert.doesNotMatch(source, /prefix|'\{accounts\}/, 'no key is built inside the script');
    }
    assert.match(scriptSource('confirm-attempt'), /local function linkRefusal\(/);
  });

  it('keeps a pending request lean: the reference as values in order, no tag nor channel beside it', async () => {
    const conversation = {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.test/emea/',
      conversation: { id: 'a:1teams', tenantId: 'tenant-1' },
      user: { id: '29:user' },
      bot: { id: '28:bot' },
      locale: 'fr-FR',
    };
    const { token, req } = request('jean.dupont@ac-paris.fr', T0, {
      conversation,
      conversationTag: 'tag-of-the-conversation',
      channel: 'msteams',
    });
    assert.equal(await repo.requestAccount(req), 'created');
    const record = await t.redis.hgetall(repo.tokenKey(hashToken(token)));
    assert.equal(
      record.conversation,
      '["msteams","https://smba.example.test/emea/","a:1teams","29:user","28:bot","tenant-1","fr-FR"]',
    );
    assert.equal(record.tag, undefined, 'the tag is in the account’s requests entry');
    assert.equal(record.channel, undefined, 'the reference names the channel');
    assert.equal((await repo.inspectLink(hashToken(token), T0)).status, 'open');
    assert.equal(((await repo.inspectLink(hashToken(token), T0)) as { channel?: string }).channel, 'msteams');
    const [entry] = parseRequests(
      (await t.redis.hget(repo.accountKey('jean.dupont@ac-paris.fr'), 'requests')) ?? '',
    );
    assert.equal(entry?.tag, 'tag-of-the-conversation');
    assert.match(entry?.mail ?? '', /^[A-Za-z0-9_-]{22}$/, 'a 128-bit mail id in 22 characters');
    const confirmed = await repo.confirm({
      tokenHash: hashToken(token),
      now: T0 + HOUR,
      accountExpiresAt: KEEP_UNTIL,
    });
    assert.deepEqual(confirmed, { status: 'confirmed', email: 'jean.dupont@ac-paris.fr', conversation });
  });

  it('keeps no plaintext password or token anywhere after a full flow', async () => {
    const hasher = createArgon2Hasher({ memoryCost: 1024, timeCost: 1 });
    const password = 'Professeur2014';
    const email = 'jean.dupont@ac-paris.fr';
    const tokens: string[] = [];

    const ask = async (now: number, conversationTag = 'conv-1') => {
      const { token, req } = request(email, now, {
        passwordHash: await hasher.hash(password),
        conversation: { conversation: { id: 'conv-1' }, serviceUrl: 'https://smba.example.test/' },
        conversationTag,
      });
      tokens.push(token);
      return { outcome: await repo.requestAccount(req), req };
    };

    assert.equal((await ask(T0)).outcome, 'created');
    const claimed = await outbox.claimDue(T0, 10, 60_000);
    await outbox.markFailed(claimed[0]?.id ?? '', T0 + 5_000);
    const second = await ask(T0 + HOUR);
    assert.equal(second.outcome, 'replaced');
    assert.equal((await ask(T0 + HOUR, 'conv-2')).outcome, 'added');
    await outbox
      .enqueue({ kind: 'already-confirmed', to: email }, T0 + HOUR)
      .then((id) => outbox.markDead(id, 'test'));
    assert.equal((await confirm(second.req, T0 + 2 * HOUR)).status, 'confirmed');
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
    // Closed links keep no password hash: only the confirmed account holds one.
    const hashes = [...values.values()].filter((v) => v.includes('$argon2id$'));
    assert.equal(hashes.length, 1, 'one password hash left, the account’s');
    // The sealed token of the queued mail still opens with the key: only sealed, never absent.
    const queued = await outbox.claimDue(T0 + 4 * HOUR, 10, 60_000);
    assert.ok(queued.length >= 1);
  });

  it('sets TTLs: records validity plus 7 days, the pending account as its longest link, the confirmed one at the given time', async () => {
    const email = 'ada.lovelace@ac-versailles.fr';
    const near = (actual: number, expected: number) =>
      assert.ok(Math.abs(actual - expected) < 5_000, `pttl ${actual}, expected about ${expected}`);
    const first = request(email, T0, { tokenExpiresAt: T0 + 2 * DAY, conversationTag: 'conv-a' });
    await repo.requestAccount(first.req);
    near(await t.redis.pttl(repo.tokenKey(first.req.tokenHash)), 2 * DAY + GRACE);
    near(await t.redis.pttl(repo.accountKey(email)), 2 * DAY + GRACE);

    // Replaced one day later (by the application clock; Redis time stands still here): a closed record
    // keeps the TTL it was written with, so that it can say « replaced » until its grace ends.
    const second = request(email, T0 + DAY, { conversationTag: 'conv-a' });
    await repo.requestAccount(second.req);
    near(await t.redis.pttl(repo.tokenKey(first.req.tokenHash)), 2 * DAY + GRACE);
    near(await t.redis.pttl(repo.accountKey(email)), 2 * DAY + GRACE);

    assert.equal((await confirm(second.req, T0 + 2 * DAY)).status, 'confirmed');
    near(await t.redis.pttl(repo.tokenKey(second.req.tokenHash)), 2 * DAY + GRACE);
    // The confirmed account lives until the vote's close plus the retention (given by the service).
    near(await t.redis.pttl(repo.accountKey(email)), KEEP_UNTIL - (T0 + 2 * DAY));
  });

  it('keeps a token record through the grace period even when requested after its expiry', async () => {
    const { req } = request('late.comer@ac-lille.fr', T0, { tokenExpiresAt: T0 - 1 });
    await repo.requestAccount(req);
    const pttl = await t.redis.pttl(repo.tokenKey(req.tokenHash));
    assert.ok(Math.abs(pttl - GRACE) < 5_000, `pttl ${pttl}`);
    assert.deepEqual(await confirm(req, T0), { status: 'expired' });
  });

  it('decides validity by the application clock, not by Redis time', async () => {
    // Redis lives in the present, the application in 2014: a 2-day link must still work on day 1.
    const { req } = request('demo.prof@ac-paris.fr', T0);
    await repo.requestAccount(req);
    assert.equal((await confirm(req, T0 + DAY)).status, 'confirmed');
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

  it('keeps a dead letter with its reason for the helpdesk, for its grace period only', async () => {
    const id = await outbox.enqueue({ kind: 'already-confirmed', to: 'x.y@ac-paris.fr' }, T0);
    await outbox.markDead(id, 'SMTP 550 after 10 attempts');
    const keys = accountKeys(t.prefix);
    assert.deepEqual(await t.redis.smembers(keys.dead), [id]);
    assert.equal(await t.redis.hget(keys.mail(id), 'deadReason'), 'SMTP 550 after 10 attempts');
    for (const key of [keys.mail(id), keys.dead]) {
      const pttl = await t.redis.pttl(key);
      assert.ok(Math.abs(pttl - GRACE) < 5_000, `${key}: pttl ${pttl}`);
    }
  });

  it('gives every outbox record a TTL: its link’s validity plus the grace, the due set the longest', async () => {
    const { req } = request('x.y@ac-paris.fr', T0, { tokenExpiresAt: T0 + 2 * DAY });
    await repo.requestAccount(req);
    const notice = await outbox.enqueue({ kind: 'already-confirmed', to: 'z.w@ac-paris.fr' }, T0);
    const keys = accountKeys(t.prefix);
    const ttls = new Map<string, number>();
    for (const key of await t.keys()) ttls.set(key, await t.redis.pttl(key));
    assert.ok(
      [...ttls.values()].every((ttl) => ttl > 0),
      JSON.stringify([...ttls]),
    );
    assert.ok(Math.abs((ttls.get(keys.mail(notice)) ?? 0) - GRACE) < 5_000);
    assert.ok(Math.abs((ttls.get(keys.due) ?? 0) - (2 * DAY + GRACE)) < 5_000);
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
    for (const hash of ['../../etc', 'x'.repeat(500)]) {
      assert.deepEqual(await repo.inspectLink(hash, T0), { status: 'unknown' });
      assert.deepEqual(await repo.takeAttempt(hash, T0), { status: 'unknown' });
      assert.deepEqual(await repo.confirm({ tokenHash: hash, now: T0, accountExpiresAt: KEEP_UNTIL }), {
        status: 'unknown',
      });
    }
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
