import assert from 'node:assert/strict';
import { verify } from '@node-rs/argon2';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { parseRequests } from '../../src/infra/redis/account-store';
import { accountKeys as storeKeys } from '../../src/infra/redis/keys';
import { type BotHarness, confirmByLink, linkIn, startBot, textOf } from '../support/bot-harness';
import { eventually } from '../support/poll';
import { frenchDate, requestAccount, SENT, walkToPassword } from '../support/walk';

const PASSWORD = 'Electeur2014';

/** Keys of accounts, tokens and mails: what a request creates. */
async function accountKeys(bot: BotHarness): Promise<string[]> {
  const { prefix } = bot.redis;
  // Accounts, tokens and the outbox share one hash tag (src/infra/redis/keys.ts).
  return (await bot.redis.keys()).filter((k) => k.startsWith(`${prefix}{accounts}:`));
}

function accountKey(bot: BotHarness, email: string): string {
  return storeKeys(bot.redis.prefix).account(email);
}

function mailsTo(bot: BotHarness, email: string) {
  return bot.smtp.messages.filter((m) => m.to.includes(email));
}

/** Opens the link and submits the form with `password`: the status of the answer. */
async function confirmStatus(url: string, password = PASSWORD): Promise<number> {
  return (await confirmByLink(url, password)).status;
}

/** The pending requests of an address, as the account hash lists them. */
async function pendingRequests(bot: BotHarness, email: string) {
  return parseRequests((await bot.redis.redis.hget(accountKey(bot, email), 'requests')) ?? '');
}

