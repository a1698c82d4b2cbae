import assert from 'node:assert/strict';
import { t } from '../../src/i18n';
import {
  createDialogHarness,
  type DialogHarness,
  suggestedTitles,
  textOf,
  WEBMAIL_URL,
} from '../support/dialog-harness';

const CHOICES = ['Messagerie activée', 'Mon identifiant', 'Plus tard'];

/** « Créer mon compte électeur », then « non »: the webmail is not active yet. */
async function atWebmail(
  channelId = 'test',
  webmailUrl?: string,
): Promise<{ h: DialogHarness; replies: Awaited<ReturnType<DialogHarness['say']>> }> {
  const h = createDialogHarness({ channelId, ...(webmailUrl ? { webmailUrl } : {}) });
  await h.say('Créer mon compte électeur');
  const replies = await h.say('non');
  return { h, replies };
}

function isAtWebmailChoice(h: DialogHarness): boolean {
  return h.activeDialogs().at(-1) === 'webmailNextPrompt';
}

describe('WebmailDialog', () => {
  describe('the explanation', () => {
    it('is skipped when the webmail is already active', async () => {
      const h = createDialogHarness();
      await h.say('Créer mon compte électeur');
      assert.equal(textOf(await h.say('oui')), t('bot.address.ask', { domain: 'ac-paris.fr' }));
    });

    it('gives the webmail link (WEBMAIL_URL), apart from the surrounding text so that it can be copied or clicked', async () => {
      const { replies } = await atWebmail('test', WEBMAIL_URL);
      const explanation = replies[0]?.text ?? '';
      assert.equal(
        explanation,
        t('bot.webmail.explain', { url: WEBMAIL_URL, login: t('answers.academie.login.general') }),
      );
      assert.ok(
        explanation.split(/\s+/).includes(WEBMAIL_URL),
        'the link is not glued to punctuation or text',
      );
    });

    it('gives the login rule with an example', async () => {
      const explanation = (await atWebmail()).replies[0]?.text ?? '';
      assert.match(explanation, /première lettre de votre prénom suivie de votre nom, en minuscules/);
      assert.match(explanation, /`jdupont`/);
      assert.match(explanation, /homonyme/);
    });

    it('says the initial password is the NUMEN and warns never to write it here', async () => {
      const explanation = (await atWebmail()).replies[0]?.text ?? '';
      assert.match(explanation, /Mot de passe initial\u00a0: votre NUMEN/);
      assert.match(explanation, /Ne l’écrivez jamais dans cette conversation/);
    });

    it('says to empty a full mailbox, or the mail cannot arrive', async () => {
      const explanation = (await atWebmail()).replies[0]?.text ?? '';
      assert.match(explanation, /boîte est pleine, videz-la/);
    });

    it('ends with the three next choices, numbered on a text channel', async () => {
      const { h, replies } = await atWebmail('test');
      assert.equal(replies.length, 2);
      const question = replies[1]?.text ?? '';
      assert.ok(question.startsWith(t('bot.webmail.next')), question);
      CHOICES.forEach((label, i) => {
        assert.match(question, new RegExp(`${i + 1}\\. ${label}`));
      });
      assert.ok(isAtWebmailChoice(h));
    });

    it('offers the three next choices as suggested actions on webchat', async () => {
      const { replies } = await atWebmail('webchat');
      assert.deepEqual(suggestedTitles(replies), CHOICES);
    });
  });

  describe('the choices', () => {
    for (const typed of ['C’est fait, continuer', "c'est fait", '1', 'continuer']) {
      it(`« ${typed} » goes on to the address`, async () => {
        const { h } = await atWebmail();
        assert.equal(textOf(await h.say(typed)), t('bot.address.ask', { domain: 'ac-paris.fr' }));
      });
    }

    it('« Trouver mon identifiant » asks for the name and suggests the usual login', async () => {
      const { h } = await atWebmail();
      assert.equal(textOf(await h.say('Trouver mon identifiant')), t('bot.webmail.askName'));
      const replies = await h.say('Jean Dupont');
      assert.equal(replies[0]?.text, t('bot.webmail.loginSuggestion', { login: 'jdupont' }));
      assert.match(replies[0]?.text ?? '', /secrétariat de votre établissement/);
      assert.ok((replies[1]?.text ?? '').startsWith(t('bot.webmail.next')), 'the choices come back');
      assert.ok(isAtWebmailChoice(h));
      assert.doesNotMatch(h.stateJson(), /Dupont/, 'the name is not kept');
    });

    it('understands « DUPONT Jean », as forms write it, and accents', async () => {
      const { h } = await atWebmail();
      await h.say('2');
      assert.equal(
        textOf(await h.say('DUPONT Hélène')).split('\n')[0],
        t('bot.webmail.loginSuggestion', { login: 'hdupont' }),
      );
    });

    it('says when it cannot guess the login, and who knows', async () => {
      const { h } = await atWebmail();
      await h.say('identifiant');
      const replies = await h.say('Jean');
      assert.equal(replies[0]?.text, t('bot.webmail.loginUnknown'));
      assert.ok(isAtWebmailChoice(h));
    });

    it('« Je reviendrai plus tard » keeps the progression and waits at the same choice', async () => {
      const { h } = await atWebmail();
      const replies = await h.say('Je reviendrai plus tard');
      assert.equal(replies[0]?.text, t('bot.webmail.laterAck'));
      assert.match(replies[0]?.text ?? '', /«\u00a0Messagerie activée\u00a0»/);
      assert.ok((replies[1]?.text ?? '').startsWith(t('bot.webmail.next')));
      assert.ok(
        !replies.some((r) =>
          r.text?.startsWith(t('bot.webmail.explain', { url: '', login: '' }).slice(0, 40)),
        ),
        'the explanation is not repeated',
      );
      assert.ok(isAtWebmailChoice(h));
    });
  });

  describe('coming back later', () => {
    it('resumes at the same point, even after the bot restarted', async () => {
      const { h } = await atWebmail('webchat');
      await h.say('plus tard');
      // A new bot process over the same storage, as after a deployment with Redis.
      const later = createDialogHarness({ channelId: 'webchat', memory: h.memory, store: h.store });
      const back = await later.join();
      assert.equal(back[0]?.text, t('bot.welcome.back'));
      assert.ok((back[1]?.text ?? '').startsWith(t('bot.webmail.next')));
      assert.equal(
        textOf(await later.say('C’est fait, continuer')),
        t('bot.address.ask', { domain: 'ac-paris.fr' }),
      );
    });

    it('a message instead of a join also resumes', async () => {
      const { h } = await atWebmail();
      await h.say('plus tard');
      const later = createDialogHarness({ memory: h.memory, store: h.store });
      assert.equal(textOf(await later.say('1')), t('bot.address.ask', { domain: 'ac-paris.fr' }));
    });

    it('« aide » while waiting gives the help and the choices again', async () => {
      const { h } = await atWebmail();
      const replies = await h.say('aide');
      assert.equal(replies[0]?.text, t('bot.help'));
      assert.ok((replies[1]?.text ?? '').startsWith(t('bot.webmail.next')));
      assert.ok(isAtWebmailChoice(h));
    });
  });
});
