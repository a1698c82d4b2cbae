import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { academiesFor, directoryOf } from '../../../src/domain/academies/directory';
import { AcademiesError, parseAcademies } from '../../../src/domain/academies/profiles';
import { loadAcademies } from '../../../src/infra/academies-file';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SHIPPED = path.join(ROOT, 'academies', 'academies.json');
const CALENDAR_2014 = loadCalendar(path.join(ROOT, 'calendars', 'elections-2014.json'));
/** The vote of a later election (December 2022), to see which profiles a new election file picks. */
const VOTE_2022 = {
  opens: new Date('2022-12-01T09:00:00+01:00'),
  closes: new Date('2022-12-08T17:00:00+01:00'),
};

/** A valid profile, to change one field at a time. */
function profile(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'reunion',
    name: 'Académie de La Réunion',
    domains: ['ac-reunion.fr'],
    timeZone: 'Indian/Reunion',
    webmail: { url: 'https://webmail.ac-reunion.fr' },
    mailFrom: 'Assistant électeur <ne-pas-repondre@ac-reunion.fr>',
    ...changes,
  };
}

function problems(json: unknown): string[] {
  try {
    parseAcademies(json, 'test');
  } catch (error) {
    assert.ok(error instanceof AcademiesError, String(error));
    return error.issues;
  }
  assert.fail('the file was accepted');
}