describe('account cases through /api/messages (real Redis, real SMTP)', function () {
  this.timeout(30_000);

  describe('outside the account window', () => {
    const cases: Array<{ name: string; now: string; expected: RegExp[] }> = [
      {
        name: 'before it opens (21 Sept 2014, 23:59 Paris)',
        now: '2014-09-21T23:59:00+02:00',
        expected: [/pas encore ouverte/, frenchDate('lundi 22 septembre 2014'), /heure de Paris/],
      },
      {
        name: 'at the close (4 Dec 2014, 16:00 Paris)',
        now: '2014-12-04T16:00:00+01:00',
        expected: [/close/, frenchDate('jeudi 4 décembre 2014 à 16 h'), /heure de Paris/],
      },
      {
        name: 'long after it (January 2015)',
        now: '2015-01-10T10:00:00+01:00',
        expected: [/close/, frenchDate('jeudi 4 décembre 2014 à 16 h')],
      },
    ];
    for (const { name, now, expected } of cases) {
      it(`says so ${name}, with the French dates, and creates nothing`, async () => {
        const bot = await startBot({ CLOCK_NOW: now });
        try {
          const chat = bot.conversation('webchat');
          await chat.join();
          const answer = textOf(await chat.say('Créer mon compte électeur'));
          for (const pattern of expected) assert.match(answer, pattern);
          assert.doesNotMatch(answer, /Avez-vous déjà activé/, 'the walk does not start');
          // Whatever follows, no account is created.
          for (const text of ['oui', 'jean.martin@ac-paris.fr', 'oui', PASSWORD, PASSWORD])
            await chat.say(text);
          assert.deepEqual(await accountKeys(bot), []);
          await new Promise((r) => setTimeout(r, 300));
          assert.equal(bot.smtp.messages.length, 0);
        } finally {
          await bot.close();
        }
      });
    }

    describe('when it closes while the teacher types', () => {
      let bot: BotHarness;
      let clock: sinon.SinonFakeTimers | undefined;
      before(async () => {
        bot = await startBot({ CLOCK_NOW: '2014-12-04T15:58:00+01:00' });
      });
      afterEach(() => {
        clock?.restore();
        clock = undefined;
      });
      after(async () => {
        await bot.close();
      });

      it('says it is closed at the last step and creates nothing', async () => {
        const chat = bot.conversation('webchat');
        await walkToPassword(chat, 'jean.perrin@ac-paris.fr');
        clock = sinon.useFakeTimers({
          now: Date.now() + 3 * 60_000,
          toFake: ['Date'],
          shouldAdvanceTime: true,
        });
        const answer = textOf(
          await chat.submit({ action: 'password', password: PASSWORD, confirmation: PASSWORD }),
        );
        assert.match(answer, frenchDate('jeudi 4 décembre 2014 à 16 h'));
        assert.doesNotMatch(answer, SENT);
        assert.deepEqual(await accountKeys(bot), []);
      });
    });
  });

  describe('inside the window', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot();
    });
    after(async () => {
      await bot.close();
    });

    it('gives a confirmed address the same chat answer as a new one, and mails « existe déjà » without a link', async () => {
      const email = 'louis.pasteur@ac-paris.fr';
      const first = await requestAccount(bot.conversation('webchat'), email, PASSWORD);
      assert.match(first, SENT);
      assert.ok(
        await eventually(async () => mailsTo(bot, email).length === 1, 5_000),
        'the confirmation mail',
      );
      const [confirmation] = mailsTo(bot, email);
      assert.ok(confirmation);
      assert.equal(await confirmStatus(linkIn(confirmation.text)), 200);
      const hashBefore = await bot.redis.redis.hget(accountKey(bot, email), 'passwordHash');

      const again = await requestAccount(bot.conversation('webchat'), email, 'Autre2014mdp');
      const other = 'claude.bernard@ac-paris.fr';
      const fresh = await requestAccount(bot.conversation('webchat'), other, PASSWORD);
      assert.match(fresh, SENT);
      assert.equal(
        again.replaceAll(email, '<adresse>'),
        fresh.replaceAll(other, '<adresse>'),
        'no enumeration',
      );

      assert.ok(await eventually(async () => mailsTo(bot, email).length === 2, 5_000), 'a second mail');
      const exists = mailsTo(bot, email)[1];
      assert.ok(exists);
      assert.match(exists.subject, /existe déjà/);
      assert.match(exists.text, /existe déjà/);
      assert.doesNotMatch(exists.text, /confirmation\?jeton=/);
      assert.doesNotMatch(exists.html, /confirmation\?jeton=/);
      assert.match(exists.html, /lang="fr"/);

      const account = await bot.redis.redis.hgetall(accountKey(bot, email));
      assert.equal(account.status, 'confirmed');
      assert.equal(account.passwordHash, hashBefore, 'the confirmed account is not modified');
      assert.equal(await verify(account.passwordHash ?? '', PASSWORD), true);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(mailsTo(bot, email).length, 2, 'exactly one « existe déjà » mail');
    });

    it('replaces the request of the same conversation, and keeps another conversation’s beside it', async () => {
      const email = 'henri.becquerel@ac-paris.fr';
      const chat = bot.conversation('webchat');
      assert.match(await requestAccount(chat, email, 'Premier2014'), SENT);
      assert.match(await requestAccount(chat, email, 'Second2014'), SENT);
      assert.match(await requestAccount(bot.conversation('webchat'), email, 'Autre2014x'), SENT);
      const account = await bot.redis.redis.hgetall(accountKey(bot, email));
      assert.equal(account.status, 'pending');
      assert.equal(account.passwordHash, undefined, 'a pending account has no password of its own');
      const hashes = [];
      for (const request of await pendingRequests(bot, email))
        hashes.push(
          (await bot.redis.redis.hget(storeKeys(bot.redis.prefix).token(request.hash), 'passwordHash')) ?? '',
        );
      assert.equal(hashes.length, 2);
      assert.equal(await verify(hashes[0] ?? '', 'Second2014'), true);
      assert.equal(await verify(hashes[1] ?? '', 'Autre2014x'), true);
    });

    it('keeps concurrent requests of three conversations, each with its own password; the first confirmed wins', async () => {
      const email = 'sophie.germain@ac-paris.fr';
      const chats = [bot.conversation('webchat'), bot.conversation('webchat'), bot.conversation('webchat')];
      for (const chat of chats) await walkToPassword(chat, email);
      const answers = await Promise.all(
        chats.map((chat, i) =>
          chat.submit({ action: 'password', password: `Concurrent${i}x`, confirmation: `Concurrent${i}x` }),
        ),
      );
      for (const answer of answers) assert.match(textOf(answer), SENT);

      const account = await bot.redis.redis.hgetall(accountKey(bot, email));
      assert.equal(account.status, 'pending');
      const tokenKeys = (await bot.redis.keys()).filter((k) =>
        k.startsWith(storeKeys(bot.redis.prefix).token('')),
      );
      const pending: string[] = [];
      for (const key of tokenKeys) {
        const record = await bot.redis.redis.hgetall(key);
        if (record.email === email && record.state === 'pending') pending.push(key);
      }
      assert.deepEqual(
        pending.sort(),
        (await pendingRequests(bot, email)).map((r) => storeKeys(bot.redis.prefix).token(r.hash)).sort(),
        'one pending record per conversation, all listed',
      );
      assert.equal(pending.length, chats.length);

      const due = storeKeys(bot.redis.prefix).due;
      assert.ok(
        await eventually(async () => (await bot.redis.redis.zcard(due)) === 0, 8_000),
        'outbox drained',
      );
      const mails = mailsTo(bot, email);
      assert.equal(mails.length, chats.length, 'one mail per request');
      // Which link carries which password is the race's business: the first link is tried with each.
      const [first, ...others] = mails.map((m) => linkIn(m.text));
      const tries = [];
      for (let i = 0; i < chats.length && tries.at(-1) !== 200; i += 1)
        tries.push(await confirmStatus(first ?? '', `Concurrent${i}x`));
      assert.equal(tries.at(-1), 200, `tries ${tries.join(', ')}`);
      assert.ok(
        tries.slice(0, -1).every((s) => s === 422),
        'the other passwords do not fit that link',
      );
      const statuses = [];
      for (const link of others) statuses.push(await confirmStatus(link, 'Concurrent0x'));
      assert.deepEqual(statuses, [409, 409], 'the other requests are superseded');
      assert.equal((await bot.redis.redis.hget(accountKey(bot, email), 'status')) ?? '', 'confirmed');
    });
  });

  describe('when the SMTP server refuses mail for a while', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot();
    });
    after(async () => {
      bot.smtp.refuse(false);
      await bot.close();
    });

    it('keeps the pending account, tells the teacher the mail is on its way, and delivers it once later', async function () {
      this.timeout(25_000);
      const email = 'andre.ampere@ac-paris.fr';
      bot.smtp.refuse(true);
      const answer = await requestAccount(bot.conversation('webchat'), email, PASSWORD);
      assert.match(answer, SENT);
      assert.match(answer, /quelques minutes/);

      const key = accountKey(bot, email);
      assert.equal(await bot.redis.redis.hget(key, 'status'), 'pending');
      assert.ok(await eventually(async () => bot.smtp.refusals >= 1, 5_000), 'the first attempt was made');
      const outboxId = (await pendingRequests(bot, email))[0]?.mail;
      assert.ok(outboxId);
      const mailKey = storeKeys(bot.redis.prefix).mail(outboxId);
      assert.ok(
        await eventually(async () => Number(await bot.redis.redis.hget(mailKey, 'attempts')) >= 1, 3_000),
        'the failure is recorded for a retry',
      );
      assert.equal((await bot.redis.redis.zscore(storeKeys(bot.redis.prefix).due, outboxId)) === null, false);
      assert.equal(mailsTo(bot, email).length, 0);

      bot.smtp.refuse(false);
      const started = performance.now();
      assert.ok(
        await eventually(async () => mailsTo(bot, email).length >= 1, 12_000, 50),
        'delivered on retry',
      );
      const waited = performance.now() - started;
      // One more poll of the worker (2 s) must not send it again.
      await new Promise((r) => setTimeout(r, 2_500));
      assert.equal(mailsTo(bot, email).length, 1, 'delivered exactly once');
      assert.equal(await bot.redis.redis.exists(mailKey), 0, 'the outbox record is gone');
      const [mail] = mailsTo(bot, email);
      assert.ok(mail);
      assert.equal(await confirmStatus(linkIn(mail.text)), 200);
      assert.ok(waited < 12_000);
    });
  });

  describe('near the close of the window', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ CLOCK_NOW: '2014-12-03T20:00:00+01:00' });
    });
    after(async () => {
      await bot.close();
    });

    it('caps the link expiry at the close: « jeudi 4 décembre 2014 à 16 h »', async () => {
      const email = 'gaston.julia@ac-paris.fr';
      const answer = await requestAccount(bot.conversation('webchat'), email, PASSWORD);
      assert.match(answer, SENT);
      assert.match(answer, frenchDate('jeudi 4 décembre 2014 à 16 h'));
      assert.doesNotMatch(answer, /vendredi 5 décembre/);

      const [request] = await pendingRequests(bot, email);
      assert.equal(request?.expiresAt, Date.parse('2014-12-04T16:00:00+01:00'));

      const [mail] = await bot.smtp.waitForMessages(1);
      assert.ok(mail);
      assert.match(mail.text, frenchDate('jeudi 4 décembre 2014 à 16 h'));
      assert.doesNotMatch(mail.text, /vendredi 5 décembre/);
    });
  });
});
