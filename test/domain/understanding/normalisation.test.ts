import assert from 'node:assert/strict';
import {
  extractFeatures,
  isClassToken,
  NUMEN_TOKEN,
  normaliseForMatching,
  tokenize,
} from '../../../src/domain/understanding/features';
import { conceptsOf, joinPhrases } from '../../../src/domain/understanding/lexicon';
import { expandSms } from '../../../src/domain/understanding/sms';

const folded = normaliseForMatching;
const classes = (text: string) => tokenize(text).filter(isClassToken);

describe('understanding: text normalisation for matching', () => {
  it('folds case, accents, ligatures and typographic apostrophes', () => {
    assert.equal(folded('Électeur PROFESSIONNELLE'), 'electeur professionnel');
    assert.equal(folded('Où est l’œuvre ?'), 'ou est le oeuvre ?');
    assert.equal(folded('J‘ai reçu'), folded("J'ai reçu"));
  });

  it("writes elisions in full, apostrophe or not (l', d', j', qu', c', m', n', s')", () => {
    assert.equal(folded("j'ai l'adresse d'un collègue"), 'je ai le adresse de un collegue');
    assert.equal(
      folded("c'est ce qu'il faut, n'est-ce pas, s'il vous plaît"),
      folded('cest ce quil faut ne est ce pas svp'),
    );
    assert.equal(folded("Jusqu'à quand ?"), 'jusque a quand ?');
    assert.equal(folded('jusqua quand'), 'jusque a quand');
    assert.equal(folded("aujourd'hui"), 'aujourd hui');
    // With a space instead of the apostrophe (a phone's keyboard): the same words as with it.
    for (const [spaced, typed] of [
      [
        'j ai l adresse d un collegue, qu est ce qu on fait jusqu a quand',
        "j'ai l'adresse d'un collegue, qu'est-ce qu'on fait jusqu'à quand",
      ],
      [
        'c est ouvert, n est ce pas, s inscrire, m inscrire, t es la',
        "c'est ouvert, n'est-ce pas, s'inscrire, m'inscrire, t'es la",
      ],
    ] as const)
      assert.equal(folded(spaced), folded(typed));
    assert.equal(folded('kes ki est ouvert'), folded("qu'est-ce qui est ouvert"));
    // A lone letter elides only before a vowel or an h: « l 2e tour », « la lettre j » keep theirs.
    assert.equal(folded('l 2e tour'), 'l deuxieme tour');
    assert.equal(folded('la lettre j'), 'la lettre j');
  });

  it('takes « à la prochaine » as a goodbye, not « la prochaine étape »', () => {
    assert.ok(classes('à la prochaine').includes('_aurevoir_'));
    assert.ok(!classes('la prochaine étape du calendrier').includes('_aurevoir_'));
  });

  it('expands SMS spellings and abbreviations as whole words only', () => {
    assert.equal(folded('c quand'), 'ce est quand');
    assert.equal(folded('pk'), 'pourquoi');
    assert.equal(folded('pq'), 'pourquoi');
    assert.equal(folded('jsp'), 'je ne sais pas');
    assert.equal(folded('stp'), 'se il te plait');
    assert.equal(folded('svp'), 'se il vous plait');
    assert.equal(folded('mdp'), 'mot_de_passe');
    assert.equal(folded('pwd'), 'mot_de_passe');
    assert.equal(folded('qd'), 'quand');
    assert.equal(folded('dc tjs bcp mtn'), 'donc toujours beaucoup maintenant');
    assert.equal(folded('ajd'), 'aujourd hui');
    assert.equal(folded('auj'), 'aujourd hui');
    assert.equal(folded('elec pro'), 'election professionnel');
    assert.equal(folded('msg'), 'message');
    assert.equal(folded('mail mel courriel email e-mail'), 'mail mail mail mail mail');
    assert.equal(folded('1ere fois'), 'premiere fois');
    assert.equal(folded('g oublié'), 'je ai oublie');
    // « c » is only « c'est » alone: the « c » of a word or of « ac- » stays.
    assert.equal(folded('ac-creteil'), 'ac creteil');
    assert.deepEqual(expandSms(['pk', 'cela']), ['pourquoi', 'cela']);
  });

  it('squeezes stretched letters and repeated punctuation, keeps French double letters', () => {
    assert.equal(folded('merciiiii !!!'), 'merci');
    assert.equal(folded('Quand ???'), 'quand ?');
    assert.equal(folded('quand ? ? ?'), 'quand ?');
    assert.equal(folded('elle est professionnelle'), 'elle est professionnel');
  });

  it('keeps digits and marks times and dates with class tokens', () => {
    assert.equal(folded('le 4 décembre à 17h30'), 'le 4 decembre a 17 h 30');
    assert.equal(folded('à 16 h'), 'a 16 h');
    assert.equal(folded('le 4/12/2014'), 'le _date_');
    assert.ok(classes('le 4 décembre à 17h30').includes('_heure_'));
    assert.ok(classes('et samedi ?').includes('_jour_'));
    assert.ok(classes('en novembre').includes('_mois_'));
    assert.ok(classes('le 27').includes('_nombre_'));
  });

  it('replaces a NUMEN, spaced or not, and the NUMEN guard mask by one placeholder', () => {
    assert.equal(folded("mon numen c'est 01E0912345ABC"), `mon numen ce est ${NUMEN_TOKEN}`);
    assert.equal(folded('voici 17 E 95 01234 ABC'), `voici ${NUMEN_TOKEN}`);
    assert.equal(folded('mon numen : [masqué]'), `mon numen ${NUMEN_TOKEN}`);
    assert.doesNotMatch(tokenize('01E0912345ABC').join(' '), /0912345|abc/);
    // A teacher's own underscores do not forge a placeholder.
    assert.equal(folded('_numen_'), 'numen');
  });

  it('replaces addresses by the kind of mailbox, and joins fixed phrases', () => {
    assert.equal(folded('jean.dupont@ac-paris.fr'), '_email_ academique');
    assert.equal(folded('jdupont@gmail.com'), '_email_ gmail');
    assert.deepEqual(joinPhrases(['mon', 'mot', 'de', 'passe']), ['mon', 'mot_de_passe']);
  });

  it('adds concept tokens for synonyms, plural or not', () => {
    assert.deepEqual(conceptsOf('cloture'), ['_fin_']);
    assert.ok(conceptsOf('resultats').includes('_resultat_'));
    assert.ok(conceptsOf('elus').includes('_resultat_'));
    assert.deepEqual(conceptsOf('table'), []);
    assert.ok(classes('Le scrutin se clôture quand ?').includes('_fin_'));
  });

  it('builds word, bigram and character n-gram features, each group of unit norm × its weight', () => {
    const features = extractFeatures(tokenize('mot de pase ?'));
    assert.ok(features.has('w:mot'));
    assert.ok(features.has('b:^ mot'));
    assert.ok(features.has('c: pas'), 'a typo still shares character n-grams with « passe »');
    const norm = (prefix: string) =>
      Math.sqrt([...features].filter(([k]) => k.startsWith(prefix)).reduce((sum, [, v]) => sum + v * v, 0));
    assert.ok(Math.abs(norm('w:') - 1) < 1e-9);
    assert.ok(Math.abs(norm('c:') - 1) < 1e-9);
    assert.equal(extractFeatures([]).size, 0);
  });
});
