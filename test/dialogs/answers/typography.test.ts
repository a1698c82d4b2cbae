import assert from 'node:assert/strict';
import path from 'node:path';
import { type AnswerContext, answer } from '../../../dialogs/answers';
import { findPlace, type Place, placeForTimeZone } from '../../../src/domain/calendar/places';
import { INTENTS, type Intent } from '../../../src/domain/understanding/intents';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const calendar = loadCalendar(path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json'));

const NOWS = [
  '2014-09-01T09:00:00+02:00',
  '2014-10-25T12:00:00+02:00',
  '2014-11-20T09:00:00+01:00',
  '2014-12-01T09:00:00+01:00',
  '2014-12-04T16:30:00+01:00',
  '2014-12-04T18:00:00+01:00',
  '2014-12-06T09:00:00+01:00',
];
const PLACES: Array<Place | undefined> = [
  undefined,
  findPlace('Paris'),
  findPlace('la Réunion'),
  findPlace('Nouméa'),
  findPlace('Tahiti'),
  findPlace('Marquises'),
  placeForTimeZone('America/New_York'),
];
const TEXTS = [
  'Quand ?',
  'Est-ce qu’il est trop tard ?',
  'Puis-je encore voter le 4 décembre à 17 h 30 ?',
  'et samedi à 20 h ?',
  'je peux créer mon compte demain soir ?',
  'le 27 à 9 h',
  'les résultats le 5 ?',
  'Le 4 décembre à 16h c’est l’heure de Paris ou l’heure locale ?',
  'Mon NUMEN c’est 01E0912345ABC',
  'Mon nom a un accent',
  'J’ai mis mon adresse gmail',
  'Mon mot de passe est refusé, pourquoi ?',
  'mon compte est bloqué',
  'je n’ai pas reçu ma notice',
  'êtes-vous un robot ?',
  'pour quel syndicat voter ?',
  'je rate le vote alors ?',
  'c’est encore possible de créer mon compte ?',
  'on peut voter un dimanche ?',
  'je rate le vote si je vote dimanche soir ?',
];

/** Every message of every answer, for every intent, moment, place and message above. */
function allMessages(): Array<{ where: string; message: string }> {
  const out: Array<{ where: string; message: string }> = [];
  for (const intent of INTENTS as readonly Intent[]) {
    for (const now of NOWS) {
      for (const place of PLACES) {
        const ctx: AnswerContext = {
          calendar,
          now: new Date(now),
          webmailUrl: 'https://webmail.ac-paris.fr',
          ...(place ? { place } : {}),
        };
        for (const text of TEXTS) {
          for (const message of answer(intent, text, ctx) ?? []) {
            out.push({ where: `${intent} @ ${now} ${place?.id ?? '-'} « ${text} »`, message });
          }
        }
      }
    }
  }
  return out;
}

const MESSAGES = allMessages();

function offences(rule: RegExp): string[] {
  return MESSAGES.filter(({ message }) => rule.test(message))
    .slice(0, 5)
    .map(({ where, message }) => `${where}: ${JSON.stringify(message)}`);
}

describe('typography and tone of every answer', () => {
  it('has answers to check', () => {
    assert.ok(MESSAGES.length > 5000, `${MESSAGES.length}`);
  });

  it('a non-breaking space before « ? », « ! », « : », « ; », never a plain one or none', () => {
    assert.deepEqual(offences(/ [?!:;]/), []);
    assert.deepEqual(offences(/[\p{L}\p{N}»)][?!;]|[\p{L}»)]:(?!\/\/)/u), []);
  });

  it('non-breaking spaces inside « guillemets »', () => {
    assert.deepEqual(offences(/«[^\u00a0\u202f]|[^\u00a0\u202f]»/), []);
  });

  it('hours as « 17 h 30 », with non-breaking spaces', () => {
    assert.deepEqual(offences(/\b\d{1,2}:\d{2}\b|\b\d{1,2}h\b|\d h\b|\bh \d/), []);
  });

  it('the typographic apostrophe, vouvoiement, no placeholder left', () => {
    assert.deepEqual(offences(/'/), []);
    assert.deepEqual(offences(/(?<![\p{L}\p{N}’'-])(tu|te|toi|ton|ta|tes)(?![\p{L}\p{N}])/iu), []);
    assert.deepEqual(offences(/\{\w+\}|undefined|NaN|Invalid/), []);
  });

  it('never repeats a NUMEN', () => {
    assert.deepEqual(offences(/01E0912345ABC|12345/), []);
  });

  it('every message is whole sentences (or a line to copy, such as the webmail address)', () => {
    assert.deepEqual(offences(/^\s|\s$|[^.?!»:;\n`/a-z]$/), []);
  });
});
