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
    ['Can I vote from abroad?', 'en'],
    ['Bonjour, sorry my French is not very good, when can I vote?', 'en'],
    ["c'est quand la deadline pour voter ?", 'fr'],
    ['quand se termine le vote please ? thanks', 'fr'],
    ['le vote est ouvert le week-end ?', 'fr'],
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
      'les résultats on les aura quand',
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
  it('splits « et » before a question led by a preposition, « aussi » or « si » (issue 11)', () => {
    assert.deepEqual(questionsOf('est-ce que le vote est obligatoire et sur quel site on vote ?'), [
      'est-ce que le vote est obligatoire',
      'sur quel site on vote',
    ]);
    assert.deepEqual(questionsOf('on peut voter la nuit et aussi est-ce que les stagiaires votent ?'), [
      'on peut voter la nuit',
      'est-ce que les stagiaires votent',
    ]);
    assert.deepEqual(questionsOf('le vote et la messagerie sont liés'), [
      'le vote et la messagerie sont liés',
    ]);
  });
  it('takes the joining word off a piece: « et c jusqua qd ? », « Aussi, j’ai perdu ma notice »', () => {
    assert.deepEqual(questionsOf('c obligatoire? et c jusqua qd ?'), ['c obligatoire', 'c jusqua qd']);
    assert.deepEqual(
      questionsOf('Quand se termine le vote ? Aussi, j’ai perdu ma notice, je fais comment ?'),
      ['Quand se termine le vote', 'j’ai perdu ma notice, je fais comment'],
    );
  });
  it('reads « le faire » as the action named before it', () => {
    assert.deepEqual(questionsOf('jusqu’à quand peut-on voter, et si je peux le faire depuis chez moi ?'), [
      'jusqu’à quand peut-on voter',
      'si je peux voter depuis chez moi',
    ]);
    assert.deepEqual(questionsOf('je veux le faire ce soir'), ['je veux le faire ce soir']);
  });
  it('keeps at most four pieces, whatever the length', () => {
    assert.equal(questionsOf('Quand vote-t-on donc ? '.repeat(500)).length, 4);
  });
});
