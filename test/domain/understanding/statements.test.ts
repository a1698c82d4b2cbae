import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  asksAboutAccount,
  asksStatus,
  changedMindWay,
  readsAsSentence,
  type Statement,
  statementOf,
} from '../../../src/domain/understanding/statements';

describe('statements: what the teacher says has happened, in their own words', () => {
  const cases: Array<[string, Statement | undefined]> = [
    ["c'est bon j'ai réussi à ouvrir ma messagerie", 'webmailWorks'],
    ['ma messagerie académique fonctionne maintenant', 'webmailWorks'],
    ['jai deja active ma boite mail', 'webmailWorks'],
    ['ma messagerie marche pas', undefined],
    ["je n'arrive pas à ouvrir ma messagerie", 'webmailNotDone'],
    ["ma messagerie n'est pas encore activée", 'webmailNotDone'],
    ['ah non en fait pas encore, je l’ai jamais ouverte', 'changedMind'],
    ['oui en fait si, elle marche', 'changedMind'],
    ["c'est n'importe quoi votre truc", 'frustrated'],
    ["j'en ai marre, rien ne fonctionne jamais", 'frustrated'],
    ['dsl jdois filer en cours jreviens ds 1h', 'later'],
    // « en fait » alone says nothing of a change of mind.
    ['en fait je voulais savoir une chose', undefined],
    ["j'ai déjà créé mon compte", 'accountCreated'],
    ["j'ai pas encore créé mon compte", 'accountNotCreated'],
    ['je ne suis pas encore inscrite', 'accountNotCreated'],
    ["j'ai déjà créé mon compte hier mais je n'ai pas cliqué sur le lien", 'accountCreated'],
    ["j'ai cliqué sur le lien mais ça ne marche pas", undefined],
    ['toujours refusé', 'stillStuck'],
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

describe('changedMindWay: which way a change of mind goes', () => {
  for (const [text, way] of [
    ['en fait si', 'yes'],
    ['finalement oui', 'yes'],
    ['en fait non', 'no'],
    ['ah non en fait pas encore', 'no'],
    ['en fait', undefined],
  ] as const)
    it(`« ${text} » → ${way ?? 'nothing'}`, () => assert.equal(changedMindWay(text), way));
});

describe('asksStatus: the teacher asks where they stand', () => {
  for (const text of [
    'Où en est-on ?',
    'jen suis ou ?',
    'on en est ou la',
    "qu'est-ce qu'il me reste à faire ?",
    'où en est ma demande',
  ])
    it(`« ${text} »`, () => assert.equal(asksStatus(text), true));
  for (const text of ['où en est le vote ?', 'Quand se termine le vote ?', 'je suis à Nouméa'])
    it(`not « ${text} »`, () => assert.equal(asksStatus(text), false));
});

describe('asksAboutAccount: whether an address or a person has an account (never looked up)', () => {
  for (const [text, about] of [
    ['est-ce que ma collègue anne.martin@ac-paris.fr a déjà créé son compte ?', 'other'],
    ['paul.dupont@ac-paris.fr a un compte ?', 'other'],
    ["et moi j'ai un compte ou pas ?", 'self'],
    ['je ne sais pas si je suis déjà inscrite', 'self'],
    ["j'ai déjà un compte", undefined],
    ['Quand se termine le vote ?', undefined],
  ] as const)
    it(`« ${text} » → ${about ?? 'nothing'}`, () => assert.equal(asksAboutAccount(text), about));
});
