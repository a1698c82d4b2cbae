import assert from 'node:assert/strict';
import { formatInTimeZone } from 'date-fns-tz';
import { parseTeacherDate, type TeacherMoment } from '../../../src/domain/calendar/teacher-dates';

const PARIS = 'Europe/Paris';
const NOUMEA = 'Pacific/Noumea';
const TAHITI = 'Pacific/Tahiti';
/** The app clock of the tests and the demo: Thursday 20 Nov 2014, 9 h in Paris. */
const NOW = new Date('2014-11-20T09:00:00+01:00');

/** The parsed moment as wall-clock time in `zone`, to compare with what the teacher typed. */
function wall(moment: TeacherMoment | undefined, zone: string): string {
  assert.ok(moment, 'expected a date');
  const start = formatInTimeZone(moment.instant, zone, 'EEE yyyy-MM-dd HH:mm');
  if (moment.hasTime) return start;
  assert.ok(moment.end, 'a moment without an hour has an end');
  return `${start} → ${formatInTimeZone(moment.end, zone, 'EEE yyyy-MM-dd HH:mm')}`;
}

const parse = (text: string, zone = PARIS, now = NOW) => parseTeacherDate(text, now, zone);

describe('dates given by teachers', () => {
  describe('in Paris', () => {
    const cases: Array<[string, string]> = [
      ['Puis-je encore voter le 4 décembre à 17 h 30 ?', 'Thu 2014-12-04 17:30'],
      ['jeudi 4/12 à 17h', 'Thu 2014-12-04 17:00'],
      ['et samedi à 20 h ?', 'Sat 2014-11-22 20:00'],
      ['le 27 à 9 h', 'Thu 2014-11-27 09:00'],
      ['le 4 decembre a 17h30', 'Thu 2014-12-04 17:30'],
      ['le 4 décembre à 17 heures 30', 'Thu 2014-12-04 17:30'],
      ['le 04/12/2014 à 17:30', 'Thu 2014-12-04 17:30'],
      ['vendredi 5 décembre 2014 à 3 h', 'Fri 2014-12-05 03:00'],
      ['après-demain à 8 h du soir', 'Sat 2014-11-22 20:00'],
      ['aujourd’hui à midi', 'Thu 2014-11-20 12:00'],
      ['le 4 à minuit', 'Fri 2014-12-05 00:00'],
      ['dans 3 heures', 'Thu 2014-11-20 12:00'],
    ];
    for (const [text, expected] of cases) {
      it(`« ${text} »`, () => {
        const moment = parse(text);
        assert.equal(moment?.hasTime, true);
        assert.equal(wall(moment, PARIS), expected);
      });
    }
  });

  describe('days and parts of days without an hour', () => {
    const cases: Array<[string, string, string?]> = [
      ['demain soir', 'Fri 2014-11-21 18:00 → Sat 2014-11-22 00:00', 'evening'],
      ['le 26 au soir', 'Wed 2014-11-26 18:00 → Thu 2014-11-27 00:00', 'evening'],
      ['le 5 au matin', 'Fri 2014-12-05 06:00 → Fri 2014-12-05 12:00', 'morning'],
      ['vendredi après-midi', 'Fri 2014-11-21 12:00 → Fri 2014-11-21 18:00', 'afternoon'],
      ['jeudi après-midi', 'Thu 2014-11-20 12:00 → Thu 2014-11-20 18:00', 'afternoon'],
      ['samedi 29', 'Sat 2014-11-29 00:00 → Sun 2014-11-30 00:00'],
      ['le 1er décembre', 'Mon 2014-12-01 00:00 → Tue 2014-12-02 00:00'],
      ['jeudi prochain', 'Thu 2014-11-27 00:00 → Fri 2014-11-28 00:00'],
    ];
    for (const [text, expected, part] of cases) {
      it(`« ${text} »`, () => {
        const moment = parse(text);
        assert.equal(moment?.hasTime, false);
        assert.equal(wall(moment, PARIS), expected);
        assert.equal(moment?.part, part);
      });
    }
  });

  describe('in the teacher’s zone', () => {
    it('« samedi à 20 h » at Nouméa is Saturday 20 h there, 10 h in Paris', () => {
      const moment = parse('et samedi à 20 h ?', NOUMEA);
      assert.equal(wall(moment, NOUMEA), 'Sat 2014-11-22 20:00');
      assert.equal(wall(moment, PARIS), 'Sat 2014-11-22 10:00');
    });

    it('« samedi » is the next Saturday from the local today (Tahiti is still on Wednesday 19)', () => {
      assert.equal(formatInTimeZone(NOW, TAHITI, 'EEE dd'), 'Wed 19');
      assert.equal(wall(parse('samedi à 20 h', TAHITI), TAHITI), 'Sat 2014-11-22 20:00');
      assert.equal(wall(parse('aujourd’hui à 20 h', TAHITI), TAHITI), 'Wed 2014-11-19 20:00');
      assert.equal(wall(parse('demain soir', TAHITI), TAHITI), 'Thu 2014-11-20 18:00 → Fri 2014-11-21 00:00');
    });

    it('« le 4 décembre à 17 h 30 » at Nouméa and Tahiti', () => {
      const noumea = parse('le 4 décembre à 17 h 30', NOUMEA);
      assert.equal(noumea?.instant.toISOString(), '2014-12-04T06:30:00.000Z');
      const tahiti = parse('le 4 décembre à 17 h 30', TAHITI);
      assert.equal(tahiti?.instant.toISOString(), '2014-12-05T03:30:00.000Z');
    });

    it('« le 26 au soir » at Tahiti covers the vote opening (23 h local)', () => {
      const moment = parse('A Tahiti on peut voter dès le 26 au soir c’est ça ?', TAHITI);
      assert.equal(moment?.instant.toISOString(), '2014-11-27T04:00:00.000Z');
      assert.equal(moment?.end?.toISOString(), '2014-11-27T10:00:00.000Z');
    });

    it('does not depend on the server’s own time zone', () => {
      const saved = process.env.TZ;
      try {
        for (const tz of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
          process.env.TZ = tz;
          assert.equal(wall(parse('et samedi à 20 h ?', NOUMEA), NOUMEA), 'Sat 2014-11-22 20:00', tz);
          assert.equal(wall(parse('le 27 à 9 h'), PARIS), 'Thu 2014-11-27 09:00', tz);
        }
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  });

  describe('years', () => {
    it('a day asked after it has passed stays in the same year', () => {
      const after = new Date('2014-12-06T09:00:00+01:00');
      assert.equal(wall(parse('le 4 décembre à 17 h 30', PARIS, after), PARIS), 'Thu 2014-12-04 17:30');
    });
  });

  describe('habits are not dates (issue 11)', () => {
    for (const text of [
      'on peut voter 24h/24 ?',
      'le vote est ouvert 24 h sur 24 ?',
      'c’est ouvert 7j/7 ?',
      'je peux voter un dimanche ?',
      'le dimanche aussi ?',
      'les samedis ?',
      'le samedi matin ça marche ?',
      'on peut voter le week-end ?',
      'en semaine seulement ?',
      'je peux voter la nuit ?',
      'jour et nuit ?',
    ]) {
      it(`« ${text} » → no date`, () => assert.equal(parse(text), undefined));
    }

    it('« dimanche », « ce dimanche », « le dimanche 30 », « cette nuit », « la nuit du 3 au 4 » stay dates', () => {
      assert.equal(wall(parse('dimanche ?'), PARIS), 'Sun 2014-11-23 00:00 → Mon 2014-11-24 00:00');
      assert.equal(wall(parse('ce dimanche ?'), PARIS), 'Sun 2014-11-23 00:00 → Mon 2014-11-24 00:00');
      assert.equal(wall(parse('le dimanche 30 ?'), PARIS), 'Sun 2014-11-30 00:00 → Mon 2014-12-01 00:00');
      assert.equal(parse('cette nuit ?')?.part, 'night');
      assert.equal(parse('la nuit du 3 au 4')?.part, 'night');
    });

    it('says whether a day was named (« à 23 h ? » alone names none)', () => {
      assert.equal(parse('à 23 h ?')?.dayNamed, false);
      assert.equal(parse('demain à 23 h ?')?.dayNamed, true);
      assert.equal(parse('ce soir ?')?.dayNamed, true);
    });
  });

  describe('messages without a date', () => {
    for (const text of [
      'Est-ce qu’il est trop tard ?',
      'Jusqu’à quand peut-on voter ?',
      'Le vote a déjà commencé ?',
      'mon mot de passe a 8 caractères',
      'il me reste 3 heures ?',
      'Il me reste combien de jours pour m’inscrire ?',
      'dernier délai compte électeur 2014 ?? urgent',
      'Je me suis trompé de mot de passe trois fois',
      'maintenant',
      'je peux voter aujourd’hui ?',
      'la semaine prochaine',
      'le 45',
      '',
    ]) {
      it(`« ${text} »`, () => assert.equal(parse(text), undefined));
    }
  });
});
