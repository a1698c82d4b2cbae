import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { describeHoursFr } from '../../../dialogs/handoff';
import { OpeningHours, parseOpeningHours } from '../../../src/domain/handoff/hours';

const PARIS = 'Europe/Paris';

describe('helpdesk opening hours (HELPDESK_HOURS, handoffHours)', () => {
  it('reads day ranges and several ranges, in the académie’s zone', () => {
    const hours = OpeningHours.parse('lun-ven 08:00-18:00; sam 09:00-12:30', PARIS);
    assert.equal(hours.ranges.length, 6);
    assert.equal(hours.isOpen(new Date('2014-11-20T08:00:00+01:00')), true);
    assert.equal(hours.isOpen(new Date('2014-11-20T07:59:00+01:00')), false);
    assert.equal(hours.isOpen(new Date('2014-11-20T18:00:00+01:00')), false);
    assert.equal(hours.isOpen(new Date('2014-11-22T12:29:00+01:00')), true);
    assert.equal(hours.isOpen(new Date('2014-11-23T10:00:00+01:00')), false);
    // La Réunion (UTC+4): 8 h there is 5 h in Paris.
    const reunion = OpeningHours.parse('lun-ven 08:00-17:00', 'Indian/Reunion');
    assert.equal(reunion.isOpen(new Date('2014-11-20T05:30:00+01:00')), true);
    assert.equal(reunion.isOpen(new Date('2014-11-20T14:30:00+01:00')), false);
  });

  it('finds the next opening, across the weekend and a change of time', () => {
    const hours = OpeningHours.parse('lun-ven 08:00-18:00', PARIS);
    assert.equal(
      hours.nextOpening(new Date('2014-11-22T11:00:00+01:00'))?.toISOString(),
      new Date('2014-11-24T08:00:00+01:00').toISOString(),
    );
    assert.equal(
      hours.nextOpening(new Date('2014-11-20T09:00:00+01:00'))?.toISOString(),
      new Date('2014-11-21T08:00:00+01:00').toISOString(),
    );
    // Saturday 25 October 2014, then summer time ends: Monday 8 h is UTC+1.
    assert.equal(
      hours.nextOpening(new Date('2014-10-25T20:00:00+02:00'))?.toISOString(),
      new Date('2014-10-27T08:00:00+01:00').toISOString(),
    );
  });

  it('refuses what an operator could mistype, saying what is wrong', () => {
    for (const bad of [
      '',
      'lundi 8-18',
      'ven-lun 08:00-18:00',
      'lun 18:00-08:00',
      'lun 08:00-25:00',
      'xyz 08:00-09:00',
    ])
      assert.equal(parseOpeningHours(bad).ok, false, bad);
    const refused = parseOpeningHours('lun-ven 8h-18h');
    assert.ok(!refused.ok && /lun-ven 8h-18h/.test(refused.reason));
  });

  it('says them in French, days grouped', () => {
    assert.equal(
      describeHoursFr(OpeningHours.parse('lun-ven 08:00-18:00; sam 09:00-12:30', PARIS)),
      'du lundi au vendredi, de 8\u00a0h à 18\u00a0h\u00a0; le samedi, de 9\u00a0h à 12\u00a0h\u00a030',
    );
    assert.equal(
      describeHoursFr(OpeningHours.parse('lun 08:00-12:00; lun 14:00-17:00; mer 08:00-12:00', PARIS)),
      'le lundi, de 8\u00a0h à 12\u00a0h et de 14\u00a0h à 17\u00a0h\u00a0; le mercredi, de 8\u00a0h à 12\u00a0h',
    );
  });
});