describe('académie profiles (issue 14)', () => {
  describe('the shipped file', () => {
    const profiles = loadAcademies(SHIPPED);

    it('has every académie and vice-rectorat of domain.md §4, with its zone', () => {
      const zones = new Map(profiles.map((p) => [p.domains[0], p.timeZone]));
      assert.equal(zones.get('ac-paris.fr'), 'Europe/Paris');
      assert.equal(zones.get('ac-corse.fr'), 'Europe/Paris');
      assert.equal(zones.get('ac-guadeloupe.fr'), 'America/Guadeloupe');
      assert.equal(zones.get('ac-martinique.fr'), 'America/Martinique');
      assert.equal(zones.get('ac-guyane.fr'), 'America/Cayenne');
      assert.equal(zones.get('ac-reunion.fr'), 'Indian/Reunion');
      assert.equal(zones.get('ac-mayotte.fr'), 'Indian/Mayotte');
      assert.equal(zones.get('ac-noumea.nc'), 'Pacific/Noumea');
      assert.equal(zones.get('ac-polynesie.pf'), 'Pacific/Tahiti');
      assert.equal(zones.get('ac-wf.wf'), 'Pacific/Wallis');
      assert.equal(zones.get('ac-spm.fr'), 'America/Miquelon');
      const ids = new Set(profiles.map((p) => p.id));
      assert.equal(ids.size, 36, [...ids].join(', '));
    });

    it('gives Paris its known webmail, and marks the common pattern as to be confirmed elsewhere', () => {
      const paris = profiles.find((p) => p.id === 'paris');
      assert.deepEqual(paris?.webmail, { url: 'https://webmail.ac-paris.fr', confirmed: true });
      const reunion = profiles.find((p) => p.id === 'reunion');
      assert.deepEqual(reunion?.webmail, { url: 'https://webmail.ac-reunion.fr', confirmed: false });
      for (const p of profiles.filter((q) => !q.webmail.confirmed))
        assert.equal(p.webmail.url, `https://webmail.${p.domains[0]}`, p.id);
    });

    it('invents no helpdesk: no contact in the shipped profiles', () => {
      assert.deepEqual(
        profiles.filter((p) => p.contact).map((p) => p.id),
        [],
      );
    });

    it('keeps the login rule for the académies that published one (domain.md §5)', () => {
      const withRule = profiles.filter((p) => p.login).map((p) => p.id);
      assert.deepEqual(withRule.sort(), ['creteil', 'toulouse']);
    });

    it('writes its French like the locales: typographic apostrophe, no plain space before « ; : ? ! »', () => {
      const prose = profiles.flatMap((p) => [p.name, p.login ?? '']);
      assert.deepEqual(
        prose.filter((text) => /'| [;:?!]/.test(text)),
        [],
      );
    });

    it('picks Caen and Rouen, not Normandie, for the 2014 election; Normandie for a later one', () => {
      const in2014 = academiesFor(profiles, CALENDAR_2014.vote);
      assert.ok(in2014.byDomain('ac-caen.fr'));
      assert.ok(in2014.byDomain('ac-rouen.fr'));
      assert.equal(in2014.byDomain('ac-normandie.fr'), undefined);
      assert.ok(!in2014.domains.includes('ac-normandie.fr'));
      assert.equal(in2014.domains[0], 'ac-paris.fr', 'Paris first: near-miss ties go to it');
      assert.equal(in2014.byId('mayotte')?.name, 'Vice-rectorat de Mayotte');
      assert.equal(in2014.byId('nouvelle-caledonie')?.webmail.url, 'https://webmail.ac-noumea.nc');

      const in2022 = academiesFor(profiles, VOTE_2022);
      assert.equal(in2022.byId('normandie')?.domains[0], 'ac-normandie.fr');
      assert.equal(in2022.byDomain('ac-caen.fr'), undefined);
      assert.equal(in2022.byDomain('ac-rouen.fr'), undefined);
      assert.equal(in2022.byId('mayotte')?.name, 'Académie de Mayotte');
    });

    it('finds the académie of an address, whatever its case', () => {
      const academies = academiesFor(profiles, CALENDAR_2014.vote);
      assert.equal(academies.ofAddress('Marie.Payet@AC-REUNION.FR')?.id, 'reunion');
      assert.equal(academies.ofAddress('prof@monvr.pf')?.id, 'polynesie');
      assert.equal(academies.ofAddress('jean@gmail.com'), undefined);
      assert.equal(academies.ofAddress('pas une adresse'), undefined);
      assert.equal(academies.byId('toString'), undefined, 'no prototype key is an académie');
    });
  });

  describe('validation', () => {
    it('accepts a minimal profile, and defaults an unstated webmail to « to be confirmed »', () => {
      const [reunion] = parseAcademies({ academies: [profile()] });
      assert.equal(reunion?.webmail.confirmed, false);
      assert.equal(reunion?.contact, undefined);
      assert.ok(Object.isFrozen(reunion));
    });

    it('names the field of every problem, all at once', () => {
      const issues = problems({
        academies: [
          profile({
            id: 'La Réunion',
            timeZone: '+04:00',
            webmail: { url: 'http://webmail.ac-reunion.fr' },
            mailFrom: 'Bcc: x@y.fr\r\n',
          }),
        ],
      });
      for (const field of [
        'academies.0.id',
        'academies.0.timeZone',
        'academies.0.webmail.url',
        'academies.0.mailFrom',
      ])
        assert.ok(
          issues.some((i) => i.startsWith(field)),
          `${field} in ${issues.join(' | ')}`,
        );
    });

    it('refuses a contact with nothing in it, a made-up field, an impossible day', () => {
      assert.ok(problems({ academies: [profile({ contact: {} })] }).some((i) => i.includes('contact')));
      assert.ok(problems({ academies: [profile({ colour: 'blue' })] }).length > 0);
      assert.ok(
        problems({ academies: [profile({ validUntil: '2020-02-30' })] }).some((i) =>
          i.includes('validUntil'),
        ),
      );
      assert.ok(
        problems({ academies: [profile({ validFrom: '2020-01-01', validUntil: '2019-01-01' })] }).some((i) =>
          i.includes('validUntil'),
        ),
      );
    });

    it('refuses one id or one domain for two académies at the same time, not one after the other', () => {
      const caen = profile({ id: 'caen', domains: ['ac-caen.fr'], validUntil: '2020-01-01' });
      const twice = problems({ academies: [caen, profile({ id: 'caen', domains: ['ac-normandie.fr'] })] });
      assert.ok(
        twice.some((i) => i.includes('« caen » déjà pris')),
        twice.join(' | '),
      );
      const shared = problems({ academies: [profile(), profile({ id: 'autre' })] });
      assert.ok(
        shared.some((i) => i.includes('« ac-reunion.fr » déjà pris')),
        shared.join(' | '),
      );
      // One after the other: the same id (a renamed vice-rectorat), the same domain.
      assert.equal(
        parseAcademies({
          academies: [caen, profile({ id: 'caen', domains: ['ac-caen.fr'], validFrom: '2020-01-01' })],
        }).length,
        2,
      );
    });

    it('says so when no académie is in force for the election (a start-up error, naming the file)', () => {
      const only2022 = parseAcademies({ academies: [profile({ validFrom: '2020-01-01' })] });
      assert.throws(
        () => academiesFor(only2022, CALENDAR_2014.vote, 'profils des académies test.json'),
        (error: Error) =>
          error instanceof AcademiesError &&
          /test\.json[\s\S]*aucune académie en vigueur/.test(error.message),
      );
    });

    it('names the file when it is missing or not JSON', () => {
      assert.throws(() => loadAcademies(path.join(ROOT, 'nowhere.json')), /nowhere\.json/);
      const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'academies-')), 'a.json');
      fs.writeFileSync(broken, '{ "academies": [');
      assert.throws(
        () => loadAcademies(broken),
        (error: Error) => error instanceof AcademiesError,
      );
    });
  });

  it('directoryOf: every domain, in order, looked up by domain and id', () => {
    const profiles = parseAcademies({
      academies: [
        profile({ id: 'paris', domains: ['ac-paris.fr'] }),
        profile({ domains: ['ac-reunion.fr', 'x-reunion.fr'] }),
      ],
    });
    const directory = directoryOf(profiles);
    assert.deepEqual([...directory.domains], ['ac-paris.fr', 'ac-reunion.fr', 'x-reunion.fr']);
    assert.equal(directory.byDomain('X-REUNION.FR.')?.id, 'reunion');
  });
});
