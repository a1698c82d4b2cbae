import assert from 'node:assert/strict';
import path from 'node:path';
import { formatInTimeZone } from 'date-fns-tz';
import { timeLeft } from '../../../src/domain/calendar/calendar';
import { checkInstant, renderMoment, spanOverlap, windowMoments } from '../../../src/domain/calendar/moments';
import { findPlace, placeForTimeZone } from '../../../src/domain/calendar/places';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const NBSP = '\u00a0';
const MINUTE = 60_000;
const calendar = loadCalendar(path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json'));
const shift = (instant: Date, minutes: number) => new Date(instant.getTime() + minutes * MINUTE);

describe('moments of the calendar', () => {
  describe('window edges, one minute before, at, one minute after', () => {
    const edges = [
      ['account creation opens', 'accountCreation', calendar.accountCreation.opens, 'before', 'open'],
      ['account creation closes', 'accountCreation', calendar.accountCreation.closes, 'open', 'after'],
      ['vote opens', 'vote', calendar.vote.opens, 'before', 'open'],
      ['vote closes', 'vote', calendar.vote.closes, 'open', 'after'],
    ] as const;
    for (const [label, window, edge, justBefore, from] of edges) {
      it(label, () => {
        assert.equal(windowMoments(calendar, shift(edge, -1))[window].status, justBefore);
        assert.equal(windowMoments(calendar, edge)[window].status, from);
        assert.equal(windowMoments(calendar, shift(edge, 1))[window].status, from);
        assert.equal(checkInstant(calendar, shift(edge, -1))[window], justBefore);
        assert.equal(checkInstant(calendar, edge)[window], from);
      });
    }

    it('the results, from 5 Dec 2014 at 0 h (Paris)', () => {
      assert.equal(checkInstant(calendar, shift(calendar.resultsFrom, -1)).resultsAvailable, false);
      assert.equal(checkInstant(calendar, calendar.resultsFrom).resultsAvailable, true);
    });

    it('counts the time left to the next edge, to the minute', () => {
      const moments = windowMoments(calendar, shift(calendar.vote.closes, -1));
      assert.deepEqual(moments.vote.left, { days: 0, hours: 0, minutes: 1 });
      assert.equal(moments.vote.edge, calendar.vote.closes);
      assert.equal(moments.accountCreation.status, 'after');
      assert.deepEqual(moments.accountCreation.left, { days: 0, hours: 0, minutes: 0 });
      const before = windowMoments(calendar, shift(calendar.vote.opens, -1));
      assert.equal(before.vote.edge, calendar.vote.opens);
    });

    it('lists the windows open at an instant', () => {
      assert.deepEqual(checkInstant(calendar, new Date('2014-11-20T12:00:00+01:00')).open, [
        'accountCreation',
      ]);
      assert.deepEqual(checkInstant(calendar, new Date('2014-12-01T12:00:00+01:00')).open, [
        'accountCreation',
        'vote',
      ]);
      assert.deepEqual(checkInstant(calendar, new Date('2014-12-04T16:30:00+01:00')).open, ['vote']);
      assert.deepEqual(checkInstant(calendar, new Date('2014-12-04T17:00:00+01:00')).open, []);
    });
  });

  describe('daylight saving time', () => {
    it('22 Sept 2014 at 0 h in Paris is summer time (UTC+2)', () => {
      assert.equal(calendar.accountCreation.opens.toISOString(), '2014-09-21T22:00:00.000Z');
      assert.equal(formatInTimeZone(calendar.accountCreation.opens, 'Europe/Paris', 'xxx'), '+02:00');
      assert.equal(formatInTimeZone(calendar.vote.closes, 'Europe/Paris', 'xxx'), '+01:00');
    });

    it('counts real elapsed time across the change of 26 Oct 2014 (one more hour)', () => {
      const saturdayNoon = new Date('2014-10-25T12:00:00+02:00');
      const mondayNoon = new Date('2014-10-27T12:00:00+01:00');
      assert.deepEqual(timeLeft(saturdayNoon, mondayNoon), { days: 2, hours: 1, minutes: 0 });
      const moments = windowMoments(calendar, new Date('2014-10-25T16:00:00+02:00'));
      assert.deepEqual(moments.accountCreation.left, { days: 40, hours: 1, minutes: 0 });
    });
  });

  describe('rendering in another zone', () => {
    const closes = calendar.vote.closes;
    it('4 Dec 17 h Paris at La Réunion, Nouméa and Tahiti', () => {
      assert.deepEqual(renderMoment(closes, calendar, findPlace('la réunion')), {
        paris: `jeudi 4 décembre 2014 à 17${NBSP}h`,
        local: {
          dateTime: `jeudi 4 décembre 2014 à 20${NBSP}h`,
          hour: `20${NBSP}h`,
          sameDayAsParis: true,
          at: 'à La Réunion',
        },
      });
      const noumea = renderMoment(closes, calendar, findPlace('nouméa'));
      assert.equal(noumea.local?.dateTime, `vendredi 5 décembre 2014 à 3${NBSP}h`);
      assert.equal(noumea.local?.sameDayAsParis, false);
      assert.equal(
        renderMoment(closes, calendar, findPlace('tahiti')).local?.dateTime,
        `jeudi 4 décembre 2014 à 6${NBSP}h`,
      );
    });

    it('the vote opening (27 Nov 10 h Paris) is Wednesday 26 Nov 23 h in Tahiti', () => {
      const tahiti = renderMoment(calendar.vote.opens, calendar, findPlace('tahiti'));
      assert.equal(tahiti.local?.dateTime, `mercredi 26 novembre 2014 à 23${NBSP}h`);
      assert.equal(tahiti.local?.sameDayAsParis, false);
    });

    it('no local time without a place, in Paris, or where the clock reads as in Paris', () => {
      assert.equal(renderMoment(closes, calendar).local, undefined);
      assert.equal(renderMoment(closes, calendar, findPlace('à Paris')).local, undefined);
      assert.equal(renderMoment(closes, calendar, placeForTimeZone('Europe/Brussels')).local, undefined);
    });

    it('a zone without a name is « heure locale »', () => {
      const local = renderMoment(closes, calendar, placeForTimeZone('America/New_York')).local;
      assert.equal(local?.dateTime, `jeudi 4 décembre 2014 à 11${NBSP}h`);
      assert.equal(local?.at, '(heure locale)');
    });
  });

  describe('spans without an hour', () => {
    const day = (iso: string) =>
      [new Date(`${iso}T00:00:00+01:00`), new Date(`${iso}T24:00:00+01:00`)] as const;
    it('tells whether a window opens or closes inside a day', () => {
      assert.equal(spanOverlap(calendar.vote, ...day('2014-11-26')), 'before');
      assert.equal(spanOverlap(calendar.vote, ...day('2014-11-27')), 'opensDuring');
      assert.equal(spanOverlap(calendar.vote, ...day('2014-11-29')), 'inside');
      assert.equal(spanOverlap(calendar.vote, ...day('2014-12-04')), 'closesDuring');
      assert.equal(spanOverlap(calendar.vote, ...day('2014-12-05')), 'after');
    });

    it('a span ending at the opening is before it, one starting at the close is after it', () => {
      const { opens, closes } = calendar.vote;
      assert.equal(spanOverlap(calendar.vote, shift(opens, -60), opens), 'before');
      assert.equal(spanOverlap(calendar.vote, opens, shift(opens, 60)), 'inside');
      assert.equal(spanOverlap(calendar.vote, closes, shift(closes, 60)), 'after');
    });
  });
});
