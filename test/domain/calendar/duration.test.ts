import assert from 'node:assert/strict';
import { formatDurationFr } from '../../../src/domain/calendar/duration';

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
