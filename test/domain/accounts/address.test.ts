import assert from 'node:assert/strict';
import { DEFAULT_ACADEMIE_DOMAINS } from '../../../src/config';
import { checkAddress, normaliseAddress } from '../../../src/domain/accounts/address';

const DOMAINS = DEFAULT_ACADEMIE_DOMAINS;
const check = (raw: string) => checkAddress(raw, DOMAINS);

describe('checkAddress', () => {
  describe('accepts', () => {
    for (const [raw, email] of [
      ['jean.dupont@ac-paris.fr', 'jean.dupont@ac-paris.fr'],
      ['  Jean.Dupont@AC-PARIS.FR  ', 'jean.dupont@ac-paris.fr'],
      ['jean-pierre.martin2@ac-paris.fr', 'jean-pierre.martin2@ac-paris.fr'],
      ['marie.dupont-moretti@ac-creteil.fr', 'marie.dupont-moretti@ac-creteil.fr'],
      ['jean.de.la.fontaine@ac-versailles.fr', 'jean.de.la.fontaine@ac-versailles.fr'],
      ['helene.le-goff@ac-rennes.fr', 'helene.le-goff@ac-rennes.fr'],
      ['prenom.nom@ac-noumea.nc', 'prenom.nom@ac-noumea.nc'],
      ['mailto:jean.dupont@ac-paris.fr', 'jean.dupont@ac-paris.fr'],
      ['<jean.dupont@ac-paris.fr>', 'jean.dupont@ac-paris.fr'],
      ['jean.dupont@ac-paris.fr.', 'jean.dupont@ac-paris.fr'],
    ] as const) {
      it(`${raw.trim()} as ${email}`, () => {
        assert.deepEqual(check(raw), { ok: true, email });
      });
    }
  });

  it('says an empty answer is empty', () => {
    assert.deepEqual(check(''), { ok: false, reason: 'empty' });
    assert.deepEqual(check('   \u200b '), { ok: false, reason: 'empty' });
  });

  it('says text without a single @ is not an address', () => {
    for (const raw of [
      'bonjour',
      'je ne sais pas',
      'jean.dupont.ac-paris.fr',
      'a@b@ac-paris.fr',
      '@ac-paris.fr',
    ]) {
      assert.deepEqual(check(raw), { ok: false, reason: 'notAnAddress' }, raw);
    }
    assert.deepEqual(check('jean.dupont@'), { ok: false, reason: 'notAnAddress' });
    assert.deepEqual(check('jean.dupont@localhost'), { ok: false, reason: 'notAnAddress' });
    assert.deepEqual(check('jean.dupont@ac_paris!fr'), { ok: false, reason: 'notAnAddress' });
    assert.deepEqual(check(`${'a'.repeat(300)}.b@ac-paris.fr`), { ok: false, reason: 'notAnAddress' });
  });

  it('refuses spaces inside, suggesting the joined address when it is valid', () => {
    assert.deepEqual(check('jean.dupont @ac-paris.fr'), {
      ok: false,
      reason: 'spaces',
      suggestion: 'jean.dupont@ac-paris.fr',
    });
    assert.deepEqual(check('jean dupont@ac-paris.fr'), { ok: false, reason: 'spaces' });
    assert.deepEqual(check('jean.dupont@ac-paris.fr\u00a0merci'), { ok: false, reason: 'spaces' });
  });

  it('refuses accents and suggests the address without them', () => {
    assert.deepEqual(check('hélène.dupont@ac-paris.fr'), {
      ok: false,
      reason: 'accents',
      suggestion: 'helene.dupont@ac-paris.fr',
    });
    assert.deepEqual(check('Joël.Lœuvre@ac-lille.fr'), {
      ok: false,
      reason: 'accents',
      suggestion: 'joel.loeuvre@ac-lille.fr',
    });
    assert.deepEqual(check('jean.dupont@ac-créteil.fr'), {
      ok: false,
      reason: 'accents',
      suggestion: 'jean.dupont@ac-creteil.fr',
    });
  });

  it('suggests an address that also fixes a near-miss domain', () => {
    assert.deepEqual(check('éric.dupont@ac-pari.fr'), {
      ok: false,
      reason: 'accents',
      suggestion: 'eric.dupont@ac-paris.fr',
    });
  });

  it('refuses personal providers', () => {
    for (const domain of [
      'gmail.com',
      'yahoo.fr',
      'yahoo.com',
      'orange.fr',
      'wanadoo.fr',
      'free.fr',
      'sfr.fr',
      'neuf.fr',
      'laposte.net',
      'hotmail.fr',
      'hotmail.com',
      'outlook.fr',
      'outlook.com',
      'live.fr',
      'msn.com',
      'icloud.com',
      'me.com',
      'protonmail.com',
      'proton.me',
      'gmx.fr',
      'aol.com',
      'bbox.fr',
      'gmail.con',
      'yahoo.co.uk',
    ]) {
      assert.deepEqual(check(`jean.dupont@${domain}`), { ok: false, reason: 'personalDomain' }, domain);
    }
  });

  it('does not take an académie sub-domain for a personal provider', () => {
    assert.equal(check('jean.dupont@live.ac-paris.fr').ok, false);
    assert.notEqual((check('jean.dupont@live.ac-paris.fr') as { reason: string }).reason, 'personalDomain');
  });

  describe('near-miss académie domains', () => {
    for (const [domain, meant] of [
      ['ac-pari.fr', 'ac-paris.fr'],
      ['ac-pars.fr', 'ac-paris.fr'],
      ['ac-pairs.fr', 'ac-paris.fr'],
      ['ac-parsi.fr', 'ac-paris.fr'],
      ['acparis.fr', 'ac-paris.fr'],
      ['ac.paris.fr', 'ac-paris.fr'],
      ['ac-paris.com', 'ac-paris.fr'],
      ['ac-paris.fe', 'ac-paris.fr'],
      ['ac-paris', 'ac-paris.fr'],
      ['ac-paris.fr.fr', 'ac-paris.fr'],
      ['webmail.ac-paris.fr', 'ac-paris.fr'],
      ['paris.fr', 'ac-paris.fr'],
      ['ac-creteuil.fr', 'ac-creteil.fr'],
      ['ac-versaille.fr', 'ac-versailles.fr'],
      ['ac-nice.com', 'ac-nice.fr'],
      ['ac-reunion.re', 'ac-reunion.fr'],
    ] as const) {
      it(`${domain} → ${meant}`, () => {
        assert.deepEqual(check(`jean.dupont@${domain}`), {
          ok: false,
          reason: 'nearMissDomain',
          suggestion: `jean.dupont@${meant}`,
        });
      });
    }

    it('prefers the first configured domain on a tie', () => {
      const tie = 'jean.dupont@ac-parix.fr';
      assert.equal(checkAddress(tie, ['ac-paris.fr', 'ac-parim.fr']).ok, false);
      assert.deepEqual(checkAddress(tie, ['ac-paris.fr', 'ac-parim.fr']), {
        ok: false,
        reason: 'nearMissDomain',
        suggestion: 'jean.dupont@ac-paris.fr',
      });
      assert.deepEqual(checkAddress(tie, ['ac-parim.fr', 'ac-paris.fr']), {
        ok: false,
        reason: 'nearMissDomain',
        suggestion: 'jean.dupont@ac-parim.fr',
      });
    });

    it('prefers the closest domain over the first one', () => {
      assert.deepEqual(checkAddress('jean.dupont@ac-lile.fr', ['ac-paris.fr', 'ac-lille.fr']), {
        ok: false,
        reason: 'nearMissDomain',
        suggestion: 'jean.dupont@ac-lille.fr',
      });
    });

    it('only suggests among the configured domains', () => {
      assert.deepEqual(checkAddress('jean.dupont@ac-creteuil.fr', ['ac-paris.fr']), {
        ok: false,
        reason: 'unknownDomain',
      });
      assert.deepEqual(checkAddress('jean.dupont@ac-creteil.fr', ['ac-paris.fr']), {
        ok: false,
        reason: 'unknownDomain',
      });
    });

    it('matches configured domains whatever their case', () => {
      assert.deepEqual(checkAddress('jean.dupont@ac-paris.fr', ['AC-PARIS.FR']), {
        ok: true,
        email: 'jean.dupont@ac-paris.fr',
      });
    });
  });

  it('refuses other domains as unknown', () => {
    for (const domain of ['univ-paris.fr', 'education.gouv.fr', 'ac-toulon.fr', 'example.org']) {
      assert.deepEqual(check(`jean.dupont@${domain}`), { ok: false, reason: 'unknownDomain' }, domain);
    }
  });

  it('refuses a local part that is not prenom.nom, such as the webmail login', () => {
    for (const local of [
      'jdupont',
      'jdupont1',
      'jeandupont',
      'jean..dupont',
      '.jean.dupont',
      'jean.dupont.',
      'jean_dupont',
      'jean2.dupont',
      'jean.dupont+elections',
    ]) {
      assert.deepEqual(check(`${local}@ac-paris.fr`), { ok: false, reason: 'localPartFormat' }, local);
    }
  });

  it('reports the local part rather than suggest an address that would still be refused', () => {
    assert.deepEqual(check('jdupont@ac-pari.fr'), { ok: false, reason: 'localPartFormat' });
  });

  it('stays fast on long hostile input', () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) check(`${'a.'.repeat(30)}b@${'ac-paris-'.repeat(20)}.fr`);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
  });
});

describe('normaliseAddress', () => {
  it('trims, lowercases and drops what mail clients add', () => {
    assert.equal(normaliseAddress('  Jean.Dupont@AC-Paris.fr '), 'jean.dupont@ac-paris.fr');
    assert.equal(normaliseAddress('MAILTO:jean.dupont@ac-paris.fr'), 'jean.dupont@ac-paris.fr');
    assert.equal(normaliseAddress('<jean.dupont@ac-paris.fr>'), 'jean.dupont@ac-paris.fr');
    assert.equal(normaliseAddress('jean.\u200bdupont@ac-paris.fr'), 'jean.dupont@ac-paris.fr');
  });

  it('keeps accents, for checkAddress to point them out', () => {
    assert.equal(normaliseAddress('Hélène.Dupont@ac-paris.fr'), 'hélène.dupont@ac-paris.fr');
  });
});
