import assert from 'node:assert/strict';
import { formatDateTimeFr, formatDayFr, formatHourFr } from '../../../src/domain/calendar/format';

const NBSP = '\u00a0';
const PARIS = 'Europe/Paris';
const accountCloses = new Date('2014-12-04T15:00:00Z');
const voteOpens = new Date('2014-11-27T09:00:00Z');

describe('French date formatting', () => {
  it('writes the leaflet deadline in Paris time', () => {
    assert.equal(formatDateTimeFr(accountCloses, PARIS), `jeudi 4 décembre 2014 à 16${NBSP}h`);
  });

  it('writes the opening of the account window, in summer time', () => {
    assert.equal(
      formatDateTimeFr(new Date('2014-09-21T22:00:00Z'), PARIS),
      `lundi 22 septembre 2014 à 0${NBSP}h`,
    );
  });

  it('writes « 1er » for the first of the month', () => {
    assert.equal(formatDayFr(new Date('2014-12-01T12:00:00Z'), PARIS), 'lundi 1er décembre 2014');
    assert.equal(formatDayFr(new Date('2014-12-02T12:00:00Z'), PARIS), 'mardi 2 décembre 2014');
  });

  it('writes minutes only when there are some', () => {
    assert.equal(formatHourFr(new Date('2014-12-04T16:30:00Z'), PARIS), `17${NBSP}h${NBSP}30`);
    assert.equal(formatHourFr(new Date('2014-12-04T23:05:00Z'), PARIS), `0${NBSP}h${NBSP}05`);
  });

  it('gives the local time overseas, with the local date', () => {
    assert.equal(formatDateTimeFr(accountCloses, 'Indian/Reunion'), `jeudi 4 décembre 2014 à 19${NBSP}h`);
    assert.equal(formatDateTimeFr(accountCloses, 'Pacific/Noumea'), `vendredi 5 décembre 2014 à 2${NBSP}h`);
    assert.equal(formatDateTimeFr(voteOpens, 'Pacific/Tahiti'), `mercredi 26 novembre 2014 à 23${NBSP}h`);
    assert.equal(
      formatDateTimeFr(voteOpens, 'Pacific/Marquesas'),
      `mercredi 26 novembre 2014 à 23${NBSP}h${NBSP}30`,
    );
    assert.equal(formatDateTimeFr(accountCloses, 'America/Guadeloupe'), `jeudi 4 décembre 2014 à 11${NBSP}h`);
  });
});
