import assert from 'node:assert/strict';
import path from 'node:path';
import { type AnswerContext, answer, type HintLedger } from '../../../dialogs/answers';
import { parseCalendar } from '../../../src/domain/calendar/calendar';
import { findPlace } from '../../../src/domain/calendar/places';
import type { Intent } from '../../../src/domain/understanding/intents';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const NBSP = '\u00a0';
const calendarFile = path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json');
const calendar = loadCalendar(calendarFile);
const ctxAt = (now: string, extra: Partial<AnswerContext> = {}): AnswerContext => ({
  calendar,
  now: new Date(now),
  webmailUrl: 'https://webmail.ac-paris.fr',
  ...extra,
});
const say = (intent: Intent, text: string, ctx: AnswerContext) => {
  const messages = answer(intent, text, ctx);
  assert.ok(messages && messages.length > 0, `${intent}: ${text}`);
  return messages.join('\n');
};
const fr = (text: string) => text.replace(/(\d) (h|jours?|heures?|minutes?)\b/g, `$1${NBSP}$2`);

const BEFORE_VOTE = '2014-11-20T09:00:00+01:00';
const LAST_DAY_1635 = '2014-12-04T16:35:00+01:00';
const LAST_DAY_1710 = '2014-12-04T17:10:00+01:00';

