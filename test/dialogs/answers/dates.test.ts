import assert from 'node:assert/strict';
import path from 'node:path';
import { type AnswerContext, answer } from '../../../dialogs/answers';
import { findPlace, placeForTimeZone } from '../../../src/domain/calendar/places';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const NBSP = '\u00a0';
const calendar = loadCalendar(path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json'));
const h = (text: string) => text.replace(/ h/g, `${NBSP}h`);

function ctx(now: string, where?: string): AnswerContext {
  const place = where === undefined ? undefined : (findPlace(where) ?? placeForTimeZone(where));
  return {
    calendar,
    now: new Date(now),
    webmailUrl: 'https://webmail.ac-paris.fr',
    ...(place ? { place } : {}),
  };
}

const BEFORE_ALL = '2014-09-01T09:00:00+02:00';
const ACCOUNT_ONLY = '2014-11-20T09:00:00+01:00';
const BOTH_OPEN = '2014-12-01T09:00:00+01:00';
const VOTE_ONLY = '2014-12-04T16:30:00+01:00';
const ALL_CLOSED = '2014-12-04T18:00:00+01:00';
const RESULTS = '2014-12-06T09:00:00+01:00';

const say = (intent: Parameters<typeof answer>[0], text: string, c: AnswerContext) => {
  const messages = answer(intent, text, c);
  assert.ok(messages && messages.length > 0, intent);
  return messages.join('\n');
};

describe('answers about the dates', () => {
  describe('ask_vote_close', () => {
    it('in Paris time, with the time left', () => {
      const text = say('ask_vote_close', 'Jusqu’à quand peut-on voter ?', ctx(BOTH_OPEN));
      assert.ok(
        text.includes(h('Le vote se termine le jeudi 4 décembre 2014 à 17 h (heure de Paris).')),
        text,
      );
      assert.ok(text.includes(`Il vous reste 3${NBSP}jours et 8${NBSP}heures pour voter.`), text);
    });

    it('with the local date at Nouméa', () => {
      const text = say('ask_vote_close', 'Jusqu’à quand peut-on voter ?', ctx(BOTH_OPEN, 'Nouméa'));
      assert.ok(
        text.includes(
          h(
            'Le vote se termine le jeudi 4 décembre 2014 à 17 h (heure de Paris), soit le vendredi 5 décembre 2014 à 3 h à Nouméa.',
          ),
        ),
        text,
      );
    });

    it('with the local hour only when the day is the same (La Réunion, Papeete)', () => {
      const reunion = say('ask_vote_close', 'jusqu’à quand ?', ctx(BOTH_OPEN, 'la réunion'));
      assert.ok(reunion.includes(h('17 h (heure de Paris), soit 20 h à La Réunion.')), reunion);
      const papeete = say(
        'ask_vote_close',
        'jusqu’à quelle heure le dernier jour ?',
        ctx(BOTH_OPEN, 'papeete'),
      );
      assert.ok(papeete.includes(h('17 h (heure de Paris), soit 6 h à Papeete.')), papeete);
    });

    it('with « heure locale » for a zone without a name', () => {
      const text = say('ask_vote_close', 'jusqu’à quand ?', ctx(BOTH_OPEN, 'America/New_York'));
      assert.ok(text.includes(h('soit 11 h (heure locale).')), text);
    });

    it('before the vote, it also gives the opening', () => {
      const text = say('ask_vote_close', 'jusqu’à quand ?', ctx(ACCOUNT_ONLY));
      assert.ok(text.includes(h('Il ouvre le jeudi 27 novembre 2014 à 10 h (heure de Paris).')), text);
    });

    it('after the close, it says it is closed and when the results come', () => {
      const text = say('ask_vote_close', 'jusqu’à quand ?', ctx(ALL_CLOSED));
      assert.ok(
        text.includes(h('Le vote est clos depuis le jeudi 4 décembre 2014 à 17 h (heure de Paris).')),
        text,
      );
      assert.ok(text.includes('à partir du vendredi 5 décembre 2014'), text);
    });
  });

  describe('ask_vote_open', () => {
    it('before: the opening, in Paris and in Tahiti (the day before)', () => {
      const text = say('ask_vote_open', 'Le vote commence quel jour ?', ctx(ACCOUNT_ONLY, 'Tahiti'));
      assert.ok(
        text.includes(
          h(
            'Le vote ouvre le jeudi 27 novembre 2014 à 10 h (heure de Paris), soit le mercredi 26 novembre 2014 à 23 h à Tahiti.',
          ),
        ),
        text,
      );
      assert.ok(text.includes(`Le vote ouvre dans 7${NBSP}jours et 1${NBSP}heure.`), text);
    });

    it('open: since when, and the time left', () => {
      const text = say('ask_vote_open', 'Quand est-ce qu’on peut voter ?', ctx(VOTE_ONLY));
      assert.ok(text.includes('Le vote est ouvert depuis le jeudi 27 novembre 2014'), text);
      assert.ok(text.includes(`Il vous reste 30${NBSP}minutes pour voter.`), text);
    });

    it('after: closed', () => {
      assert.ok(say('ask_vote_open', 'quand ?', ctx(RESULTS)).startsWith('Le vote est clos depuis'));
    });
  });

  describe('ask_deadline_account', () => {
    it('during the window: the deadline and the time left (style guide example)', () => {
      const text = say('ask_deadline_account', 'c quand la date limite', ctx('2014-12-02T10:00:00+01:00'));
      assert.ok(
        text.startsWith(
          h(
            `Vous pouvez créer votre compte électeur jusqu’au jeudi 4 décembre 2014 à 16 h (heure de Paris). Il vous reste 2${NBSP}jours et 6${NBSP}heures pour créer votre compte électeur.`,
          ),
        ),
        text,
      );
      assert.ok(text.includes('«\u00a0créer mon compte\u00a0»'), text);
    });

    it('the issue’s example: 3 days and 6 hours', () => {
      const text = say(
        'ask_deadline_account',
        'il me reste combien de jours ?',
        ctx('2014-12-01T10:00:00+01:00'),
      );
      assert.ok(
        text.includes(`Il vous reste 3${NBSP}jours et 6${NBSP}heures pour créer votre compte électeur.`),
      );
    });

    it('« c’est l’heure de Paris ou l’heure locale ? Je suis à la Réunion » gets both', () => {
      const text = say(
        'ask_deadline_account',
        'Le 4 décembre à 16h c’est l’heure de Paris ou l’heure locale ? Je suis à la Réunion',
        ctx(ACCOUNT_ONLY, 'la réunion'),
      );
      assert.ok(
        text.includes(h('jusqu’au jeudi 4 décembre 2014 à 16 h (heure de Paris), soit 19 h à La Réunion.')),
        text,
      );
    });

    it('before the window and after it', () => {
      assert.ok(
        say('ask_deadline_account', 'quand ?', ctx(BEFORE_ALL)).startsWith(
          'Vous pourrez créer votre compte électeur du lundi 22 septembre 2014 au jeudi 4 décembre 2014',
        ),
      );
      const after = say('ask_deadline_account', 'quand ?', ctx(VOTE_ONLY));
      assert.ok(
        after.startsWith(
          h('La création des comptes électeurs est close depuis le jeudi 4 décembre 2014 à 16 h'),
        ),
      );
      // The vote is still open for half an hour: the next step says so.
      assert.ok(after.includes('vous pouvez voter'), after);
    });
  });

  describe('ask_account_open', () => {
    it('before: the opening day, without an hour (it is not published)', () => {
      const text = say('ask_account_open', 'À partir de quand ?', ctx(BEFORE_ALL, 'Guadeloupe'));
      assert.ok(text.startsWith('La création des comptes électeurs ouvre le lundi 22 septembre 2014.'), text);
      assert.ok(text.includes(h('soit 11 h en Guadeloupe')), text);
      assert.ok(text.includes('Revenez à partir du lundi 22 septembre 2014'), text);
    });

    it('open and after', () => {
      assert.ok(
        say('ask_account_open', 'quand ?', ctx(ACCOUNT_ONLY)).startsWith(
          'La création des comptes électeurs est ouverte depuis le lundi 22 septembre 2014.',
        ),
      );
      assert.ok(
        say('ask_account_open', 'quand ?', ctx(RESULTS)).startsWith(
          'La création des comptes électeurs est close',
        ),
      );
    });
  });

  describe('ask_results_date', () => {
    it('before and after the results, and who knows where to read them', () => {
      const before = say('ask_results_date', 'Quand auront lieu les résultats ?', ctx(ACCOUNT_ONLY));
      assert.ok(
        before.startsWith('Les résultats seront consultables à partir du vendredi 5 décembre 2014.'),
        before,
      );
      assert.ok(before.includes('secrétariat'), before);
      assert.ok(
        say('ask_results_date', 'quand ?', ctx(RESULTS)).startsWith('Les résultats sont consultables depuis'),
      );
    });
  });

  describe('ask_now_status (« Est-ce trop tard ? »)', () => {
    const status = (now: string, where?: string) =>
      say('ask_now_status', 'Est-ce qu’il est trop tard ?', ctx(now, where));

    it('before everything', () => {
      const text = status(BEFORE_ALL);
      assert.ok(text.includes('Compte électeur\u00a0: la création n’est pas encore ouverte.'), text);
      assert.ok(text.includes('Vote\u00a0: il n’est pas encore ouvert.'), text);
    });

    it('account window open, vote not yet', () => {
      const text = status(ACCOUNT_ONLY);
      assert.ok(text.includes(`Il vous reste 14${NBSP}jours et 7${NBSP}heures.`), text);
      assert.ok(text.includes(`dans 7${NBSP}jours et 1${NBSP}heure.`), text);
      assert.ok(text.includes('créer mon compte'), text);
    });

    it('between the two closes (4 Dec, 16 h 30): too late for the account, still time to vote', () => {
      const text = status(VOTE_ONLY, 'wallis');
      assert.ok(text.includes('Compte électeur\u00a0: il est trop tard pour en créer un.'), text);
      assert.ok(text.includes(h('soit le vendredi 5 décembre 2014 à 3 h à Wallis.')), text);
      assert.ok(text.includes(`Il vous reste 30${NBSP}minutes pour voter.`), text);
    });

    it('after both', () => {
      const text = status(ALL_CLOSED);
      assert.ok(text.includes('il est trop tard pour en créer un'), text);
      assert.ok(text.includes('il est trop tard, le vote est clos'), text);
    });
  });
});
