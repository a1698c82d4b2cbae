import assert from 'node:assert/strict';
import type { Clock } from '../../../src/clock';
import type { OutboxMail } from '../../../src/domain/accounts/ports';
import { createTokenSealer, hashToken, newToken } from '../../../src/domain/accounts/tokens';
import { RULES } from '../../../src/domain/limits/rules';
import { OutboxWorker, RETRY_CAP_MS, retryDelay } from '../../../src/infra/mail/outbox-worker';
import { renderMail } from '../../../src/infra/mail/templates';
import { createMailTransport, type MailTransport } from '../../../src/infra/mail/transport';
import { MemoryRateLimiter } from '../../../src/infra/memory-rate-limiter';
import { RedisAccountStore, RedisOutbox } from '../../../src/infra/redis/account-store';
import { accountKeys } from '../../../src/infra/redis/keys';
import { createLogger } from '../../../src/log';
import { type TestRedis, testRedis } from '../../support/redis';
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink';

const T0 = Date.UTC(2014, 10, 20, 8, 0, 0);
const SECOND = 1000;
const EMAIL = 'jeanne.martin@ac-paris.fr';

describe('OutboxWorker (real Redis outbox, real SMTP server)', () => {
  let t: TestRedis;
  let sink: SmtpSink;
  let transport: MailTransport;
  let outbox: RedisOutbox;
  let repo: RedisAccountStore;
  let now: number;
  let logs: string[];
  const clock: Clock = { now: () => new Date(now) };
  const sealer = createTokenSealer('worker test secret');
  const ctx = {
    publicBaseUrl: 'https://assistant.ac-paris.fr',
    sealer,
    timeZone: 'Europe/Paris',
    electionName: 'Élections professionnelles 2014',
  };

  const worker = (options: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) =>
    new OutboxWorker({
      outbox,
      transport,
      render: (mail: OutboxMail) => renderMail(mail, ctx),
      clock,
      logger: createLogger('debug', { write: (line: string) => logs.push(line) }),
      random: () => 0.5,
      ...options,
    });

  async function requestAccount(): Promise<string> {
    const token = newToken();
    await repo.requestAccount({
      email: EMAIL,
      passwordHash: '$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA',
      tokenHash: hashToken(token),
      sealedToken: sealer.seal(token),
      tokenExpiresAt: now + 48 * 3600 * SECOND,
      now,
    });
    return token;
  }

  beforeEach(async () => {
    t = await testRedis();
    sink = await startSmtpSink();
    transport = createMailTransport({
      smtpUrl: sink.url,
      outboxDir: '/nonexistent',
      from: 'Assistant électeur <bot@ac-paris.fr>',
      logger: createLogger('silent'),
    });
    outbox = new RedisOutbox(t.redis, { prefix: t.prefix });
    repo = new RedisAccountStore(t.redis, { prefix: t.prefix });
    now = T0;
    logs = [];
  });

  afterEach(async () => {
    await transport.close();
    await sink.close();
    await t.cleanup();
  });

  it('flush at shutdown claims no new batch once its time is up, and records the batch in flight', async () => {
    for (let i = 0; i < 25; i += 1)
      await outbox.enqueue({ kind: 'already-confirmed', to: `prof${i}@ac-paris.fr` }, now);
    // A slow SMTP server: each send takes 150 ms, so the first batch of 10 outlives a 100 ms budget.
    const slow: MailTransport = {
      ...transport,
      send: async (mail) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return transport.send(mail);
      },
    };
    const w = worker({ transport: slow, batchSize: 10 });
    assert.equal(await w.flush(100), 'timeout');
    assert.equal(await w.settled(5_000), true);
    assert.equal(sink.messages.length, 10, 'the batch in flight was sent');
    assert.deepEqual(await outbox.counts(), { queued: 15, dead: 0 }, 'the rest stays queued, unclaimed');
    // Nothing more leaves afterwards: polling stopped with the flush.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sink.messages.length, 10);
  });

  it('holds the mails over an address’s budget in the outbox, counting no attempt, and sends them once it allows', async () => {
    const limiter = new MemoryRateLimiter();
    const rule = { ...RULES.mailsPerAddress, burst: 2 };
    const w = worker({
      budget: async (mail, at) => {
        const verdict = await limiter.consume(rule, mail.to, at);
        return verdict.allowed ? 0 : verdict.retryAfterMs;
      },
    });
    for (let i = 0; i < 3; i += 1) await outbox.enqueue({ kind: 'already-confirmed', to: EMAIL }, now);
    await outbox.enqueue({ kind: 'already-confirmed', to: 'autre.prof@ac-paris.fr' }, now);
    assert.equal(await w.drain(), 3, 'two to the address, one to another address');
    assert.equal(sink.messages.filter((m) => m.to.includes(EMAIL)).length, 2);
    assert.deepEqual(await outbox.counts(), { queued: 1, dead: 0 }, 'the third one waits');
    assert.equal(await w.drain(), 0, 'not before the budget allows');

    now += rule.intervalMs;
    assert.equal(await w.drain(), 1);
    assert.equal(sink.messages.filter((m) => m.to.includes(EMAIL)).length, 3);
    assert.ok(logs.join('').includes('mail held'));
    assert.ok(!logs.join('').includes(EMAIL), 'the address stays out of the log');
  });

  it('asks the budget once per mail: a retry after an SMTP failure is not counted again', async () => {
    let asked = 0;
    let failures = 1;
    const failingOnce: MailTransport = {
      ...transport,
      send: async (mail) => {
        if (failures-- > 0) throw Object.assign(new Error('421 try later'), { responseCode: 421 });
        return transport.send(mail);
      },
    };
    const w = worker({
      transport: failingOnce,
      budget: async () => {
        asked += 1;
        return 0;
      },
    });
    await outbox.enqueue({ kind: 'already-confirmed', to: EMAIL }, now);
    await w.drain();
    now += RETRY_CAP_MS;
    await w.drain();
    assert.equal(sink.messages.length, 1);
    assert.equal(asked, 1);
  });

  it('delivers a confirmation once, with a working link, and forgets the outbox entry', async () => {
    const token = await requestAccount();
    const sent: Array<{ id: string; kind: string; link?: string }> = [];
    const w = worker({ onSent: (info) => sent.push(info) });

    assert.equal(await w.drain(), 1);
    assert.equal(await w.drain(), 0);
    const [mail] = await sink.waitForMessages(1);
    assert.equal(sink.messages.length, 1);
    assert.deepEqual(mail?.to, [EMAIL]);
    assert.equal(mail?.subject, 'Élections professionnelles 2014\u00a0: confirmez votre compte électeur');
    const link = `https://assistant.ac-paris.fr/confirmation?jeton=${token}`;
    assert.ok(mail?.text.includes(link));
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.kind, 'confirmation');
    assert.equal(sent[0]?.link, link);

    assert.deepEqual(await outbox.counts(), { queued: 0, dead: 0 });
    assert.deepEqual(
      (await t.keys()).filter((k) => k.includes('outbox:mail:')),
      [],
    );
    assert.equal((await repo.takeAttempt(hashToken(token), now)).status, 'open');
    assert.equal(
      (await repo.confirm({ tokenHash: hashToken(token), now, accountExpiresAt: now + 90 * 86_400_000 }))
        .status,
      'confirmed',
    );

    const logText = logs.join('');
    assert.ok(logText.includes('mail sent'));
    for (const secret of [EMAIL, token, link, 'jeanne'])
      assert.ok(!logText.includes(secret), `log leaks ${secret}`);
  });

  it('retries with backoff while the SMTP server refuses, then delivers exactly once', async () => {
    await requestAccount();
    const w = worker();
    sink.refuse(true);

    assert.equal(await w.drain(), 0);
    assert.equal(sink.refusals, 1);
    assert.deepEqual(await outbox.counts(), { queued: 1, dead: 0 });

    now = T0 + 4.9 * SECOND;
    assert.equal(await w.drain(), 0);
    assert.equal(sink.refusals, 1, 'no attempt before the first backoff (5 s) has passed');

    now = T0 + 5 * SECOND;
    assert.equal(await w.drain(), 0);
    assert.equal(sink.refusals, 2);

    sink.refuse(false);
    now = T0 + 14.9 * SECOND;
    assert.equal(await w.drain(), 0, 'the second backoff (10 s) is not over');
    assert.equal(sink.messages.length, 0);

    now = T0 + 15 * SECOND;
    assert.equal(await w.drain(), 1);
    now = T0 + 3600 * SECOND;
    assert.equal(await w.drain(), 0);
    assert.equal((await sink.waitForMessages(1)).length, 1);
    assert.equal(sink.messages.length, 1);
    assert.deepEqual(await outbox.counts(), { queued: 0, dead: 0 });

    const logText = logs.join('');
    assert.ok(logText.includes('will retry'));
    assert.ok(logText.includes('"responseCode":451'));
    assert.ok(!logText.includes(EMAIL));
  });

  it('moves a mail to the dead letters after maxAttempts failures', async () => {
    await requestAccount();
    const failures: boolean[] = [];
    const w = worker({ maxAttempts: 3, onFailed: ({ givenUp }) => failures.push(givenUp) });
    sink.refuse(true, 550);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await w.drain();
      now += RETRY_CAP_MS + SECOND;
    }
    assert.equal(sink.refusals, 3);
    assert.deepEqual(failures, [false, false, true], 'each failed attempt is reported, the last as given up');
    assert.deepEqual(await outbox.counts(), { queued: 0, dead: 1 });
    const [id] = await t.redis.smembers(accountKeys(t.prefix).dead);
    assert.match((await t.redis.hget(accountKeys(t.prefix).mail(id ?? ''), 'deadReason')) ?? '', /550/);
    assert.ok(logs.join('').includes('dead letter'));
  });

  it('sends a mail whose token cannot be unsealed straight to the dead letters', async () => {
    const other = createTokenSealer('a previous key');
    await outbox.enqueue(
      { kind: 'confirmation', to: EMAIL, sealedToken: other.seal(newToken()), expiresAt: now + 1 },
      now,
    );
    const w = worker();
    assert.equal(await w.drain(), 0);
    assert.equal(sink.refusals + sink.messages.length, 0, 'nothing reached the SMTP server');
    assert.deepEqual(await outbox.counts(), { queued: 0, dead: 1 });
    const logText = logs.join('');
    assert.ok(logText.includes('UnsealableTokenError'));
    assert.ok(logText.includes('cannot be rendered'));
  });

  it('polls once started, sends promptly on kick, and stops cleanly', async () => {
    const w = worker({ pollMs: 60_000 });
    w.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await requestAccount();
    await outbox.enqueue({ kind: 'already-confirmed', to: 'paul.martin@ac-paris.fr' }, now);
    w.kick();
    w.kick();
    const received = await sink.waitForMessages(2, 3000);
    assert.deepEqual(received.map((m) => m.to[0]).sort(), [EMAIL, 'paul.martin@ac-paris.fr']);
    await w.stop();
    w.kick();
    await outbox.enqueue({ kind: 'already-confirmed', to: 'after.stop@ac-paris.fr' }, now);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(sink.messages.length, 2, 'nothing is sent after stop()');
  });

  it('never throws when the outbox is unreachable', async () => {
    const closed = t.redis.duplicate();
    await closed.quit();
    const w = worker({ outbox: new RedisOutbox(closed, { prefix: t.prefix }) });
    assert.equal(await w.drain(), 0);
    assert.ok(logs.join('').includes('outbox unavailable'));
  });

  it('backs off 5 s, 10 s, 20 s … up to 10 minutes, with jitter', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelay(n, () => 0.5)),
      [5_000, 10_000, 20_000, 40_000],
    );
    assert.equal(
      retryDelay(30, () => 0.5),
      RETRY_CAP_MS,
    );
    assert.equal(
      retryDelay(30, () => 0.999),
      RETRY_CAP_MS,
    );
    assert.equal(
      retryDelay(1, () => 0),
      4_000,
    );
    assert.equal(
      retryDelay(1, () => 1),
      6_000,
    );
  });
});
