import assert from 'node:assert/strict';
import { formatDurationFr, formatRemainingFr } from '../../../src/domain/calendar/duration';

const NBSP = '\u00a0';
const fr = (text: string) => text.replace(/(\d) /g, `$1${NBSP}`);

describe('formatDurationFr', () => {
  it('keeps the two largest non-zero units', () => {
    assert.equal(formatDurationFr({ days: 3, hours: 6, minutes: 12 }), fr('3 jours et 6 heures'));
    assert.equal(formatDurationFr({ days: 0, hours: 2, minutes: 5 }), fr('2 heures et 5 minutes'));
    assert.equal(formatDurationFr({ days: 3, hours: 0, minutes: 5 }), fr('3 jours et 5 minutes'));
  });

  it('writes a single unit alone', () => {
    assert.equal(formatDurationFr({ days: 1, hours: 0, minutes: 0 }), fr('1 jour'));
    assert.equal(formatDurationFr({ days: 0, hours: 0, minutes: 45 }), fr('45 minutes'));
  });

  it('uses the singular for one', () => {
    assert.equal(formatDurationFr({ days: 1, hours: 1, minutes: 0 }), fr('1 jour et 1 heure'));
    assert.equal(formatDurationFr({ days: 0, hours: 1, minutes: 1 }), fr('1 heure et 1 minute'));
  });

  it('keeps each number with its unit on one line', () => {
    assert.equal(formatDurationFr({ days: 2, hours: 0, minutes: 0 }), `2${NBSP}jours`);
  });

  it('says « moins d’une minute » when nothing is left', () => {
    assert.equal(formatDurationFr({ days: 0, hours: 0, minutes: 0 }), 'moins d’une minute');
    assert.equal(formatDurationFr({ days: -1, hours: Number.NaN, minutes: 0.5 }), 'moins d’une minute');
  });
});

describe('formatRemainingFr: time left, rounded as people say it', () => {
  const MIN = 60_000;
  const H = 60 * MIN;
  const D = 24 * H;
  const cases: Array<[string, number, string]> = [
    ['six days, 23 hours and 59 minutes are « 7 jours »', 6 * D + 23 * H + 59 * MIN, '7 jours'],
    ['the style guide’s « 2 jours et 6 heures »', 2 * D + 6 * H + 10 * MIN, '2 jours et 6 heures'],
    ['two days exactly', 2 * D, '2 jours'],
    ['1 day 23 h 40 rounds up to « 2 jours »', D + 23 * H + 40 * MIN, '2 jours'],
    ['1 day 5 h 20 is « 1 jour et 5 heures »', D + 5 * H + 20 * MIN, '1 jour et 5 heures'],
    ['23 h 58 rounds up to « 1 jour »', 23 * H + 58 * MIN, '1 jour'],
    ['6 h 59 is « 7 heures »', 6 * H + 59 * MIN, '7 heures'],
    ['2 h 31 is « 2 heures et 30 minutes »', 2 * H + 31 * MIN, '2 heures et 30 minutes'],
    ['1 h 58 is « 2 heures »', H + 58 * MIN, '2 heures'],
    [
      '59 min 50 s stays « 59 minutes »: in the last hour, never a minute that is not there',
      59 * MIN + 50_000,
      '59 minutes',
    ],
    ['25 minutes', 25 * MIN + 59_000, '25 minutes'],
    ['under a minute', 30_000, 'moins d’une minute'],
    ['nothing left, or a past deadline', -5 * MIN, 'moins d’une minute'],
  ];
  for (const [name, ms, expected] of cases) it(name, () => assert.equal(formatRemainingFr(ms), fr(expected)));
});
