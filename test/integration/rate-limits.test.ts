import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import {
  type BotHarness,
  confirmByLink,
  linkIn,
  startBot,
  submitConfirmation,
  textOf,
} from '../support/bot-harness';
import { eventually } from '../support/poll';
import { requestAccount, SENT } from '../support/walk';

const PASSWORD = 'Electeur2014';
/** locales/fr/bot.json account.tooManyForRequester, with the wait phrased in French. */
const TOO_MANY = /Vous avez fait beaucoup de demandes de compte\. Réessayez dans \d+\u00a0minutes?\./;

/** « ab », « ac »…: names only have letters. */
const letters = (n: number) => String.fromCharCode(97 + Math.floor(n / 26), 97 + (n % 26));

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
    // LOCAL_DIRECTLINE: the token route, where a Web Chat visitor's address is seen.
    const env = { HELPDESK_USERS: `${AGENT.login}:${phc}`, TRUST_PROXY: '1', LOCAL_DIRECTLINE: '1' };
    one = await startBot(env);
    two = await startBot({ ...env, REDIS_PREFIX: one.redis.prefix });
  });
  after(async () => {
    await two?.close();
    await one?.close();
  });

  /** A conversation of its own for one channel user: a stranger opening a fresh chat each time. */
  const chatOf = (bot: BotHarness, userId: string) =>
    bot.conversation('webchat', { from: { id: userId, name: 'Quelqu’un' } });

  it('counts account requests per client address across the users it got tokens for (Web Chat)', async () => {
    // One visitor's address gets a fresh user id with every token: 7 tokens, 7 users, one client.
    const token = async (bot: BotHarness) => {
      const response = await fetch(`${bot.url}/api/directline/token`, {
        method: 'POST',
        headers: { 'X-Forwarded-For': '198.51.100.7' },
      });
      assert.equal(response.status, 200);
      return ((await response.json()) as { userId: string }).userId;
    };
    const users = [];
    for (let i = 0; i < 7; i += 1) users.push(await token(i % 2 === 0 ? one : two));
    // The pair is kept as a digest, with an expiry: neither the address nor anything forever.
    const key = `${one.redis.prefix}client:${users[0]}`;
    assert.ok((await one.redis.redis.pttl(key)) > 0);
    assert.doesNotMatch((await one.redis.redis.get(key)) ?? '', /198\.51/);
    // 6 users × 5 requests = 30, the client's burst; each user stays within its own 5.
    let n = 0;
    for (const user of users.slice(0, 6))
      for (let i = 0; i < 5; i += 1) {
        n += 1;
        const bot = n % 2 === 0 ? one : two;
        assert.match(
          await requestAccount(chatOf(bot, user), `marie.${letters(n)}@ac-paris.fr`, PASSWORD),
          SENT,
        );
      }
    const refused = await requestAccount(
      chatOf(one, users[6] ?? ''),
      `marie.${letters(31)}@ac-paris.fr`,
      PASSWORD,
    );
    assert.match(refused, TOO_MANY);
    // Another client's user is not concerned.
    assert.match(
      await requestAccount(chatOf(two, 'dl_elsewhere'), `marie.${letters(32)}@ac-paris.fr`, PASSWORD),
      SENT,
    );
  });

  it('answers the 6th account request of one channel user, across conversations, in French, and sends no 6th mail', async () => {
    const user = 'dl_stranger-one';
    const addresses = ['a', 'b', 'c', 'd', 'e'].map((l) => `jean.${l}@ac-paris.fr`);
    for (const [i, email] of addresses.entries())
      assert.match(await requestAccount(chatOf(one, user), email, PASSWORD), SENT, `request ${i + 1}`);
    const chat = chatOf(one, user);
    const refused = await requestAccount(chat, 'jean.f@ac-paris.fr', PASSWORD);
    assert.match(refused, TOO_MANY);
    assert.doesNotMatch(refused, SENT);
    // The conversation goes on: help is answered; another user is not concerned.
    assert.match(textOf(await chat.say('aide')), /Je peux vous aider/);
    assert.match(await requestAccount(chatOf(one, 'dl_someone-else'), 'jean.f@ac-paris.fr', PASSWORD), SENT);
    assert.ok(await eventually(async () => mailsTo([one, two], 'jean.f@ac-paris.fr') === 1, 10_000));
  });

  it('shares the count between two instances: alternating requests meet the same limit', async () => {
    const user = 'dl_stranger-two';
    const answers: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const bot = i % 2 === 0 ? one : two;
      answers.push(await requestAccount(chatOf(bot, user), `paul.${'abcdef'[i]}@ac-paris.fr`, PASSWORD));
    }
    for (const [i, answer] of answers.slice(0, 5).entries()) assert.match(answer, SENT, `request ${i + 1}`);
    assert.match(answers[5] ?? '', TOO_MANY);
    assert.match(await requestAccount(chatOf(one, user), 'paul.g@ac-paris.fr', PASSWORD), TOO_MANY);
    // Only a hash of the channel user names the budget's key, and nothing is counted per address.
    const keys = await one.redis.keys();
    assert.ok(keys.some((k) => k.startsWith(`${one.redis.prefix}rl:acct-user:`)));
    assert.ok(!keys.some((k) => k.includes('rl:') && (k.includes('@') || k.includes('stranger'))));
    assert.ok(!keys.some((k) => k.includes('rl:acct-addr:')), 'no budget per address any more');
  });

  it('never lets strangers lock the teacher out: the mailbox gets 5 mails at once, the teacher’s link still comes', async () => {
    const teacher = 'jeanne.victime@ac-paris.fr';
    for (let i = 0; i < 5; i += 1)
      assert.match(
        await requestAccount(chatOf(i % 2 ? one : two, `dl_intrus-${i}`), teacher, `Intrus${i}2014`),
        SENT,
      );
    assert.ok(await eventually(async () => mailsTo([one, two], teacher) === 5, 10_000), 'five mails');
    // The teacher asks too: accepted (the oldest request whose mail has left makes room).
    assert.match(await requestAccount(chatOf(one, 'dl_jeanne'), teacher, PASSWORD), SENT);
    await one.app.worker.drain();
    await two.app.worker.drain();
    assert.equal(mailsTo([one, two], teacher), 5, 'the sixth mail waits: the address had its five');
    const linksTo = () =>
      [one, two]
        .flatMap((b) => b.smtp.messages)
        .filter((m) => m.to.includes(teacher))
        .map((m) => linkIn(m.text));
    const strangers = new Set(linksTo());
    // Four hours later (application time), the budget lets one more mail leave: the teacher's.
    const clocks = [one, two].map((b) => {
      const real = b.app.clock.now.bind(b.app.clock);
      return sinon
        .stub(b.app.clock, 'now')
        .callsFake(() => new Date(real().getTime() + 4 * 3_600_000 + 60_000));
    });
    try {
      await one.app.worker.drain();
      await two.app.worker.drain();
      assert.ok(
        await eventually(async () => mailsTo([one, two], teacher) === 6, 10_000),
        'the held mail left',
      );
      const [mine] = linksTo().filter((link) => !strangers.has(link));
      const confirmed = await confirmByLink(mine ?? '', PASSWORD);
      assert.equal(confirmed.status, 200, 'the teacher confirms with the teacher’s password');
    } finally {
      for (const clock of clocks) clock.restore();
    }
  });

  it('answers 429 on POST /confirmation after 30 submits from one IP, right or wrong, and still serves another IP', async () => {
    assert.match(await requestAccount(chatOf(one, 'dl_poster'), 'rene.poste@ac-paris.fr', PASSWORD), SENT);
    assert.ok(await eventually(async () => mailsTo([one, two], 'rene.poste@ac-paris.fr') === 1, 10_000));
    const link = linkIn(
      [one, two].flatMap((b) => b.smtp.messages).find((m) => m.to.includes('rene.poste@ac-paris.fr'))?.text ??
        '',
    );
    const token = new URL(link).searchParams.get('jeton') ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1)
      statuses.push(
        (await submitConfirmation(link, token, `Devine${i}x`, { 'X-Forwarded-For': '198.51.100.9' })).status,
      );
    // Five wrong passwords spend the link; the rest are answered « trop d’essais » (without argon2).
    assert.deepEqual(statuses.slice(0, 5), [422, 422, 422, 422, 410]);
    assert.ok(statuses.slice(5).every((s) => s === 410));
    const limited = await submitConfirmation(link, token, PASSWORD, { 'X-Forwarded-For': '198.51.100.9' });
    assert.equal(limited.status, 429);
    assert.match(limited.html, /Trop de tentatives/);
    assert.equal(
      (await submitConfirmation(link, token, PASSWORD, { 'X-Forwarded-For': '192.0.2.44' })).status,
      410,
      'another IP is still served',
    );
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