describe('answers: everyday questions about voting (issue 11)', () => {
  describe('vote_compulsory', () => {
    it('no, it is a right; then the real window', () => {
      const text = say('vote_compulsory', 'je suis obligée de voter ?', ctxAt(BEFORE_VOTE));
      assert.ok(text.startsWith(`Non${NBSP}: voter n’est pas obligatoire, c’est un droit.`), text);
      assert.ok(text.includes(fr('du jeudi 27 novembre 2014 à 10 h (heure de Paris)')), text);
      assert.ok(text.includes(fr('au jeudi 4 décembre 2014 à 17 h (heure de Paris)')), text);
    });
  });

  describe('vote_hours: any hour, every day of the window, with its real dates', () => {
    for (const [text, lead] of [
      ['On peut voter 24h/24 ?', 'Oui, 24 h sur 24'],
      ['je peux voter un dimanche ?', 'Oui, le dimanche aussi'],
      ['le vote est ouvert le week-end ?', 'Oui, le week-end aussi'],
      ['on peut voter la nuit ?', 'Oui, la nuit aussi'],
      ['je peux voter en semaine seulement ?', 'Oui, en semaine comme le week-end'],
      ['on peut voter à 23 h ?', 'Oui'],
      ['et le samedi ?', 'Oui, le samedi aussi'],
      ['le site est fermé le dimanche ?', 'Non, il ne ferme pas le dimanche'],
      ['ça ferme la nuit ?', 'Non, il ne ferme pas la nuit'],
      ['le portail est coupé le week-end ?', 'Non, il ne ferme pas le week-end'],
    ] as const) {
      it(`« ${text} » is a habit, not a date: « ${lead} »`, () => {
        const answer = say('vote_hours', text, ctxAt(BEFORE_VOTE));
        assert.ok(
          answer.startsWith(`${lead}${NBSP}: le vote par internet sera ouvert sans interruption`),
          answer,
        );
        assert.ok(answer.includes('de jour comme de nuit, en semaine comme le week-end'), answer);
        assert.ok(answer.includes(fr('du jeudi 27 novembre 2014 à 10 h (heure de Paris)')), answer);
        assert.ok(!answer.includes('dimanche 23'), answer);
      });
    }

    it('« dimanche 30 novembre » is a date: yes for that day', () => {
      const text = say('vote_hours', 'je pourrai voter dimanche 30 novembre ?', ctxAt(BEFORE_VOTE));
      assert.ok(text.startsWith(`Oui${NBSP}: le dimanche 30 novembre 2014, le vote est ouvert.`), text);
    });

    it('during the vote: what is left; after: closed', () => {
      const open = say('vote_hours', 'on peut voter la nuit ?', ctxAt(LAST_DAY_1635));
      assert.ok(open.includes(fr('Il vous reste 25 minutes.')), open);
      const after = say('vote_hours', 'on peut voter la nuit ?', ctxAt(LAST_DAY_1710));
      assert.ok(after.includes('Il est maintenant clos.'), after);
    });
  });

  describe('vote_abroad', () => {
    it('yes, any connected device, in France or abroad; hours in Paris time and in local time', () => {
      const text = say(
        'vote_abroad',
        'je peux voter depuis l’étranger ?',
        ctxAt(BEFORE_VOTE, { place: findPlace('je suis à Nouméa') }),
      );
      assert.ok(text.startsWith(`Oui${NBSP}: le vote se fait par internet`), text);
      assert.ok(text.includes('en France comme à l’étranger'), text);
      assert.ok(text.includes(fr('soit le vendredi 5 décembre 2014 à 3 h à Nouméa')), text);
    });
  });

  describe('voting_site', () => {
    it('the portal of the election file, with what to log in with', () => {
      const text = say('voting_site', 'c’est où le site pour voter ?', ctxAt(BEFORE_VOTE));
      assert.ok(
        text.startsWith(
          `Le vote se fait sur le portail des élections${NBSP}: https://vote2014.education.gouv.fr/`,
        ),
      );
      assert.ok(text.includes('identifiant de vote inscrit sur votre notice de vote'), text);
    });

    it('a file without votingSite sends the teacher to the académie’s portal', () => {
      const { votingSite: _site, ...raw } = JSON.parse(require('node:fs').readFileSync(calendarFile, 'utf8'));
      const without = parseCalendar(raw);
      assert.equal(without.votingSite, undefined);
      const text = say('voting_site', 'où voter ?', { ...ctxAt(BEFORE_VOTE), calendar: without });
      assert.ok(
        text.startsWith('Le vote se fait sur le portail des élections indiqué par votre académie.'),
        text,
      );
    });
  });

  describe('yes/no about now: the polarity of the question', () => {
    it('« je rate le vote alors ? » at 16 h 35 on the last day → non, open until 17 h', () => {
      const text = say('ask_now_status', 'je rate le vote alors ?', ctxAt(LAST_DAY_1635));
      assert.ok(
        text.startsWith(
          fr(`Non${NBSP}: le vote est ouvert jusqu’au jeudi 4 décembre 2014 à 17 h (heure de Paris).`),
        ),
        text,
      );
      assert.ok(text.includes(fr('Il vous reste 25 minutes pour voter.')), text);
    });

    it('the same at 17 h 10 → oui, the vote is closed', () => {
      const text = say('ask_now_status', 'je rate le vote alors ?', ctxAt(LAST_DAY_1710));
      assert.ok(text.startsWith(`Oui${NBSP}: le vote est clos depuis`), text);
    });

    it('« il est encore temps de voter ? » → oui at 16 h 35, non at 17 h 10', () => {
      assert.ok(
        say('ask_now_status', 'il est encore temps de voter ?', ctxAt(LAST_DAY_1635)).startsWith('Oui'),
      );
      assert.ok(
        say('ask_now_status', 'il est encore temps de voter ?', ctxAt(LAST_DAY_1710)).startsWith('Non'),
      );
    });

    it('account creation closes at 16 h: too late for it, but the vote stays open', () => {
      const text = say('ask_now_status', 'c’est trop tard pour créer mon compte ?', ctxAt(LAST_DAY_1635));
      assert.ok(text.startsWith(`Oui${NBSP}: la création des comptes électeurs est close depuis`), text);
      assert.ok(text.includes('Le vote, lui, reste ouvert jusqu’au'), text);
    });

    it('« je rate le vote si je vote demain ? » on 3 Dec → non (the dated question keeps its polarity)', () => {
      const text = say(
        'ask_now_status',
        'je rate le vote si je vote demain matin ?',
        ctxAt('2014-12-03T20:00:00+01:00'),
      );
      assert.ok(
        text.startsWith(`Non${NBSP}: le jeudi 4 décembre 2014 au matin, le vote est encore ouvert.`),
        text,
      );
    });
  });

  describe('lost notice, forgotten voter password, eligibility: hedged where the sources are', () => {
    it('lost notice: secretariat or académie; the réassort as what happened in 2018 and 2022', () => {
      const text = say('ask_vote_credentials', 'j’ai perdu ma notice de vote', ctxAt(BEFORE_VOTE));
      assert.ok(
        text.startsWith('Si vous n’avez pas reçu votre notice de vote ou si vous l’avez perdue'),
        text,
      );
      assert.ok(text.includes('académie'), text);
      assert.ok(text.includes('2018 et de 2022'), text);
    });

    it('forgotten voter password: the link « if offered », not a promise', () => {
      const text = say('forgot_password', 'j’ai oublié mon mot de passe électeur', ctxAt(BEFORE_VOTE));
      assert.ok(text.startsWith('Si la page de connexion de votre espace électeur propose un lien'), text);
    });

    it('who may vote: usually yes, with conditions for contractuels, never an absolute', () => {
      const text = say('ask_eligibility', 'qui peut voter ?', ctxAt(BEFORE_VOTE));
      assert.ok(text.startsWith(`En règle générale, oui${NBSP}:`), text);
      assert.ok(text.includes('conditions'), text);
      assert.ok(text.includes('Mes scrutins'), text);
      assert.ok(!text.startsWith('Tous les personnels'), text);
    });
  });

  describe('the next-step hint, once per conversation', () => {
    const ledger = (): HintLedger & { keys: Set<string> } => {
      const keys = new Set<string>();
      return { keys, has: (k) => keys.has(k), add: (k) => void keys.add(k) };
    };
    const HINT = 'écrivez «\u00a0créer mon compte\u00a0»';

    it('« écrivez « créer mon compte » » after the first date answer only', () => {
      const hints = ledger();
      const ctx = ctxAt(BEFORE_VOTE, { hints });
      assert.ok(say('ask_vote_open', 'le vote commence quand ?', ctx).includes(HINT));
      assert.ok(!say('ask_vote_close', 'et il finit quand ?', ctx).includes(HINT));
      assert.ok(!say('ask_deadline_account', 'date limite pour le compte ?', ctx).includes(HINT));
      assert.deepEqual([...hints.keys], ['answers.next.accountOpen']);
    });

    it('without a ledger (one-off answers), every date answer carries it', () => {
      const ctx = ctxAt(BEFORE_VOTE);
      assert.ok(say('ask_vote_open', 'le vote commence quand ?', ctx).includes(HINT));
      assert.ok(say('ask_vote_close', 'et il finit quand ?', ctx).includes(HINT));
    });
  });
});
