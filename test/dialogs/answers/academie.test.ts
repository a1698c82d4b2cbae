import assert from 'node:assert/strict';
import path from 'node:path';
import { type AnswerContext, answer } from '../../../dialogs/answers';
import { academiesFor } from '../../../src/domain/academies/directory';
import { academieNamed, namesOf } from '../../../src/domain/academies/names';
import type { AcademieProfile } from '../../../src/domain/academies/profiles';
import { placeForTimeZone } from '../../../src/domain/calendar/places';
import type { Intent } from '../../../src/domain/understanding/intents';
import { loadAcademies } from '../../../src/infra/academies-file';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const ROOT = path.join(__dirname, '..', '..', '..');
const calendar = loadCalendar(path.join(ROOT, 'calendars', 'elections-2014.json'));
const SHIPPED = academiesFor(loadAcademies(path.join(ROOT, 'academies', 'academies.json')), calendar.vote);
/** The test profiles: La Réunion has a helpdesk and a login rule there (fictitious). */
const WITH_CONTACTS = academiesFor(
  loadAcademies(path.join(ROOT, 'test', 'fixtures', 'academies', 'with-contacts.json')),
  calendar.vote,
);
const now = new Date('2014-11-20T09:00:00+01:00');

function academie(id: string, from = SHIPPED): AcademieProfile {
  const found = from.byId(id);
  assert.ok(found, id);
  return found;
}

/** What a conversation of that académie gets: its place (zone), its profile, the list for names. */
function ctxOf(id: string | undefined, from = SHIPPED, extra: Partial<AnswerContext> = {}): AnswerContext {
  const profile = id ? academie(id, from) : undefined;
  const place = placeForTimeZone(profile?.timeZone);
  return {
    calendar,
    now,
    academies: from.all,
    ...(profile ? { academie: profile } : {}),
    ...(place ? { place } : {}),
    ...extra,
  };
}

function say(intent: Intent, text: string, ctx: AnswerContext): string {
  const messages = answer(intent, text, ctx);
  assert.ok(messages?.length, `${intent}: ${text}`);
  return messages.join('\n');
}

