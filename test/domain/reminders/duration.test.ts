import assert from 'node:assert/strict';
import { parseIsoDuration } from '../../../src/domain/reminders/duration';

const HOUR = 3_600_000;

describe('parseIsoDuration (REMINDER_UNCONFIRMED_AFTER)', () => {
  it('reads hours, days, weeks, minutes and seconds, alone or together', () => {
    assert.equal(parseIsoDuration('PT24H'), 24 * HOUR);
    assert.equal(parseIsoDuration('P1D'), 24 * HOUR);
    assert.equal(parseIsoDuration('P1DT12H'), 36 * HOUR);
    assert.equal(parseIsoDuration('P2W'), 14 * 24 * HOUR);
    assert.equal(parseIsoDuration('PT90M'), 90 * 60_000);
    assert.equal(parseIsoDuration('PT1H30M15S'), HOUR + 30 * 60_000 + 15_000);
    assert.equal(parseIsoDuration('P1DT2H3M4S'), 24 * HOUR + 2 * HOUR + 3 * 60_000 + 4_000);
  });

  it('takes decimal fractions (dot or comma), lower case and surrounding spaces', () => {
    assert.equal(parseIsoDuration('PT1.5H'), 1.5 * HOUR);
    assert.equal(parseIsoDuration('PT0,5S'), 500);
    assert.equal(parseIsoDuration(' pt12h '), 12 * HOUR);
  });

  it('refuses what is not a duration of fixed length', () => {
    for (const bad of [
      '',
      'P',
      'PT',
      'P1DT',
      '24H',
      'PT24',
      'P1Y',
      'P1M',
      'P-1D',
      'PT-5H',
      'PT1H2D',
      'P1H',
      'PTH',
      '1D',
      'PT1.H',
      'PT24H ago',
    ])
      assert.equal(parseIsoDuration(bad), undefined, bad);
  });

  it('reads zero as zero (the setting refuses it, not the parser)', () => {
    assert.equal(parseIsoDuration('PT0S'), 0);
  });
});
