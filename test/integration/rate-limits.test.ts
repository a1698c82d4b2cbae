import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { eventually } from '../support/poll';
import { requestAccount, SENT } from '../support/walk';

const PASSWORD = 'Electeur2014';
/** locales/fr/bot.json account.tooManyForAddress, with the wait phrased in French. */
const TOO_MANY = /Trop de demandes de compte pour cette adresse\. Réessayez dans \d+\u00a0minutes?\./;

/** Mails the sinks received for `to`: both instances' workers serve the one shared outbox. */
const mailsTo = (bots: readonly BotHarness[], to: string) =>
  bots.flatMap((b) => b.smtp.messages).filter((m) => m.to.includes(to)).length;

/**
 * The budgets of src/domain/limits/rules.ts, end to end: over HTTP, real Redis, real SMTP, and across two
 * app instances sharing one Redis (same REDIS_PREFIX), as behind a load balancer.
 */
describe('rate limits (real HTTP, Redis and SMTP; two instances)', function () {
  this.timeout(60_000);
  let one: BotHarness;
  let two: BotHarness;
  const AGENT = { login: 'agent.paris', password: 'Assistance-2014!' };

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(AGENT.password);
    const env = { HELPDESK_USERS: `${AGENT.login}:${phc}`, TRUST_PROXY: '1' };
    one = await startBot(env);
    two = await startBot({ ...env, REDIS_PREFIX: one.redis.prefix });
  });
  after(async () => {
    await two?.close();
    await one?.close();
  });

  it('answers the 6th account request for one address in French, and sends no 6th mail', async () => {
    const email = 'jeanne.limite@ac-paris.fr';
    for (let i = 0; i < 5; i += 1)
      assert.match(
        await requestAccount(one.conversation('webchat'), email, PASSWORD),
        SENT,
        `request ${i + 1}`,
      );
    // Each request replaces the previous one and withdraws its mail if not sent yet: how many of the five
    // mails left depends on the worker's timing. Whatever left by now is the reference.
    await one.app.worker.drain();
    await two.app.worker.drain();
    const sentBefore = mailsTo([one, two], email);
    assert.ok(sentBefore >= 1 && sentBefore <= 5, `${sentBefore} mails`);
    const chat = one.conversation('webchat');
    const refused = await requestAccount(chat, email, PASSWORD);
    assert.match(refused, TOO_MANY);
    assert.doesNotMatch(refused, SENT);
    // The conversation goes on: help is answered, and another address may still be requested.
    assert.match(textOf(await chat.say('aide')), /Je peux vous aider/);
    const other = 'jean.voisin@ac-paris.fr';
    assert.match(await requestAccount(chat, other, PASSWORD), SENT);
    // The outbox is sent in order: once the later mail is out, a 6th one would be too.
    assert.ok(await eventually(async () => mailsTo([one, two], other) === 1, 10_000), 'the later mail left');
    assert.equal(mailsTo([one, two], email), sentBefore, 'no mail for the refused request');
  });

  it('shares the count between two instances: alternating requests meet the same limit', async () => {
    const email = 'paul.alterne@ac-paris.fr';
    const answers: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const bot = i % 2 === 0 ? one : two;
      answers.push(await requestAccount(bot.conversation('webchat'), email, PASSWORD));
    }
    for (const [i, answer] of answers.slice(0, 5).entries()) assert.match(answer, SENT, `request ${i + 1}`);
    assert.match(answers[5] ?? '', TOO_MANY);
    assert.match(await requestAccount(one.conversation('webchat'), email, PASSWORD), TOO_MANY);
    // Only a hash of the address names the budget's key.
    const keys = await one.redis.keys();
    assert.ok(keys.some((k) => k.startsWith(`${one.redis.prefix}rl:acct-addr:`)));
    assert.ok(!keys.some((k) => k.includes('rl:') && k.includes('@')), 'no address in a rate-limit key');
  });

  it('answers 429 on /confirmation after 30 unknown links from one IP, and still serves another IP', async () => {
    const open = (bot: BotHarness, ip: string, token: string) =>
      fetch(`${bot.url}/confirmation?jeton=${token}`, { headers: { 'X-Forwarded-For': ip } });
    const guessed = (i: number) => `${'A'.repeat(40)}${String(i).padStart(3, '0')}`;
    for (let i = 0; i < 30; i += 1) {
      const response = await open(i % 2 ? one : two, '198.51.100.7', guessed(i));
      assert.equal(response.status, 404, `guess ${i + 1}`);
      await response.arrayBuffer();
    }
    const limited = await open(one, '198.51.100.7', guessed(99));
    assert.equal(limited.status, 429);
    // One more guess every 20 s once the burst is spent (the app clock runs while the test does).
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 20, String(retryAfter));
    const page = await limited.text();
    assert.match(page, /Trop de tentatives/);
    assert.match(page, /Réessayez dans 1\u00a0minute/);
    const elsewhere = await open(two, '192.0.2.33', guessed(100));
    assert.equal(elsewhere.status, 404);
    assert.match(await elsewhere.text(), /lien/);
  });

  it('never lets a stranger lock an agent out of the helpdesk, on either instance', async () => {
    const basic = (password: string) =>
      `Basic ${Buffer.from(`${AGENT.login}:${password}`, 'utf8').toString('base64')}`;
    const login = (bot: BotHarness, ip: string, password: string) =>
      fetch(`${bot.url}/helpdesk/api/audit`, {
        headers: { Authorization: basic(password), 'X-Forwarded-For': ip },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await login(i % 2 ? one : two, '198.51.100.66', `devine${i}`)).status);
    // The pair (login, IP) is shared by both instances: blocked after 5 failures in all.
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    assert.equal((await login(one, '192.0.2.10', AGENT.password)).status, 200);
    assert.equal((await login(two, '192.0.2.10', AGENT.password)).status, 200);
  });
});