describe('answers that follow the teacher’s académie (issue 14)', () => {
  describe('webmail', () => {
    it('Paris: its known webmail, said as such', () => {
      const text = say('webmail_help', 'c’est quoi le lien du webmail ?', ctxOf('paris'));
      assert.match(text, /https:\/\/webmail\.ac-paris\.fr \(Académie de Paris\)/);
      assert.doesNotMatch(text, /probablement|à vérifier/);
      assert.match(text, /prenom\.nom@ac-paris\.fr/);
    });

    it('La Réunion: the usual pattern, said to be checked', () => {
      const text = say('webmail_help', 'c’est quoi le lien du webmail ?', ctxOf('reunion'));
      assert.match(
        text,
        /probablement https:\/\/webmail\.ac-reunion\.fr \(Académie de La Réunion\), à vérifier auprès de votre établissement/,
      );
      assert.match(text, /prenom\.nom@ac-reunion\.fr/, 'the address example is the académie’s');
      assert.doesNotMatch(text, /ac-paris/);
    });

    it('no académie known: where to find it, and an offer to tell it', () => {
      const text = say('webmail_help', 'c’est quoi le lien du webmail ?', ctxOf(undefined));
      assert.match(text, /l’adresse que vous donne votre établissement/);
      assert.match(text, /Dites-moi votre académie/);
    });

    it('an académie named in the message wins over the conversation’s', () => {
      const text = say('webmail_help', 'le lien de la messagerie de l’académie de Lyon svp', ctxOf('paris'));
      assert.match(text, /webmail\.ac-lyon\.fr \(Académie de Lyon\)/);
      const other = say('webmail_help', 'Je suis prof à Créteil, ça marche pareil ?', ctxOf('paris'));
      assert.match(
        other,
        /Webmail \(Académie de Créteil\)\u00a0: probablement https:\/\/webmail\.ac-creteil\.fr/,
      );
      assert.match(other, /même façon dans les autres académies/);
    });

    it('WEBMAIL_URL (one académie per deployment) wins over the académie’s', () => {
      const ctx = ctxOf('reunion', SHIPPED, { webmailUrl: 'https://webmail.example-academie.fr' });
      const text = say('webmail_help', 'c’est quoi le lien du webmail ?', ctx);
      assert.match(text, /https:\/\/webmail\.example-academie\.fr/);
      assert.doesNotMatch(text, /webmail\.ac-reunion|probablement/);
      assert.doesNotMatch(say('webmail_help', 'le lien du webmail de Lyon ?', ctx), /ac-lyon\.fr/);
    });

    it('the login: the académie’s published rule when it has one, else the general advice', () => {
      const creteil = say('webmail_help', 'mon identifiant de messagerie c’est quoi ?', ctxOf('creteil'));
      assert.match(
        creteil,
        /Dans votre académie \(Académie de Créteil\), l’identifiant de messagerie est la première lettre/,
      );
      const lyon = say('webmail_help', 'mon identifiant de messagerie c’est quoi ?', ctxOf('lyon'));
      assert.match(lyon, /est en général la première lettre/);
    });
  });

  describe('contact', () => {
    it('the académie’s helpdesk, as its profile gives it, and never a NUMEN or password to give', () => {
      const text = say(
        'ask_contact',
        'quel est le numéro de l’assistance ?',
        ctxOf('reunion', WITH_CONTACTS),
      );
      assert.match(text, /Assistance de votre académie \(Académie de La Réunion\)/);
      assert.match(text, /https:\/\/assistance\.ac-reunion\.example\/elections/);
      assert.match(text, /0262 00 00 00/);
      assert.match(text, /du lundi au vendredi/);
      assert.match(text, /sans jamais donner votre NUMEN ni votre mot de passe/);
    });

    it('no helpdesk in the profile: the secretariat, nothing made up', () => {
      const text = say(
        'ask_contact',
        'quel est le numéro de l’assistance ?',
        ctxOf('guadeloupe', WITH_CONTACTS),
      );
      assert.match(text, /Je n’ai pas les coordonnées de l’assistance \(Académie de la Guadeloupe\)/);
      assert.match(text, /secrétariat de votre établissement/);
      assert.doesNotMatch(text, /\d{4} \d{2}/);
      const unknown = say('ask_contact', 'qui contacter ?', ctxOf(undefined, WITH_CONTACTS));
      assert.match(unknown, /l’assistance de votre académie\u00a0: le secrétariat/);
    });

    it('« mail pas reçu » ends with the helpdesk when the profile has one', () => {
      const reunion = answer(
        'mail_not_received',
        'je n’ai pas reçu le mail',
        ctxOf('reunion', WITH_CONTACTS),
      );
      assert.match(reunion?.at(-1) ?? '', /Assistance de votre académie \(Académie de La Réunion\)/);
      const paris = answer('mail_not_received', 'je n’ai pas reçu le mail', ctxOf('paris', WITH_CONTACTS));
      assert.doesNotMatch(paris?.join('\n') ?? '', /Assistance de votre académie/);
    });
  });

  describe('local time', () => {
    it('La Réunion: 3 h more, and the key moments in both times', () => {
      const text = say('ask_local_time', 'les heures sont en heure de Paris ?', ctxOf('reunion'));
      assert.match(text, /il est 3\u00a0h de plus à La Réunion/);
      assert.match(text, /jeudi 4 décembre 2014 à 17\u00a0h \(heure de Paris\), soit 20\u00a0h à La Réunion/);
      assert.match(text, /jeudi 4 décembre 2014 à 16\u00a0h \(heure de Paris\), soit 19\u00a0h à La Réunion/);
    });

    it('Nouméa: the next day; Guadeloupe: 5 h less', () => {
      const noumea = say('ask_local_time', 'quel décalage ?', ctxOf('nouvelle-caledonie'));
      assert.match(noumea, /10\u00a0h de plus en Nouvelle-Calédonie/);
      assert.match(noumea, /soit le vendredi 5 décembre 2014 à 3\u00a0h en Nouvelle-Calédonie/);
      const guadeloupe = say('ask_local_time', 'quel décalage ?', ctxOf('guadeloupe'));
      assert.match(guadeloupe, /5\u00a0h de moins en Guadeloupe/);
    });

    it('a Paris académie: the times apply as they are; nothing known: how to get the local time', () => {
      assert.match(
        say('ask_local_time', 'quel décalage ?', ctxOf('lyon')),
        /Académie de Lyon\) est à l’heure de Paris/,
      );
      assert.match(say('ask_local_time', 'quel décalage ?', ctxOf(undefined)), /dites-moi où/);
    });
  });

  describe('names in a message', () => {
    const all = SHIPPED.all;
    it('finds an académie by its name, an alias or its ac- domain, the longest first', () => {
      assert.equal(academieNamed('le webmail de l’académie de Lyon ?', all)?.id, 'lyon');
      assert.equal(academieNamed('mes mails ac-noumea svp', all)?.id, 'nouvelle-caledonie');
      assert.equal(academieNamed('je suis à Papeete', all)?.id, 'polynesie');
      assert.equal(academieNamed('en poste à l’île de la Réunion', all)?.id, 'reunion');
      assert.equal(academieNamed('Aix-Marseille', all)?.id, 'aix-marseille');
      assert.equal(academieNamed('ac-clermont.fr', all)?.id, 'clermont-ferrand');
    });

    it('does not take « réunion » (a meeting) nor an académie out of force for one', () => {
      assert.equal(academieNamed('j’ai une réunion demain', all), undefined);
      assert.equal(academieNamed('le webmail de Normandie', all), undefined, 'no Normandie in 2014');
      assert.deepEqual(namesOf({ name: 'Académie de La Réunion' }), ['la reunion']);
      assert.deepEqual(namesOf({ name: 'Vice-rectorat de la Polynésie française', names: ['tahiti'] }), [
        'la polynesie francaise',
        'tahiti',
      ]);
    });
  });
});
