import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, confirmByLink, linkIn, startBot } from '../support/bot-harness';
import { requestAccount, SENT } from '../support/walk';

const TEACHER = 'jeanne.martin@ac-paris.fr';
const OTHER = 'paul.martin@ac-paris.fr';
const PASSWORD = 'Electeur2014';
const STRANGER_PASSWORD = 'Intrus2014x';

/**
 * Nothing a stranger (or anyone) makes the bot write may stay in Redis for ever: after requests from
 * several conversations, replaced links, wrong passwords, a confirmation, a request for a confirmed
 * address, a helpdesk resend and a cancel, every key under the prefix has a TTL.
 */
describe('every key written by account requests expires (real app, real Redis)', function () {
  this.timeout(60_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  it('leaves no key without a TTL', async () => {
    const teacher = bot.conversation('webchat');
    const stranger = bot.conversation('webchat');
    assert.match(await requestAccount(teacher, TEACHER, PASSWORD), SENT);
    assert.match(await requestAccount(stranger, TEACHER, STRANGER_PASSWORD), SENT);
    await bot.smtp.waitForMessages(2);
    // The same conversation again: its first link is replaced.
    assert.match(await requestAccount(stranger, TEACHER, STRANGER_PASSWORD), SENT);
    const mails = await bot.smtp.waitForMessages(3);
    const [teacherLink, , strangerLink] = mails.map((m) => linkIn(m.text));
    assert.ok(teacherLink && strangerLink);
    assert.equal((await confirmByLink(strangerLink, PASSWORD)).status, 422, 'a wrong password is counted');
    assert.equal((await confirmByLink(teacherLink, PASSWORD)).status, 200);
    assert.match(await requestAccount(bot.conversation('webchat'), TEACHER, PASSWORD), SENT);

    assert.match(await requestAccount(bot.conversation('msteams'), OTHER, PASSWORD), SENT);
    assert.equal((await bot.app.accounts.resend(OTHER)).outcome, 'resent');
    assert.equal((await bot.app.accounts.cancel(OTHER)).outcome, 'cancelled');
    // Left pending, as a stranger's request for a colleague would be.
    assert.match(
      await requestAccount(bot.conversation('webchat'), 'marie.curie@ac-paris.fr', PASSWORD),
      SENT,
    );
    await fetch(`${bot.url}/confirmation?jeton=${'A'.repeat(43)}`);
    await bot.app.worker.drain();

    const keys = await bot.redis.keys();
    assert.ok(
      keys.some((k) => k.includes('{accounts}:acct:token:')),
      'the scan sees the request records',
    );
    assert.ok(
      keys.some((k) => k.endsWith('{accounts}:acct:marie.curie@ac-paris.fr')),
      'the pending account',
    );
    assert.ok(
      keys.some((k) => k.endsWith(`{accounts}:acct:${TEACHER}`)),
      'the confirmed account',
    );
    const persistent: string[] = [];
    for (const key of keys) {
      // -2: the key went away between the scan and this call (a sent mail, an expired lock).
      if ((await bot.redis.redis.pttl(key)) === -1) persistent.push(key.slice(bot.redis.prefix.length));
    }
    assert.deepEqual(persistent, []);
  });
});
