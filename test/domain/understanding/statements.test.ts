import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { readsAsSentence, type Statement, statementOf } from '../../../src/domain/understanding/statements';

describe('statements: what the teacher says has happened, in their own words', () => {
  const cases: Array<[string, Statement | undefined]> = [
    ["c'est bon j'ai réussi à ouvrir ma messagerie", 'webmailWorks'],
    ['ma messagerie académique fonctionne maintenant', 'webmailWorks'],
    ['jai deja active ma boite mail', 'webmailWorks'],
    ['ma messagerie marche pas', undefined],
    ["je n'arrive pas à ouvrir ma messagerie", undefined],
    ["j'ai déjà créé mon compte", 'accountCreated'],
    ["j'ai pas encore créé mon compte", undefined],
    ["j'ai cliqué sur le lien hier soir", 'accountConfirmed'],
    ['mon compte est validé', 'accountConfirmed'],
    ['c bon g voté', 'voted'],
    ["je n'ai pas encore voté", undefined],
    ["je me suis trompée d'adresse", 'wrongAddress'],
    ["c'est pas la bonne adresse", 'wrongAddress'],
    ['en fait non', 'changedMind'],
    ['finalement si', 'changedMind'],
    ['Excusez-moi, je dois partir en cours, je reviens vers 14h', 'later'],
    ['je préfère le faire demain', 'later'],
    ["j'ai déjà vérifié les spams, toujours rien", 'stillStuck'],
    ['toujours pas reçu', 'stillStuck'],
    // Questions are questions, not statements.
    ['puis-je le faire demain ?', undefined],
    ["j'ai voté ?", undefined],
    ['Quand se termine le vote ?', undefined],
  ];
  for (const [text, expected] of cases)
    it(`« ${text} » → ${expected ?? 'nothing'}`, () => assert.equal(statementOf(text), expected));
});

describe('readsAsSentence: language or password?', () => {
  for (const text of [
    'Excusez-moi, je dois partir en cours, je reviens vers 14h',
    'mais ce n’était pas mon mot de passe',
    'Je Suis Prof 2014',
    'vous pouvez répéter ?',
  ])
    it(`« ${text} » reads as a sentence`, () => assert.equal(readsAsSentence(text), true));
  for (const text of ['Soleil2014', 'Cheval Agrafe Batterie 1987', 'Le Chat Noir Dort 2014', 'azerty qsdf'])
    it(`« ${text} » does not`, () => assert.equal(readsAsSentence(text), false));
});
