import assert from 'node:assert/strict';
import path from 'node:path';
import { mailNotReceivedAnswer } from '../../dialogs/answers/help-topics';
import { t } from '../../src/i18n';
import { loadCalendar } from '../../src/infra/files/calendar-file';
import {
  createDialogHarness,
  type Reply,
  STRONG_PASSWORD,
  suggestedTitles,
  TEACHER_EMAIL,
  textOf,
  toAddressStep,
  toPasswordStep,
} from '../support/dialog-harness';

const MENU_LABELS = ['Créer mon compte électeur', 'Dates importantes', 'Je n’ai pas reçu le mail', 'Aide'];
const NUMBERED_MENU = MENU_LABELS.map((label, i) => `${i + 1}. ${label}`);
/** Non-breaking space, plain or narrow, as French typography wants inside « 16 h ». */
const NB = '[\u00a0\u202f]';

function lastText(replies: readonly Reply[]): string {
  return replies.at(-1)?.text ?? '';
}

describe('MainDialog', () => {
  describe('welcome', () => {
    it('introduces itself and shows the menu as a numbered list on a text channel', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      const replies = await h.join();
      assert.equal(replies[0]?.text, t('bot.welcome.intro', { election: 'Élections professionnelles 2014' }));
      assert.match(
        replies[0]?.text ?? '',
        /^Bonjour, je suis l’Assistant électeur \(Élections professionnelles 2014\)\./,
      );
      const lines = lastText(replies).split('\n');
      assert.equal(lines[0], t('bot.welcome.choose'));
      assert.deepEqual(lines.slice(-4), NUMBERED_MENU);
      assert.deepEqual(h.activeDialogs(), [], 'the welcome starts no dialog');
    });

    it('names the election of its file', async () => {
      const calendar = loadCalendar(
        path.resolve(__dirname, '..', '..', 'calendars', 'elections-2022-example.json'),
      );
      const h = createDialogHarness({ channelId: 'test', calendar });
      assert.match(
        textOf(await h.join()),
        /^Bonjour, je suis l’Assistant électeur \(Élections professionnelles 2022\)\./,
      );
      const again = createDialogHarness({ channelId: 'test', calendar });
      assert.match(textOf(await again.say('Bonjour')), /\(Élections professionnelles 2022\)/);
    });

    it('shows the menu as suggested actions on webchat', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      const replies = await h.join();
      assert.deepEqual(suggestedTitles(replies), MENU_LABELS);
      assert.equal(lastText(replies), t('bot.welcome.choose'));
    });

    it('answers a greeting with the welcome and the menu', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      const replies = await h.say('Bonjour !');
      assert.equal(replies[0]?.text, t('bot.welcome.intro', { election: 'Élections professionnelles 2014' }));
      assert.deepEqual(suggestedTitles(replies), MENU_LABELS);
    });
  });

  describe('menu routing', () => {
    const ASK_WEBMAIL = t('bot.webmail.ask');
    for (const text of ['Créer mon compte électeur', '1', 'je voudrais créer mon compte', 'Recommencer']) {
      it(`« ${text} » starts the activation`, async () => {
        const h = createDialogHarness({ channelId: 'webchat' });
        const replies = await h.say(text);
        assert.equal(lastText(replies), ASK_WEBMAIL);
        assert.ok(h.activeDialogs().includes('activationDialog'), h.activeDialogs().join());
      });
    }

    for (const text of ['Dates importantes', '2', 'quand', 'calendrier']) {
      it(`« ${text} » gives the dates`, async () => {
        const h = createDialogHarness();
        assert.match(textOf(await h.say(text)), /^Voici les dates importantes/);
        assert.deepEqual(h.activeDialogs(), []);
      });
    }

    for (const text of ['Je n’ai pas reçu le mail', '3', 'pas reçu']) {
      it(`« ${text} » gives the advice for a missing mail`, async () => {
        const h = createDialogHarness();
        assert.equal(textOf(await h.say(text)), mailNotReceivedAnswer(text).join('\n'));
      });
    }

    for (const text of ['Aide', '4', 'au secours']) {
      it(`« ${text} » gives the help`, async () => {
        const h = createDialogHarness();
        assert.equal(textOf(await h.say(text)), t('bot.help'));
      });
    }
  });

  describe('answers', () => {
    it('gives the dates in French, Paris time, « jeudi 4 décembre 2014 à 16 h »', async () => {
      const h = createDialogHarness();
      const text = textOf(await h.say('Dates importantes'));
      assert.match(text, /\(heure de Paris\)/);
      assert.match(text, new RegExp(`du lundi 22 septembre 2014 au jeudi 4 décembre 2014 à 16${NB}h\\.`));
      assert.match(
        text,
        new RegExp(`du jeudi 27 novembre 2014 à 10${NB}h au jeudi 4 décembre 2014 à 17${NB}h\\.`),
      );
      assert.match(text, /à partir du vendredi 5 décembre 2014\./);
      assert.doesNotMatch(text, /\d{1,2}:\d{2}|\d+h\d*|T\d{2}|2014-\d{2}|December|Thursday/);
    });

    it('explains a missing mail: spam folder, full mailbox, and what to do next', async () => {
      const h = createDialogHarness();
      const text = textOf(await h.say('Je n’ai pas reçu le mail'));
      assert.match(text, /«\u00a0Courriers indésirables\u00a0»/);
      assert.match(text, /boîte est pleine, videz-la/);
      assert.match(text, /écrivez «\u00a0recommencer\u00a0»/);
    });

    it('asked for a person where no agent serves (no HELPDESK_USERS), says how to reach the helpdesk', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      const text = textOf(await h.say('Je voudrais parler à un conseiller'));
      assert.match(text, /Je ne peux pas vous mettre en relation avec un conseiller/);
      assert.ok(text.includes(t('bot.progress.contactHelpdesk')), text);
    });

    it('the help says what can be typed at any moment', async () => {
      const h = createDialogHarness();
      const text = textOf(await h.say('aide'));
      for (const word of ['aide', 'annuler', 'recommencer'])
        assert.match(text, new RegExp(`«\u00a0${word}\u00a0»`));
    });

    it('answers what it does not understand with a clarifying question, not a guess', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      const lines = textOf(await h.say('azerty qsdf')).split('\n');
      assert.equal(lines[0], t('bot.clarify'));
      assert.ok(lines.at(-1)?.endsWith(t('bot.menu.help')), 'help is always one of the choices');
      assert.deepEqual(h.activeDialogs(), []);
    });

    it('answers an empty message with the menu', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      const replies = await h.say('   ');
      assert.equal(lastText(replies), t('bot.emptyMessage'));
      assert.deepEqual(suggestedTitles(replies), MENU_LABELS);
    });

    it('« annuler » with nothing in progress shows the menu', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      const replies = await h.say('annuler');
      assert.equal(lastText(replies), t('bot.cancelled'));
      assert.deepEqual(suggestedTitles(replies), MENU_LABELS);
    });
  });

  describe('at any moment of the activation', () => {
    it('« aide » gives the help and asks the current question again', async () => {
      const h = createDialogHarness();
      await toAddressStep(h);
      const before = h.activeDialogs();
      const replies = await h.say('aide');
      assert.deepEqual(
        replies.map((r) => r.text),
        [t('bot.help'), t('bot.address.ask', { domain: 'ac-paris.fr' })],
      );
      assert.deepEqual(h.activeDialogs(), before);
      // The step still works after the interruption.
      assert.match(textOf(await h.say(TEACHER_EMAIL)), /Est-ce bien votre adresse professionnelle/);
    });

    it('« bonjour » welcomes back and asks the current question again', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      await toPasswordStep(h);
      const replies = await h.say('Bonjour');
      assert.deepEqual(
        replies.map((r) => r.text),
        [t('bot.welcome.back'), t('bot.password.ask')],
      );
      assert.deepEqual(replies[1]?.channelData, { inputType: 'password' });
      assert.ok(h.activeDialogs().includes('passwordPrompt'));
    });

    it('« aide » at the yes/no question re-asks it with its choices', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      await h.say('Créer mon compte électeur');
      const replies = await h.say('aide');
      assert.equal(replies[0]?.text, t('bot.help'));
      assert.equal(lastText(replies), t('bot.webmail.ask'));
      assert.deepEqual(suggestedTitles(replies), ['Oui', 'Non']);
    });

    it('« annuler » stops the activation and shows the menu', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      await toPasswordStep(h);
      const lines = textOf(await h.say('annuler')).split('\n');
      assert.equal(lines[0], t('bot.cancelled'));
      assert.deepEqual(lines.slice(-4), NUMBERED_MENU);
      assert.deepEqual(h.activeDialogs(), []);
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
      // The next message is routed by the menu again.
      assert.match(textOf(await h.say('2')), /^Voici les dates importantes/);
    });

    it('« recommencer » starts the activation again from its first question', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      await toPasswordStep(h);
      await h.say(STRONG_PASSWORD);
      const replies = await h.say('recommencer');
      assert.equal(replies[0]?.text, t('bot.restarting'));
      assert.ok(lastText(replies).startsWith(t('bot.webmail.ask')), lastText(replies));
      assert.deepEqual(h.activeDialogs(), [
        'mainDialog',
        'activationDialog',
        'activationWaterfall',
        'yesNoPrompt',
      ]);
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
      assert.doesNotMatch(h.stateJson(), /firstHash/, 'the first entry of the password is forgotten');
    });
  });

  describe('a NUMEN typed by mistake', () => {
    /** What the teacher reads: random ids (UUIDs) may contain « 5678 » or « 12ab » by chance. */
    const shownOf = (replies: readonly Reply[]) =>
      JSON.stringify(
        replies.map(({ text, suggestedActions, attachments }) => ({ text, suggestedActions, attachments })),
      );
    const NUMENS = ['12AB345678XYZ', '12 AB 34 5678 XYZ'];
    /** In the replies, whose texts are fixed: any piece of it. */
    const PARTS = /12 ?AB|345678|5678|XYZ/i;
    /** In the state, which also holds random ids and hashes: only pieces too long to occur by chance. */
    const STATE_PARTS = /12\s?AB\s?34|345678|5678\s?XYZ/;

    for (const numen of NUMENS) {
      it(`is never repeated, nor stored, nor taken for a menu choice (« ${numen} »)`, async () => {
        const h = createDialogHarness({ channelId: 'webchat' });
        const replies = await h.say(`mon numen est ${numen}`);
        // The warning, then the menu: the teacher is never left without a next action.
        assert.deepEqual(
          replies.map((r) => r.text),
          [t('bot.numenWarning'), t('bot.welcome.choose')],
        );
        assert.deepEqual(
          replies[1]?.suggestedActions?.actions.map((a) => a.title),
          MENU_LABELS,
        );
        // Random ids (UUIDs) may contain « 5678 » by chance: only what the teacher reads is checked.
        const shown = replies.map(({ text, suggestedActions, attachments }) => ({
          text,
          suggestedActions,
          attachments,
        }));
        assert.doesNotMatch(JSON.stringify(shown), PARTS);
        assert.doesNotMatch(h.stateJson(), STATE_PARTS);
        assert.deepEqual(h.activeDialogs(), []);
      });
    }

    it('in the middle of the activation, warns without echo and asks the current question again', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      await toAddressStep(h);
      const replies = await h.say('12AB345678XYZ');
      assert.deepEqual(
        replies.map((r) => r.text),
        [t('bot.numenWarning'), t('bot.address.ask', { domain: 'ac-paris.fr' })],
      );
      assert.doesNotMatch(shownOf(replies), PARTS);
      assert.doesNotMatch(h.stateJson(), STATE_PARTS);
      assert.ok(h.activeDialogs().includes('addressPrompt'));
    });

    it('as a password, is refused with the warning, not taken as the password', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      await toPasswordStep(h);
      const replies = await h.submit({
        action: 'password',
        password: '12AB345678XYZ',
        confirmation: '12AB345678XYZ',
      });
      assert.equal(replies[0]?.text, t('bot.numenWarning'));
      assert.equal(lastText(replies), t('bot.password.askCard'));
      assert.doesNotMatch(shownOf(replies), PARTS);
      assert.doesNotMatch(h.stateJson(), STATE_PARTS);
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
    });

    it('the warning names the rule and says the NUMEN was not kept', () => {
      const warning = t('bot.numenWarning');
      assert.match(warning, /Ne le tapez jamais dans cette conversation/);
      assert.match(warning, /pas conservé/);
    });
  });

  describe('a candidate password asked about (issue 14)', () => {
    it('checks it against the policy, never repeats it, and says not to use it', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      const replies = await h.say('est-ce que Soleil2014 ça passe ?');
      const text = replies.map((r) => r.text ?? '').join('\n');
      assert.match(text, /respecte les règles de l’élection/);
      assert.match(text, /ne l’utilisez pas/);
      assert.match(text, /jamais dans un message/);
      assert.ok(!text.includes('Soleil2014'), text);
      assert.ok(!h.stateJson().includes('Soleil2014'), 'not in the conversation state');
    });

    it('names the rules it misses', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      const text = textOf(await h.say('mon mdp serait azerty12, ok ?'));
      assert.match(text, new RegExp(`ne convient pas${NB}: il manque une majuscule\\.`));
      assert.match(text, /ne l’utilisez pas/);
      assert.ok(!text.includes('azerty12'), text);
    });

    it('reads a greeting-shaped password as a password, with the election file’s policy', async () => {
      const calendar = loadCalendar(
        path.resolve(__dirname, '..', '..', 'calendars', 'elections-2022-example.json'),
      );
      const h = createDialogHarness({ channelId: 'test', calendar });
      const text = textOf(await h.say('Bonjour2024 c’est bon comme mot de passe ?'));
      assert.match(text, /ne convient pas/);
      assert.match(text, /il compte moins de 12 caractères/);
      assert.ok(!text.includes('Bonjour2024'), text);
    });
  });
});
