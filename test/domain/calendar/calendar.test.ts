import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LEAFLET_2014_POLICY } from '../../../src/domain/accounts/password-policy';
import { CalendarError, parseCalendar, timeLeft, windowStatus } from '../../../src/domain/calendar/calendar';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const CALENDAR_FILE = path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json');
const EXAMPLE_2022_FILE = path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2022-example.json');

const VALID = {
  name: 'Élections professionnelles 2014',
  timeZone: 'Europe/Paris',
  accountCreation: { opens: '2014-09-22T00:00:00', closes: '2014-12-04T16:00:00' },
  vote: { opens: '2014-11-27T10:00:00', closes: '2014-12-04T17:00:00' },
  results: { from: '2014-12-05T00:00:00' },
};

type Json = Record<string, unknown>;
function withField(field: string, value: unknown): Json {
  const copy: Json = structuredClone(VALID);
  const [outer, inner] = field.split('.') as [string, string | undefined];
  if (inner === undefined) copy[outer] = value;
  else (copy[outer] as Json)[inner] = value;
  return copy;
}

function issuesOf(json: unknown): string[] {
  try {
    parseCalendar(json);
  } catch (error) {
    assert.ok(error instanceof CalendarError);
    return error.issues;
  }
  assert.fail('expected the calendar to be refused');
}

