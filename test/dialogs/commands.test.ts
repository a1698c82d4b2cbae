import assert from 'node:assert/strict';
import { commandOf, menuChoiceOf } from '../../dialogs/commands';

describe('commands', () => {
  describe('commandOf', () => {
    for (const [text, command] of [
      ['aide', 'help'],
      ['Aide !', 'help'],
      ['AIDE', 'help'],
      ['au secours', 'help'],
      ['?', 'help'],
      ['annuler', 'cancel'],
      ['Annuler.', 'cancel'],
      ['stop', 'cancel'],
      ['arrêter', 'cancel'],
      ['recommencer', 'restart'],
      ['Tout recommencer', 'restart'],
      ['reprendre du début', 'restart'],
      ['bonjour', 'greeting'],
      ['Bonjour !', 'greeting'],
      ['salut', 'greeting'],
    ] as const) {
      it(`« ${text} » is ${command}`, () => {
        assert.equal(commandOf(text), command);
      });
    }

    for (const text of [
      undefined,
      '',
      '   ',
      'aide-moi à voter pour mon collègue',
      'je veux annuler mon vote',
      'bonjour je voudrais créer mon compte',
      'Electeur2014',
      'jean.dupont@ac-paris.fr',
    ]) {
      it(`« ${String(text)} » is no command (only the whole message counts)`, () => {
        assert.equal(commandOf(text), undefined);
      });
    }
  });

  describe('menuChoiceOf', () => {
    describe('by the label of the button', () => {
      for (const [text, choice] of [
        ['Créer mon compte électeur', 'create'],
        ['Dates importantes', 'dates'],
        ['Je n’ai pas reçu le mail', 'mailNotReceived'],
        ["Je n'ai pas reçu le mail", 'mailNotReceived'],
        ['Aide', 'help'],
      ] as const) {
        it(`« ${text} » → ${choice}`, () => {
          assert.equal(menuChoiceOf(text), choice);
        });
      }
    });

    describe('by its number', () => {
      for (const [text, choice] of [
        ['1', 'create'],
        ['2', 'dates'],
        ['3', 'mailNotReceived'],
        ['4', 'help'],
        [' 2. ', 'dates'],
      ] as const) {
        it(`« ${text} » → ${choice}`, () => {
          assert.equal(menuChoiceOf(text), choice);
        });
      }
    });

    describe('by a phrase', () => {
      for (const [text, choice] of [
        ['créer mon compte', 'create'],
        ['CRÉER MON COMPTE ÉLECTEUR !', 'create'],
        ['je voudrais créer mon compte, s’il vous plaît', 'create'],
        ['activer', 'create'],
        ['quand', 'dates'],
        ['calendrier', 'dates'],
        ['je n’ai toujours pas reçu le mail de confirmation', 'mailNotReceived'],
        ['pas de mail', 'mailNotReceived'],
        ['au secours', 'help'],
        ['Bonjour', 'greeting'],
        ['coucou', 'greeting'],
      ] as const) {
        it(`« ${text} » → ${choice}`, () => {
          assert.equal(menuChoiceOf(text), choice);
        });
      }
    });

    for (const text of [undefined, '', '5', 'quelle est la météo', 'jean.dupont@ac-paris.fr']) {
      it(`« ${String(text)} » is no menu choice`, () => {
        assert.equal(menuChoiceOf(text), undefined);
      });
    }

    it('does not take a short keyword inside a longer sentence (« date » in « mandate »)', () => {
      assert.equal(menuChoiceOf('mandaté par mon syndicat'), undefined);
    });

    it('leaves a question that mentions a keyword to the recogniser (« Jusqu’à quand … créer mon compte ? »)', () => {
      assert.equal(menuChoiceOf('Jusqu’à quand puis-je créer mon compte ?'), undefined);
      assert.equal(menuChoiceOf('Quelle est la date limite pour créer mon compte ?'), undefined);
      // A sentence that is not a question still is a choice.
      assert.equal(menuChoiceOf('je voudrais créer mon compte'), 'create');
    });
  });
});
