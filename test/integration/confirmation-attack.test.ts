import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import {
  type BotHarness,
  confirmByLink,
  formTokenIn,
  linkIn,
  startBot,
  submitConfirmation,
} from '../support/bot-harness';
import { requestAccount, SENT } from '../support/walk';

const TEACHER = 'jeanne.martin@ac-paris.fr';
const TEACHER_PASSWORD = 'Electeur2014';
const STRANGER_PASSWORD = 'Intrus2014x';

/**
 * The attack of issue 10: someone who knows a colleague's address asks for an account for it, from
 * another conversation, with a password of their own; a mail scanner opens every link it sees. Over the
 * real app (Redis, SMTP sink, /api/messages, the channel connector).
 */
describe('a stranger requesting the teacher’s address, and a mail scanner (real app)', function () {
  this.timeout(60_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  it('confirms only the teacher’s own request, with the teacher’s password; the stranger’s link dies', async () => {
    const teacher = bot.conversation('webchat');
    assert.match(await requestAccount(teacher, TEACHER, TEACHER_PASSWORD), SENT);
    const stranger = bot.conversation('webchat');
    assert.match(await requestAccount(stranger, TEACHER, STRANGER_PASSWORD), SENT);
    const mails = await bot.smtp.waitForMessages(2);
    assert.deepEqual(
      mails.map((m) => m.to),
      [[TEACHER], [TEACHER]],
      'both mails go to the teacher’s mailbox',
    );
    const [teacherLink, strangerLink] = mails.map((m) => linkIn(m.text));
    assert.ok(teacherLink && strangerLink);

    // A mail security scanner opens both links, with GET and HEAD: nothing is confirmed.
    for (const link of [teacherLink, strangerLink]) {
      for (const method of ['GET', 'HEAD', 'GET']) {
        const response = await fetch(link, { method });
        assert.equal(response.status, 200, `${method} shows the form`);
      }
    }
    assert.equal((await bot.app.accounts.status(TEACHER))?.status, 'pending');
    assert.equal((await bot.app.accounts.status(TEACHER))?.pendingRequests, 2);

    // The stranger's page warns the teacher that the address had two requests.
    const strangerPage = await (await fetch(strangerLink)).text();
    assert.match(strangerPage, /2 demandes de compte ont été faites pour cette adresse/);

    // The teacher clicks the stranger's link (the newest mail) and types their own password: refused.
    const refused = await confirmByLink(strangerLink, TEACHER_PASSWORD);
    assert.equal(refused.status, 422);
    assert.match(refused.html, /ne correspond pas à celui choisi dans la conversation/);
    assert.equal((await bot.app.accounts.status(TEACHER))?.status, 'pending');

    // The teacher's own link, with the teacher's password, confirms and tells the teacher's chat only.
    const confirmed = await confirmByLink(teacherLink, TEACHER_PASSWORD);
    assert.equal(confirmed.status, 200);
    assert.match(confirmed.html, /Votre compte électeur est confirmé/);
    await bot.connector.waitFor((p) => /compte électeur est confirmé/.test(p.activity.text ?? ''));
    const told = bot.connector.posted.filter((p) =>
      /compte électeur est confirmé/.test(p.activity.text ?? ''),
    );
    assert.deepEqual(
      told.map((p) => p.conversationId),
      [teacher.id],
    );

    // The stranger's link is dead now, even with the stranger's own password.
    const dead = await confirmByLink(strangerLink, STRANGER_PASSWORD);
    assert.equal(dead.status, 409);
    assert.match(dead.html, /Une autre demande a déjà été confirmée/);

    const stored = await bot.app.accounts.status(TEACHER);
    assert.equal(stored?.status, 'confirmed');
    assert.equal(stored?.pendingRequests, undefined);
  });

  it('does not let the stranger confirm with their own password once the teacher confirmed first', async () => {
    const email = 'paul.martin@ac-paris.fr';
    const teacher = bot.conversation('msteams');
    const stranger = bot.conversation('webchat');
    await requestAccount(stranger, email, STRANGER_PASSWORD);
    const strangerMail = (await bot.smtp.waitForMessages(3)).at(-1);
    await requestAccount(teacher, email, TEACHER_PASSWORD);
    const teacherMail = (await bot.smtp.waitForMessages(4)).at(-1);
    assert.ok(strangerMail && teacherMail);

    // The stranger never sees the mail: they cannot even open the form. Guessing the token is hopeless
    // (256 bits); here the teacher confirms first, then the stranger's link is dead anyway.
    assert.equal((await confirmByLink(linkIn(teacherMail.text), TEACHER_PASSWORD)).status, 200);
    const strangerLink = linkIn(strangerMail.text);
    const page = await fetch(strangerLink);
    assert.equal(page.status, 409);
    assert.equal(formTokenIn(await page.text()), undefined, 'no form on a dead link');
    const token = new URL(strangerLink).searchParams.get('jeton') ?? '';
    assert.equal((await submitConfirmation(strangerLink, token, STRANGER_PASSWORD)).status, 409);

    const hasher = createArgon2Hasher();
    const hash =
      (await bot.app.redis?.hget(`${bot.redis.prefix}{accounts}:acct:${email}`, 'passwordHash')) ?? '';
    assert.equal(
      await hasher.verify(hash, TEACHER_PASSWORD),
      true,
      'the account holds the teacher’s password',
    );
  });
});
