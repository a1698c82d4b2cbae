import assert from 'node:assert/strict';
import { t } from '../../src/i18n';
import {
  createDialogHarness,
  type DialogHarness,
  IN_WINDOW,
  LINK_TTL_MS,
  STRONG_PASSWORD,
  TEACHER_EMAIL,
  testHasher,
  textOf,
  toPasswordStep,
} from '../support/dialog-harness';

const NB = '[\u00a0\u202f]';

async function queuedMails(h: DialogHarness) {
  return h.store.claimDue(h.clock.now().getTime(), 100, 1);
}

describe('ActivationDialog', () => {
  describe('outside the account window', () => {
    it('before it opens: says when it opens, in French, and creates nothing', async () => {
      const h = createDialogHarness({ now: '2014-09-01T10:00:00+02:00' });
      const replies = await h.say('Créer mon compte électeur');
      assert.equal(replies.length, 1);
      const text = textOf(replies);
      assert.equal(text, t('bot.account.windowBefore', { opens: 'lundi 22 septembre 2014' }));
      assert.match(text, /lundi 22 septembre 2014 \(heure de Paris\)/);
      assert.deepEqual(h.activeDialogs(), [], 'the dialog ends: nothing waits for an answer');
      assert.deepEqual(await h.store.counts(), { queued: 0, dead: 0 });
    });

    it('one second before the opening is still « before »', async () => {
      const h = createDialogHarness({ now: '2014-09-21T23:59:59+02:00' });
      assert.match(textOf(await h.say('1')), /n’est pas encore ouverte/);
    });

    it('at the opening minute, the activation starts', async () => {
      const h = createDialogHarness({ now: '2014-09-22T00:00:00+02:00' });
      const text = textOf(await h.say('1'));
      assert.ok(text.startsWith(t('bot.webmail.ask')), text);
      assert.ok(h.activeDialogs().includes('yesNoPrompt'));
    });

    it('once closed (the closing instant itself): says since when, in French, and creates nothing', async () => {
      const h = createDialogHarness({ now: '2014-12-04T16:00:00+01:00' });
      const text = textOf(await h.say('Créer mon compte électeur'));
      assert.match(text, /^La création des comptes électeurs est close/);
      assert.match(text, new RegExp(`depuis le jeudi 4 décembre 2014 à 16${NB}h \\(heure de Paris\\)`));
      assert.match(text, /assistance de votre académie/);
      assert.deepEqual(h.activeDialogs(), []);
      assert.deepEqual(await h.store.counts(), { queued: 0, dead: 0 });
    });

    it('a window that closes while the teacher types the password: says so, creates nothing', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      await toPasswordStep(h);
      h.clock.set('2014-12-05T08:00:00+01:00');
      const replies = await h.submit({
        action: 'password',
        password: STRONG_PASSWORD,
        confirmation: STRONG_PASSWORD,
      });
      assert.match(
        textOf(replies),
        /^La création des comptes électeurs est close depuis le jeudi 4 décembre 2014/,
      );
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
      assert.deepEqual(await h.store.counts(), { queued: 0, dead: 0 });
      assert.deepEqual(h.activeDialogs(), []);
    });
  });

  describe('the whole path', () => {
    it('goes webmail → address → password → pending account and queued confirmation mail', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      assert.match(textOf(await h.say('Créer mon compte électeur')), /messagerie professionnelle/);
      assert.equal(textOf(await h.say('oui')), t('bot.address.ask', { domain: 'ac-paris.fr' }));
      assert.match(textOf(await h.say('Jean.Dupont@ac-paris.fr')), /`jean\.dupont@ac-paris\.fr`/);
      const intro = await h.say('oui');
      assert.deepEqual(
        intro.map((r) => r.text),
        [
          t('bot.password.intro', {
            rules: 'au moins 8 caractères, dont une majuscule, une minuscule et un chiffre',
          }),
          t('bot.password.ask'),
        ],
      );
      assert.equal(textOf(await h.say(STRONG_PASSWORD)), t('bot.password.confirmAsk'));
      assert.equal(await h.store.find(TEACHER_EMAIL), null, 'nothing is written before the second entry');

      const done = textOf(await h.say(STRONG_PASSWORD));
      assert.equal(
        done,
        t('bot.account.sent', { email: TEACHER_EMAIL, expires: 'samedi 22 novembre 2014 à 9\u00a0h' }),
      );
      assert.match(done, /«\u00a0Confirmer mon compte électeur\u00a0»/);
      assert.deepEqual(h.activeDialogs(), [], 'the conversation is back at the menu');

      const account = await h.store.find(TEACHER_EMAIL);
      const now = new Date(IN_WINDOW).getTime();
      assert.equal(account?.status, 'pending');
      assert.equal(account?.tokenExpiresAt, now + LINK_TTL_MS);
      const hash = (await h.store.passwordHash(TEACHER_EMAIL)) ?? '';
      assert.match(hash, /^\$argon2id\$/);
      assert.equal(await testHasher.verify(hash, STRONG_PASSWORD), true);

      const mails = await queuedMails(h);
      assert.equal(mails.length, 1);
      const mail = mails[0]?.mail;
      assert.equal(mail?.kind, 'confirmation');
      assert.equal(mail?.to, TEACHER_EMAIL);
    });

    it('keeps where to tell the teacher once the link is opened (the conversation reference)', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      await toPasswordStep(h);
      await h.submit({ action: 'password', password: STRONG_PASSWORD, confirmation: STRONG_PASSWORD });
      const mail = (await queuedMails(h))[0]?.mail;
      assert.equal(mail?.kind, 'confirmation');
      const token = h.sealer.unseal(mail.kind === 'confirmation' ? mail.sealedToken : '');
      const outcome = await h.accounts.confirm(token, STRONG_PASSWORD);
      assert.equal(outcome.status, 'confirmed');
      const conversation = outcome.status === 'confirmed' ? outcome.conversation : undefined;
      assert.equal(conversation?.channelId, 'webchat');
      assert.equal((conversation?.conversation as { id?: string } | undefined)?.id, 'conv-1');
      assert.equal((conversation?.user as { id?: string } | undefined)?.id, 'user-1');
      assert.equal(conversation?.locale, 'fr-FR');
    });

    it('never promises a link later than the end of the window', async () => {
      const h = createDialogHarness({ now: '2014-12-03T10:00:00+01:00' });
      await toPasswordStep(h);
      await h.say(STRONG_PASSWORD);
      const text = textOf(await h.say(STRONG_PASSWORD));
      assert.match(text, new RegExp(`avant le jeudi 4 décembre 2014 à 16${NB}h \\(heure de Paris\\)`));
    });

    it('a second request for the same address replaces the first link and mail', async () => {
      const h = createDialogHarness();
      for (const password of [STRONG_PASSWORD, 'Nouveau2014']) {
        await toPasswordStep(h);
        await h.say(password);
        assert.match(textOf(await h.say(password)), /^C’est presque terminé/);
      }
      const mails = await queuedMails(h);
      assert.equal(mails.length, 1, 'the first mail was withdrawn');
      const hash = (await h.store.passwordHash(TEACHER_EMAIL)) ?? '';
      assert.equal(await testHasher.verify(hash, 'Nouveau2014'), true);
    });

    it('for an address whose account is already confirmed, answers as for a new one and mails the difference', async () => {
      const h = createDialogHarness();
      await toPasswordStep(h);
      await h.say(STRONG_PASSWORD);
      await h.say(STRONG_PASSWORD);
      const first = (await queuedMails(h))[0];
      assert.equal(first?.mail.kind, 'confirmation');
      await h.store.markSent(first?.id ?? '');
      const token = h.sealer.unseal(first?.mail.kind === 'confirmation' ? first.mail.sealedToken : '');
      assert.equal((await h.accounts.confirm(token, STRONG_PASSWORD)).status, 'confirmed');

      await toPasswordStep(h);
      await h.say('Encore2014');
      const text = textOf(await h.say('Encore2014'));
      const mails = await queuedMails(h);
      assert.deepEqual(
        mails.map((m) => m.mail.kind),
        ['already-confirmed'],
        'the mail that leaves says the account exists and holds no link',
      );
      // The account keeps its first password: the one just typed will not open the vote.
      const hash = (await h.store.passwordHash(TEACHER_EMAIL)) ?? '';
      assert.equal(await testHasher.verify(hash, STRONG_PASSWORD), true);
      assert.equal(await testHasher.verify(hash, 'Encore2014'), false);
      // No enumeration: the chat answer is the one a new account gets (the mail tells the difference),
      // worded so that it stays true for both: follow the mail, keep the voter password.
      const fresh = createDialogHarness();
      await toPasswordStep(fresh);
      await fresh.say(STRONG_PASSWORD);
      const freshText = textOf(await fresh.say(STRONG_PASSWORD));
      assert.equal(text, freshText);
      assert.match(text, /la page vous demandera le mot de passe électeur que vous venez de choisir/);
    });
  });
});