describe('election calendar', () => {
  describe('the 2014 file', () => {
    const calendar = loadCalendar(CALENDAR_FILE);

    it('reads Paris local times across the 26 October change of time', () => {
      assert.equal(calendar.name, 'Élections professionnelles 2014');
      assert.equal(calendar.timeZone, 'Europe/Paris');
      // CEST (UTC+2) in September, CET (UTC+1) in November and December.
      assert.equal(calendar.accountCreation.opens.toISOString(), '2014-09-21T22:00:00.000Z');
      assert.equal(calendar.accountCreation.closes.toISOString(), '2014-12-04T15:00:00.000Z');
      assert.equal(calendar.vote.opens.toISOString(), '2014-11-27T09:00:00.000Z');
      assert.equal(calendar.vote.closes.toISOString(), '2014-12-04T16:00:00.000Z');
      assert.equal(calendar.resultsFrom.toISOString(), '2014-12-04T23:00:00.000Z');
    });

    it('reads the optional vote-notice date (12 Nov 2014), absent from a calendar without it', () => {
      assert.equal(calendar.voteNoticeBy?.toISOString(), '2014-11-11T23:00:00.000Z');
      assert.equal(parseCalendar(VALID).voteNoticeBy, undefined);
      assert.deepEqual(issuesOf(withField('voteNotice', { deliveredBy: '12/11/2014' })).length, 1);
    });

    it('reads the optional voting site (https only), absent from a calendar without it', () => {
      assert.equal(calendar.votingSite, 'https://vote2014.education.gouv.fr/');
      assert.equal(parseCalendar(VALID).votingSite, undefined);
      for (const bad of [
        'http://vote2014.education.gouv.fr/',
        'vote2014.education.gouv.fr',
        'javascript:alert(1)',
      ])
        assert.deepEqual(
          issuesOf(withField('votingSite', bad)).map((i) => i.split(' : ')[0]),
          ['votingSite'],
          bad,
        );
    });

    it('is frozen', () => {
      assert.ok(Object.isFrozen(calendar));
      assert.ok(Object.isFrozen(calendar.accountCreation));
      assert.ok(Object.isFrozen(calendar.vote));
      assert.ok(Object.isFrozen(calendar.passwordPolicy));
    });

    it('has no passwordPolicy: the leaflet’s applies', () => {
      assert.equal(calendar.passwordPolicy, LEAFLET_2014_POLICY);
      assert.equal(parseCalendar(VALID).passwordPolicy, LEAFLET_2014_POLICY);
    });
  });

  describe('the 2022 example file', () => {
    const calendar = loadCalendar(EXAMPLE_2022_FILE);

    it('carries its name, its dates (vote 1 → 8 December, 17 h) and the 12-character policy', () => {
      assert.equal(calendar.name, 'Élections professionnelles 2022');
      assert.equal(calendar.vote.opens.toISOString(), '2022-12-01T09:00:00.000Z');
      assert.equal(calendar.vote.closes.toISOString(), '2022-12-08T16:00:00.000Z');
      assert.deepEqual(calendar.passwordPolicy, {
        minLength: 12,
        maxLength: 128,
        lowercase: true,
        uppercase: true,
        digit: true,
        special: true,
      });
    });

    it('says in its note that it is an example, with the opening hour unconfirmed; the note is not kept', () => {
      const raw = JSON.parse(readFileSync(EXAMPLE_2022_FILE, 'utf8')) as { note?: string };
      assert.match(raw.note ?? '', /^Exemple/);
      assert.match(raw.note ?? '', /non confirmée/);
      assert.equal('note' in calendar, false);
    });
  });

  describe('passwordPolicy', () => {
    const policy = {
      minLength: 12,
      maxLength: 64,
      lowercase: true,
      uppercase: false,
      digit: true,
      special: true,
    };

    it('is read from the file', () => {
      assert.deepEqual(parseCalendar({ ...VALID, passwordPolicy: policy }).passwordPolicy, policy);
    });

    it('is refused with the field named', () => {
      const issues = issuesOf({ ...VALID, passwordPolicy: { ...policy, maxLength: 500 } });
      assert.ok(
        issues.some((i) => i.startsWith('passwordPolicy.maxLength : au plus 128')),
        issues.join('\n'),
      );
      assert.ok(
        issuesOf({ ...VALID, passwordPolicy: { minLength: 12 } }).some((i) =>
          i.startsWith('passwordPolicy.'),
        ),
      );
    });
  });

  it('interprets the times in the zone of the file', () => {
    const reunion = parseCalendar(withField('timeZone', 'Indian/Reunion'));
    assert.equal(reunion.accountCreation.closes.toISOString(), '2014-12-04T12:00:00.000Z');
  });

  it('accepts times without seconds', () => {
    const calendar = parseCalendar(
      withField('vote', { opens: '2014-11-27T10:00', closes: '2014-12-04T17:00' }),
    );
    assert.equal(calendar.vote.opens.toISOString(), '2014-11-27T09:00:00.000Z');
  });

  describe('refuses, naming the field', () => {
    for (const [field, value, expected] of [
      ['timeZone', 'Europe/Pariss', /^timeZone : /],
      ['timeZone', '+01:00', /^timeZone : /],
      ['timeZone', '', /^timeZone : /],
      ['name', '  ', /^name : /],
      ['accountCreation.opens', '2014-09-22T00:00:00+02:00', /^accountCreation\.opens : /],
      ['accountCreation.opens', '2014-09-22T00:00:00Z', /^accountCreation\.opens : /],
      ['accountCreation.opens', '2014-09-22', /^accountCreation\.opens : /],
      ['vote.opens', '2014-02-30T10:00:00', /^vote\.opens : .*inexistante/],
      ['vote.opens', '2014-11-27T24:00:00', /^vote\.opens : .*inexistante/],
      ['vote.closes', 1417705200000, /^vote\.closes : /],
      ['results.from', '2015-03-29T02:30:00', null],
    ] as const) {
      it(`${field} = ${JSON.stringify(value)}`, () => {
        const issues = issuesOf(withField(field, value));
        if (expected)
          assert.ok(
            issues.some((i) => expected.test(i)),
            issues.join('\n'),
          );
        else
          assert.ok(
            issues.some((i) => i.startsWith(`${field} : heure inexistante`)),
            issues.join('\n'),
          );
      });
    }

    it('a missing section or an unknown key', () => {
      const { results: _results, ...withoutResults } = VALID;
      assert.ok(issuesOf(withoutResults).some((i) => i.startsWith('results : ')));
      assert.ok(issuesOf({ ...VALID, resultat: {} }).some((i) => i.includes('resultat')));
      assert.ok(issuesOf(null).length > 0);
    });

    it('an account window that closes before it opens', () => {
      const issues = issuesOf(
        withField('accountCreation', { opens: '2014-12-04T16:00:00', closes: '2014-12-04T16:00:00' }),
      );
      assert.deepEqual(issues, ['accountCreation.closes : doit être après accountCreation.opens']);
    });

    it('a vote that closes before it opens', () => {
      const issues = issuesOf(
        withField('vote', { opens: '2014-12-04T17:00:00', closes: '2014-11-27T10:00:00' }),
      );
      assert.ok(issues.includes('vote.closes : doit être après vote.opens'), issues.join('\n'));
    });

    it('results before the vote closes', () => {
      const issues = issuesOf(withField('results', { from: '2014-12-04T16:59:59' }));
      assert.deepEqual(issues, ['results.from : ne peut pas précéder vote.closes']);
      assert.doesNotThrow(() => parseCalendar(withField('results', { from: '2014-12-04T17:00:00' })));
    });

    it('account creation closing after the vote', () => {
      const issues = issuesOf(
        withField('accountCreation', { opens: '2014-09-22T00:00:00', closes: '2014-12-04T17:00:01' }),
      );
      assert.deepEqual(issues, ['accountCreation.closes : ne peut pas suivre vote.closes']);
      assert.doesNotThrow(() =>
        parseCalendar(
          withField('accountCreation', { opens: '2014-09-22T00:00:00', closes: '2014-12-04T17:00:00' }),
        ),
      );
    });
  });

  describe('loadCalendar', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('names the file when it is missing', () => {
      const file = path.join(dir, 'absent.json');
      assert.throws(
        () => loadCalendar(file),
        (e: Error) => e instanceof CalendarError && e.message.includes(file),
      );
    });

    it('names the file when it is not JSON', () => {
      const file = path.join(dir, 'broken.json');
      writeFileSync(file, '{ "name": ');
      assert.throws(
        () => loadCalendar(file),
        (e: Error) => e instanceof CalendarError && e.message.includes(file),
      );
    });

    it('names the file and the field when a rule is broken', () => {
      const file = path.join(dir, 'wrong.json');
      writeFileSync(file, JSON.stringify(withField('timeZone', 'Mars/Olympus')));
      assert.throws(
        () => loadCalendar(file),
        (e: Error) =>
          e instanceof CalendarError && e.message.includes(file) && e.message.includes('timeZone : '),
      );
    });
  });

  describe('windowStatus', () => {
    const { accountCreation } = loadCalendar(CALENDAR_FILE);

    it('is before until the opening instant, open from it', () => {
      assert.equal(windowStatus(accountCreation, new Date('2014-09-21T21:59:59.999Z')), 'before');
      assert.equal(windowStatus(accountCreation, new Date('2014-09-22T00:00:00+02:00')), 'open');
    });

    it('is closed at exactly 16:00 Paris time on 4 December', () => {
      assert.equal(windowStatus(accountCreation, new Date('2014-12-04T15:59:59.999+01:00')), 'open');
      assert.equal(windowStatus(accountCreation, new Date('2014-12-04T16:00:00+01:00')), 'after');
      assert.equal(windowStatus(accountCreation, new Date('2015-01-01T00:00:00Z')), 'after');
    });
  });

  describe('timeLeft', () => {
    const closes = new Date('2014-12-04T16:00:00+01:00');

    it('splits the time left into days, hours and minutes', () => {
      assert.deepEqual(timeLeft(new Date('2014-12-02T10:00:00+01:00'), closes), {
        days: 2,
        hours: 6,
        minutes: 0,
      });
      assert.deepEqual(timeLeft(new Date('2014-12-04T13:55:00+01:00'), closes), {
        days: 0,
        hours: 2,
        minutes: 5,
      });
    });

    it('rounds down, never promising time that is not there', () => {
      assert.deepEqual(timeLeft(new Date('2014-12-04T15:59:01+01:00'), closes), {
        days: 0,
        hours: 0,
        minutes: 0,
      });
      assert.deepEqual(timeLeft(new Date('2014-12-04T15:58:59+01:00'), closes), {
        days: 0,
        hours: 0,
        minutes: 1,
      });
    });

    it('is zero once the end has passed', () => {
      assert.deepEqual(timeLeft(closes, closes), { days: 0, hours: 0, minutes: 0 });
      assert.deepEqual(timeLeft(new Date('2014-12-05T00:00:00Z'), closes), { days: 0, hours: 0, minutes: 0 });
    });

    it('counts real elapsed time across the change of time', () => {
      // Paris noon on 25 October to Paris noon on 26 October is 25 hours: the clocks went back at 03:00.
      const start = new Date('2014-10-25T12:00:00+02:00');
      const end = new Date('2014-10-26T12:00:00+01:00');
      assert.deepEqual(timeLeft(start, end), { days: 1, hours: 1, minutes: 0 });
      const opening = new Date('2014-09-21T22:00:00Z');
      assert.deepEqual(timeLeft(opening, closes), { days: 73, hours: 17, minutes: 0 });
    });
  });
});
