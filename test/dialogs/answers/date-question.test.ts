import assert from 'node:assert/strict';
import path from 'node:path';
import { type AnswerContext, answer } from '../../../dialogs/answers';
import { askedTopic } from '../../../dialogs/answers/date-question';
import { findPlace, placeForTimeZone } from '../../../src/domain/calendar/places';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const NBSP = '\u00a0';
const calendar = loadCalendar(path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json'));
const h = (text: string) => text.replace(/ h/g, `${NBSP}h`).replace(/ : /g, `${NBSP}: `);
const NOW = '2014-11-20T09:00:00+01:00';

function ctx(now = NOW, where?: string): AnswerContext {
  const place = where === undefined ? undefined : (findPlace(where) ?? placeForTimeZone(where));
  return {
    calendar,
    now: new Date(now),
    webmailUrl: 'https://webmail.ac-paris.fr',
    ...(place ? { place } : {}),
  };
}

function first(intent: Parameters<typeof answer>[0], text: string, c = ctx()): string {
  const messages = answer(intent, text, c);
  assert.ok(messages && messages.length >= 2, 'a verdict and a next step');
  return messages[0] ?? '';
}

describe('yes / no questions about a date', () => {
  it('« Puis-je encore voter le 4 décembre à 17 h 30 ? » → non, with the close', () => {
    const text = first('ask_vote_close', 'Puis-je encore voter le 4 décembre à 17 h 30 ?');
    assert.ok(
      text.startsWith(h('Non : le vote se termine le jeudi 4 décembre 2014 à 17 h (heure de Paris).')),
      text,
    );
  });

  it('« … à 16 h 59 » → oui; « … à 17 h » → non (the close is exclusive)', () => {
    assert.ok(first('ask_vote_close', 'je peux voter le 4 décembre à 16 h 59 ?').startsWith('Oui'));
    assert.ok(first('ask_vote_close', 'je peux voter le 4 décembre à 17 h ?').startsWith('Non'));
  });

  it('« le 27 à 9 h » → non: the vote opens at 10 h; « à 10 h » → oui', () => {
    const text = first('ask_vote_open', 'je pourrai voter le 27 à 9 h ?');
    assert.ok(
      text.startsWith(h('Non : le vote ouvre le jeudi 27 novembre 2014 à 10 h (heure de Paris).')),
      text,
    );
    assert.ok(first('ask_vote_open', 'je pourrai voter le 27 à 10 h ?').startsWith('Oui'));
  });

  it('« et samedi à 20 h ? » at Nouméa: read in local time, answered in Paris and local time', () => {
    const text = first('ask_now_status', 'et samedi à 20 h ?', ctx('2014-11-28T09:00:00+01:00', 'Nouméa'));
    assert.ok(
      text.startsWith(
        h(
          'Oui : le samedi 29 novembre 2014 à 10 h (heure de Paris), soit 20 h à Nouméa, le vote est ouvert.',
        ),
      ),
      text,
    );
    assert.ok(text.includes(h('soit le vendredi 5 décembre 2014 à 3 h à Nouméa.')), text);
  });

  it('« et samedi à 20 h ? » in Paris after the vote → non', () => {
    const text = first('ask_now_status', 'et samedi à 20 h ?', ctx('2014-12-04T12:00:00+01:00'));
    assert.ok(text.startsWith('Non'), text);
    assert.ok(text.includes(h('Le samedi 6 décembre 2014 à 20 h (heure de Paris), il est déjà clos.')), text);
  });

  it('Tahiti, « dès le 26 au soir c’est ça ? » → oui, from 23 h local', () => {
    const text = first(
      'ask_vote_open',
      'A Tahiti on peut voter dès le 26 au soir c’est ça ?',
      ctx(NOW, 'Tahiti'),
    );
    assert.ok(
      text.startsWith(
        h(
          'Oui, à partir de 23 h à Tahiti : le vote ouvre le jeudi 27 novembre 2014 à 10 h (heure de Paris), soit le mercredi 26 novembre 2014 à 23 h à Tahiti.',
        ),
      ),
      text,
    );
  });

  it('« demain soir » on 3 Dec → non, the vote closes at 17 h', () => {
    const text = first('ask_now_status', 'je peux voter demain soir ?', ctx('2014-12-03T09:00:00+01:00'));
    assert.ok(text.startsWith('Non'), text);
    assert.ok(text.includes('Le jeudi 4 décembre 2014 au soir, il est déjà clos.'), text);
  });

  it('a whole day cut by a close → « oui, mais seulement jusqu’à … »', () => {
    const text = first('ask_now_status', 'je peux encore créer mon compte le 4 décembre ?');
    assert.ok(text.startsWith(h('Oui, mais seulement jusqu’à 16 h (heure de Paris) : la création')), text);
    const noumea = first('ask_vote_close', 'puis-je voter le 4 décembre ?', ctx(NOW, 'Nouméa'));
    // At Nouméa, the whole local 4 December is before 17 h in Paris.
    assert.ok(noumea.startsWith(h('Oui : le jeudi 4 décembre 2014 à Nouméa, le vote est ouvert.')), noumea);
  });

  it('about the account when the message is about creating it', () => {
    const text = first('ask_now_status', 'je peux encore m’inscrire le 4 décembre à 16 h 30 ?');
    assert.ok(
      text.startsWith(
        h('Non : la création des comptes électeurs se termine le jeudi 4 décembre 2014 à 16 h'),
      ),
    );
  });

  it('about the results when the message names them', () => {
    assert.ok(first('ask_results_date', 'les résultats seront là le 5 décembre ?').startsWith('Oui'));
    assert.ok(first('ask_results_date', 'les résultats seront là le 4 décembre à 20 h ?').startsWith('Non'));
  });

  it('a question asking for a date gets the date, not a yes or a no', () => {
    for (const text of ['ça ouvre à quelle heure le 27 ?', 'Le 4 décembre à 16h c’est l’heure de Paris ?']) {
      const reply = first('ask_vote_open', text);
      assert.ok(!/^(Oui|Non)/.test(reply), reply);
    }
  });

  it('the topic: vote by default, the account when creating it, the results when named', () => {
    assert.equal(askedTopic('ask_now_status', 'et samedi à 20 h ?'), 'vote');
    assert.equal(askedTopic('ask_now_status', 'je peux encore créer mon compte samedi ?'), 'accountCreation');
    assert.equal(askedTopic('ask_vote_close', 'puis-je m’inscrire pour voter le 4 ?'), 'accountCreation');
    assert.equal(askedTopic('ask_deadline_account', 'et samedi ?'), 'accountCreation');
    assert.equal(askedTopic('ask_deadline_account', 'et je peux voter samedi ?'), 'vote');
    assert.equal(askedTopic('ask_now_status', 'les résultats samedi ?'), 'results');
    assert.equal(askedTopic('ask_results_date', 'et samedi ?'), 'results');
  });
});
