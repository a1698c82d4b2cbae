import assert from 'node:assert/strict';
import { redactText } from '../../../src/domain/transcripts/redaction';
import {
  candidatePasswordIn,
  maskCandidatePasswords,
} from '../../../src/domain/understanding/candidate-password';
import { tokenize } from '../../../src/domain/understanding/features';

const MASK = '[masqué]';

describe('understanding: a candidate password written in the chat (issue 14)', () => {
  const found: Array<[string, string]> = [
    ['est-ce que Soleil2014 ça passe ?', 'Soleil2014'],
    ['Bonjour2024 c’est bon comme mot de passe ?', 'Bonjour2024'],
    ['mon mdp serait azerty12, ok ?', 'azerty12'],
    ['je voulais mettre Tigrou92', 'Tigrou92'],
    ['Soleil#2014! ça passe ?', 'Soleil#2014!'],
    ['mot de passe : « soleil », ça passe ?', 'soleil'],
    ['mdp = 12345678 ?', '12345678'],
    ['Bonjour1 ça passe ?', 'Bonjour1'],
    ['Est-ce que "Vacances2014" est un bon mot de passe ?', 'Vacances2014'],
    ['salut, Lapin75 c bon ?', 'Lapin75'],
    ['Marmotte38 ça va ?', 'Marmotte38'],
    ['j’hésite entre Chaton2020 et un autre', 'Chaton2020'],
  ];
  for (const [text, candidate] of found)
    it(`finds « ${candidate} » in « ${text} » and masks it`, () => {
      assert.equal(candidatePasswordIn(text), candidate);
      const masked = maskCandidatePasswords(text, MASK);
      assert.ok(!masked.includes(candidate), masked);
      assert.ok(masked.includes(MASK), masked);
      assert.ok(!redactText(text).includes(candidate), 'the transcript redaction masks it too');
      assert.ok(
        !tokenize(text).join(' ').includes(candidate.toLowerCase()),
        'the recogniser sees its shape only',
      );
      assert.ok(tokenize(text).includes('_motdepasse_'));
    });

  const none = [
    'Le mot de passe doit contenir une majuscule ?',
    'mon mot de passe fait 7 caractères, ça suffit ?',
    'le 4 décembre à 16h c’est bon ?',
    'Le vote ferme à 17h30, ça passe encore ?',
    'mon mdp est trop court ?',
    'Hello! mon mdp est refusé',
    'mon identifiant c’est jdupont4, c’est bon ?',
    'un symbole genre # ou ! c’est nécessaire dans le mdp ?',
    'mon numen est [masqué], c’est bon ?',
    'je peux mettre mon adresse jean.martin2@ac-paris.fr ?',
    'le 1er décembre à 8 h, ça passe ?',
    'Soleil2014',
    'Je voudrais créer mon compte électeur',
  ];
  for (const text of none)
    it(`finds none in « ${text} »`, () => {
      assert.equal(candidatePasswordIn(text), undefined);
      assert.equal(maskCandidatePasswords(text, MASK), text);
    });

  it('stays linear on a long word and a long message', () => {
    const start = process.hrtime.bigint();
    maskCandidatePasswords(`mot de passe ${'a1'.repeat(50_000)} ça passe ?`, MASK);
    maskCandidatePasswords(`mdp ${'Soleil2014 « '.repeat(10_000)}`, MASK);
    assert.ok(Number(process.hrtime.bigint() - start) / 1e6 < 500);
  });
});
