import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import { t } from '../../../src/i18n';
import { accountKeys } from '../../../src/infra/redis/keys';
import { type BotHarness, confirmByLink, linkIn, startBot, textOf } from '../../support/bot-harness';
import { eventually } from '../../support/poll';
import { startRedisSentinel, type TestSentinel } from '../../support/redis-cluster';
import { SENT, walkToPassword } from '../../support/walk';

const UNAVAILABLE = t('bot.errors.storeUnavailable');

/**
 * The app configured with REDIS_SENTINELS finds its master through a real sentinel (master, replica and
 * sentinel started on free ports for this file), then follows it through a failover.
 */
describe('Redis Sentinel (master, replica, sentinel; real servers)', function () {
  this.timeout(30_000);
  let sentinel: TestSentinel;
  let bot: BotHarness;
  const connections: Redis[] = [];
  const node = (port: number) => {
    const redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    connections.push(redis);
    return redis;
  };

  before(async () => {
    sentinel = await startRedisSentinel();
    bot = await startBot({
      REDIS_URL: '',
      REDIS_SENTINELS: sentinel.sentinelsEnv,
      REDIS_SENTINEL_NAME: sentinel.masterName,
    });
  });
  after(async () => {
    await bot?.close();
    for (const c of connections) c.disconnect();
    await sentinel?.stop();
  });

  it('activates an account on the master the sentinel names', async () => {
    assert.equal(bot.app.config.redis?.mode, 'sentinel');
    const email = 'marie.curie@ac-paris.fr';
    const chat = bot.conversation('webchat');
    await walkToPassword(chat, email);
    assert.match(
      textOf(await chat.submit({ action: 'password', password: 'Radium1898', confirmation: 'Radium1898' })),
      SENT,
    );
    const [mail] = await bot.smtp.waitForMessages(1);
    assert.ok(mail);
    const page = await confirmByLink(linkIn(mail.text), 'Radium1898');
    assert.equal(page.status, 200);
    assert.match(page.html, /Votre compte électeur est confirmé/);

    const account = accountKeys(bot.redis.prefix).account(email);
    assert.equal(await node(sentinel.masterPort).hget(account, 'status'), 'confirmed');
    // Nothing reached the single-node Redis the harness also opened.
    assert.deepEqual(await bot.redis.keys(), []);
  });

  it('follows a failover when the master dies: turns fail with the French message, then the conversation resumes', async () => {
    const email = 'pierre.curie@ac-paris.fr';
    const chat = bot.conversation('webchat');
    await walkToPassword(chat, email);

    await sentinel.killMaster();
    const submit = async () =>
      textOf(
        await chat.submit({ action: 'password', password: 'Polonium1898', confirmation: 'Polonium1898' }),
      );
    // No master (the sentinel waits 1 s before it even calls it down): the turn fails clearly, at once.
    assert.equal(await submit(), UNAVAILABLE);
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 503);

    await sentinel.promoted();
    // The password step was replicated before the crash: once the client has asked the sentinel for the
    // new master, the same submission goes on from there. Until then it may only fail the same way.
    const answers: string[] = [];
    const resumed = await eventually(
      async () => {
        const text = await submit();
        answers.push(text);
        return SENT.test(text);
      },
      15_000,
      250,
    );
    assert.ok(resumed, `no recovery: ${answers.join(' | ')}`);
    for (const answer of answers.slice(0, -1)) assert.equal(answer, UNAVAILABLE);

    const account = accountKeys(bot.redis.prefix).account(email);
    assert.equal(
      await node(sentinel.replicaPort).hget(account, 'status'),
      'pending',
      'written on the new master',
    );
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
  });
});
