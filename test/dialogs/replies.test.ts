import assert from 'node:assert/strict';
import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import { rendersCards, rendersSuggestedActions } from '../../dialogs/channel';
import { mainMenu, passwordPrompt, secretQuestion, withOptions } from '../../dialogs/replies';
import { LEAFLET_2014_POLICY } from '../../src/domain/accounts/password-policy';
import { PASSWORD_CARD_ACTION } from '../../src/domain/turns/activity-names';
import { t } from '../../src/i18n';
import { ADAPTIVE_CARD } from '../support/dialog-harness';

function contextOn(channelId: string): TurnContext {
  const activity: Partial<Activity> = {
    type: 'message',
    channelId,
    from: { id: 'user-1', name: 'Jeanne Martin' },
    recipient: { id: 'bot', name: 'Assistant électeur' },
    conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
    text: 'bonjour',
  };
  return new TurnContext(new TestAdapter(), activity);
}

const MENU_LABELS = ['Créer mon compte électeur', 'Dates importantes', 'Je n’ai pas reçu le mail', 'Aide'];

interface CardElement {
  type: string;
  id?: string;
  style?: string;
  label?: string;
  isRequired?: boolean;
  errorMessage?: string;
  value?: unknown;
  text?: string;
}

describe('replies', () => {
  describe('channels', () => {
    it('renders cards and suggested actions on Web Chat, Direct Line, Teams and the Emulator only', () => {
      for (const id of ['webchat', 'directline', 'msteams', 'emulator']) {
        assert.equal(rendersCards(id), true, id);
        assert.equal(rendersSuggestedActions(id), true, id);
      }
      for (const id of ['test', 'cli', 'sms', 'email', undefined]) {
        assert.equal(rendersCards(id), false, String(id));
        assert.equal(rendersSuggestedActions(id), false, String(id));
      }
    });
  });

  describe('withOptions', () => {
    const options = [{ label: 'Première option' }, { label: 'Deuxième option' }];

    it('offers the options as suggested actions on webchat, the text unchanged', () => {
      const reply = withOptions(contextOn('webchat'), 'Que souhaitez-vous faire\u00a0?', options);
      assert.equal(reply.text, 'Que souhaitez-vous faire\u00a0?');
      assert.equal(reply.inputHint, 'expectingInput');
      assert.deepEqual(reply.suggestedActions?.to, ['user-1']);
      assert.deepEqual(reply.suggestedActions?.actions, [
        { type: 'imBack', title: 'Première option', value: 'Première option' },
        { type: 'imBack', title: 'Deuxième option', value: 'Deuxième option' },
      ]);
    });

    it('writes a numbered list on text-only channels, with no suggested actions', () => {
      const reply = withOptions(contextOn('test'), 'Que souhaitez-vous faire\u00a0?', options);
      assert.equal(reply.suggestedActions, undefined);
      assert.equal(reply.inputHint, 'expectingInput');
      assert.deepEqual(reply.text?.split('\n'), [
        'Que souhaitez-vous faire\u00a0?',
        t('bot.choices.listIntro'),
        '1. Première option',
        '2. Deuxième option',
      ]);
    });

    it('the main menu has the four choices, in the leaflet’s order', () => {
      assert.deepEqual(
        mainMenu(contextOn('webchat'), 'Menu').suggestedActions?.actions.map((a) => a.title),
        MENU_LABELS,
      );
      const lines = mainMenu(contextOn('test'), 'Menu').text?.split('\n') ?? [];
      assert.deepEqual(
        lines.slice(2),
        MENU_LABELS.map((label, i) => `${i + 1}. ${label}`),
      );
    });
  });

  describe('passwordPrompt', () => {
    const reply = passwordPrompt(contextOn('webchat'), LEAFLET_2014_POLICY);
    const attachment = reply.attachments?.[0];
    const card = attachment?.content as {
      type: string;
      version: string;
      $schema: string;
      lang: string;
      speak: string;
      body: CardElement[];
      actions: Array<{ type: string; title: string; data: Record<string, unknown> }>;
    };

    it('is an Adaptive Card 1.5 on webchat', () => {
      assert.equal(reply.attachments?.length, 1);
      assert.equal(attachment?.contentType, ADAPTIVE_CARD);
      assert.equal(card.type, 'AdaptiveCard');
      assert.equal(card.version, '1.5');
      assert.equal(card.lang, 'fr');
    });

    it('has exactly two masked inputs, password and confirmation, labelled and required, never pre-filled', () => {
      const inputs = card.body.filter((e) => e.type.startsWith('Input.'));
      assert.deepEqual(
        inputs.map((i) => [i.type, i.id, i.style]),
        [
          ['Input.Text', 'password', 'password'],
          ['Input.Text', 'confirmation', 'password'],
        ],
      );
      assert.deepEqual(
        inputs.map((i) => i.label),
        [t('bot.password.cardPassword'), t('bot.password.cardConfirmation')],
      );
      // Each field says what is missing: the page reads them out together after an empty submit.
      assert.deepEqual(
        inputs.map((i) => i.errorMessage),
        [t('bot.password.cardPasswordMissing'), t('bot.password.cardConfirmationMissing')],
      );
      for (const input of inputs) {
        assert.equal(input.isRequired, true);
        assert.equal(input.value, undefined, 'an input must never carry a value');
      }
    });

    it('states the rules in the card and submits with the action the secret prompt recognises', () => {
      assert.ok(
        card.body.some(
          (e) =>
            e.type === 'TextBlock' &&
            e.text ===
              'Votre mot de passe doit compter au moins 8 caractères, dont une majuscule, une minuscule et un chiffre.',
        ),
      );
      assert.equal(card.actions.length, 1);
      assert.equal(card.actions[0]?.type, 'Action.Submit');
      assert.equal(card.actions[0]?.title, t('bot.password.cardSubmit'));
      assert.deepEqual(card.actions[0]?.data, { action: PASSWORD_CARD_ACTION });
    });

    it('names the card first, then says the password can also be typed', () => {
      assert.equal(reply.text, t('bot.password.askCard'));
      assert.match(
        reply.text ?? '',
        /^Saisissez [^.]* dans le formulaire ci-dessous \(les caractères restent masqués\)\. Vous pouvez aussi l’écrire dans la conversation\.$/,
      );
      assert.equal(card.speak, t('bot.password.askCard'));
      assert.equal(reply.inputHint, 'expectingInput');
    });

    it('tells the Web Chat page that a password is expected (it masks what the teacher types next)', () => {
      assert.deepEqual(reply.channelData, { inputType: 'password' });
    });

    it('is a plain masked question on text-only channels', () => {
      const plain = passwordPrompt(contextOn('test'), LEAFLET_2014_POLICY);
      assert.equal(plain.attachments, undefined);
      assert.equal(plain.text, t('bot.password.ask'));
      assert.deepEqual(plain.channelData, { inputType: 'password' });
    });
  });

  describe('secretQuestion', () => {
    it('asks for input and tells clients that know it to hide what is typed', () => {
      assert.deepEqual(secretQuestion('Votre mot de passe\u00a0?'), {
        type: 'message',
        text: 'Votre mot de passe\u00a0?',
        inputHint: 'expectingInput',
        channelData: { inputType: 'password' },
      });
    });
  });
});
