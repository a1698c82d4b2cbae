import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { type Language, languageOf } from '../../../src/domain/understanding/language';
import { questionsOf } from '../../../src/domain/understanding/segments';

describe('languageOf', () => {
  const cases: Array<[string, Language]> = [
    ['Hello, when does the voting close?', 'en'],
    ['How can I create my account please', 'en'],
    ['Hola, ¿cuándo puedo votar por favor?', 'other'],
    ['Wie kann ich mein Konto erstellen, bitte', 'other'],
    ['Как проголосовать?', 'other'],
    ["j'ai pas reçu le mail for the vote", 'fr'],
    ['Quand se termine le vote ?', 'fr'],
    ['Soleil2014', 'unknown'],
    ['ok', 'unknown'],
  ];
  for (const [text, expected] of cases)
    it(`« ${text} » → ${expected}`, () => assert.equal(languageOf(text), expected));
});

describe('questionsOf: the questions of a long message', () => {
  it('splits sentences and « et » before a question word, keeps pieces of three words or more', () => {
    assert.deepEqual(questionsOf('Le vote ouvre quand ? Et les résultats on les aura quand ?'), [
      'Le vote ouvre quand',
      'Et les résultats on les aura quand',
    ]);
    assert.deepEqual(
      questionsOf('je voulais savoir quand le vote commence et jusqu’à quand je peux créer mon compte'),
      ['je voulais savoir quand le vote commence', 'jusqu’à quand je peux créer mon compte'],
    );
    assert.deepEqual(questionsOf('Créer mon compte électeur'), ['Créer mon compte électeur']);
    assert.deepEqual(questionsOf('pain et beurre et confiture'), ['pain et beurre et confiture']);
  });
  it('keeps a two-word piece when a « ? » ends it: « est-ce obligatoire ? » (issue 11)', () => {
    assert.deepEqual(questionsOf('quand commence le vote ? est-ce obligatoire ? merci beaucoup'), [
      'quand commence le vote',
      'est-ce obligatoire',
    ]);
  });
  it('keeps at most four pieces, whatever the length', () => {
    assert.equal(questionsOf('Quand vote-t-on donc ? '.repeat(500)).length, 4);
  });
});
