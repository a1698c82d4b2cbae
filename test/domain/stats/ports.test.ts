import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { dayOf } from '../../../src/domain/stats/ports';

describe('dayOf: the calendar day of an instant in a zone', () => {
  it('changes at the zone’s midnight, asked in order or not, whatever the zones in between', () => {
    const cases: Array<[string, string, string]> = [
      ['2014-11-19T22:59:59.999Z', 'Europe/Paris', '2014-11-19'],
      ['2014-11-19T23:00:00.000Z', 'Europe/Paris', '2014-11-20'],
      ['2014-11-19T23:00:00.000Z', 'UTC', '2014-11-19'],
      ['2014-11-19T22:59:59.999Z', 'Europe/Paris', '2014-11-19'],
      // A zone a quarter of an hour off the hour: its day starts at 18:15 UTC.
      ['2014-11-19T18:14:59.999Z', 'Asia/Kathmandu', '2014-11-19'],
      ['2014-11-19T18:15:00.000Z', 'Asia/Kathmandu', '2014-11-20'],
      ['2014-11-19T18:14:00.000Z', 'Asia/Kathmandu', '2014-11-19'],
      // Summer time ends in Paris on 26 October 2014 at 03:00 local (01:00 UTC).
      ['2014-10-25T21:59:59.999Z', 'Europe/Paris', '2014-10-25'],
      ['2014-10-25T22:00:00.000Z', 'Europe/Paris', '2014-10-26'],
      ['2014-10-26T22:59:59.999Z', 'Europe/Paris', '2014-10-26'],
      ['2014-10-26T23:00:00.000Z', 'Europe/Paris', '2014-10-27'],
    ];
    for (const [instant, zone, day] of cases)
      assert.equal(dayOf(new Date(instant), zone), day, `${instant} ${zone}`);
  });
});
