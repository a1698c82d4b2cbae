import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { choice, yesNoOptions, yesNoPrompt } from '../../dialogs/prompts';
import { frenchLocaleMiddleware } from '../../src/bot/middleware/french-locale';
import { t, tList } from '../../src/i18n';
import { createDialogHarness, suggestedTitles, textOf } from '../support/dialog-harness';

const QUESTION = 'Avez-vous déjà activé votre messagerie professionnelle\u00a0?';

/** Asks one yes/no question and says the boolean the next step received. */
class AskYesNo extends ComponentDialog {
  constructor() {
    super('askYesNo');
    this.addDialog(yesNoPrompt('yesNo'));
    this.addDialog(
      new WaterfallDialog('steps', [
        async (step: WaterfallStepContext) => step.prompt('yesNo', yesNoOptions(QUESTION)),
        async (step: WaterfallStepContext) => {
          await step.context.sendActivity(`received:${String(step.result)}`);
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = 'steps';
  }
}

async function answerTo(text: string, locale = 'fr-FR'): Promise<string> {
  const client = new DialogTestClient('test', new AskYesNo(), undefined, [frenchLocaleMiddleware()]);
  await client.sendActivity({ type: 'message', text: 'début', locale } as Partial<Activity>);
  const reply = (await client.sendActivity({ type: 'message', text, locale } as Partial<Activity>)) as
    | Partial<Activity>
    | undefined;
  return reply?.text ?? '';
}

describe('prompts', () => {
  describe('yesNoPrompt', () => {
    for (const text of [
      'oui',
      'Oui',
      '1',
      'ok',
      'c’est ça',
      "c'est ça",
      'C’est ça !',
      'c’est bien ça',
      'tout à fait',
      'en fait si',
      'si',
      'ah si pardon',
      'finalement oui',
      'non, en fait si',
    ]) {
      it(`« ${text} » is yes`, async () => {
        assert.equal(await answerTo(text), 'received:true');
      });
    }

    for (const text of [
      'non',
      'Non.',
      '2',
      'pas encore',
      'Pas encore !',
      'non pas encore',
      'pas du tout',
      'en fait non',
      'euh en fait non',
      'finalement non merci',
    ]) {
      it(`« ${text} » is no`, async () => {
        assert.equal(await answerTo(text), 'received:false');
      });
    }

    it('re-asks the same question with how to answer when the answer is neither', async () => {
      const reply = await answerTo('peut-être');
      assert.ok(reply.startsWith(QUESTION), reply);
      assert.match(reply, /Répondez «\u00a0Oui\u00a0» ou «\u00a0Non\u00a0»/);
    });

    it('offers « Oui » and « Non » as its choices', () => {
      assert.deepEqual(
        yesNoPrompt('x').confirmChoices?.map((c) => (typeof c === 'string' ? c : c.value)),
        ['Oui', 'Non'],
      );
    });
  });

  describe('yesNoOptions', () => {});

  describe('choice', () => {
    it('is a button whose title and value are the French label, with the synonyms that can be typed', () => {
      assert.deepEqual(choice('done', 'bot.webmail.done', 'bot.webmail.doneSynonyms'), {
        value: 'done',
        action: { type: 'imBack', title: 'Messagerie activée', value: 'Messagerie activée' },
        synonyms: tList('bot.webmail.doneSynonyms'),
      });
    });
  });

  describe('in French whatever the locale the client sends (en-US), with the production middleware', () => {
    it('lists the yes/no choices in French on a text channel', async () => {
      const h = createDialogHarness({ channelId: 'test', locale: 'en-US' });
      const replies = await h.say('Créer mon compte électeur');
      const text = textOf(replies);
      assert.match(text, /\(1\) Oui ou \(2\) Non/);
      assert.doesNotMatch(text, /\bor\b|\bYes\b|\bNo\b/);
      for (const reply of replies) assert.equal(reply.locale, 'fr-FR');
    });

    it('offers « Oui » and « Non » as suggested actions on webchat', async () => {
      const h = createDialogHarness({ channelId: 'webchat', locale: 'en-US' });
      assert.deepEqual(suggestedTitles(await h.say('Créer mon compte électeur')), ['Oui', 'Non']);
    });

    it('understands French answers (« pas encore », then a French ordinal in the next choice)', async () => {
      const h = createDialogHarness({ channelId: 'test', locale: 'en-US' });
      await h.say('Créer mon compte électeur');
      assert.match(textOf(await h.say('pas encore')), /webmail/);
      assert.equal(textOf(await h.say('le deuxième')), t('bot.webmail.askName'));
    });
  });
});
