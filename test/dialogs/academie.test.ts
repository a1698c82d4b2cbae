import assert from 'node:assert/strict';
import path from 'node:path';
import { academiesFor } from '../../src/domain/academies/directory';
import { loadAcademies } from '../../src/infra/academies-file';
import { CALENDAR, createDialogHarness, type DialogHarness, textOf } from '../support/dialog-harness';

/** The test profiles: La Réunion has a (fictitious) helpdesk, Guadeloupe none. */
const WITH_CONTACTS = academiesFor(
  loadAcademies(path.join(__dirname, '..', 'fixtures', 'academies', 'with-contacts.json')),
  CALENDAR.vote,
);

/** What the Web Chat page opened with `/?academie=<id>` puts in every activity it sends. */
const fromPage = (academie: string) => ({ channelData: { academie } });

/** The conversation's memory as stored (one JSON object per conversation). */
function memoryOf(h: DialogHarness): Record<string, unknown> {
  const [item] = Object.values(h.memory).map(
    (raw) => JSON.parse(raw) as { memory?: Record<string, unknown> },
  );
  return item?.memory ?? {};
}

describe('the teacher’s académie in the dialogs (issue 14)', () => {
  it('a page opened for Guadeloupe: Guadeloupe time, its webmail and its address form, before any address', async () => {
    const h = createDialogHarness();
    const dates = textOf(await h.say('le vote se termine quand ?', fromPage('guadeloupe')));
    assert.match(dates, /17\u00a0h \(heure de Paris\), soit 12\u00a0h en Guadeloupe/);
    await h.say('Créer mon compte électeur', fromPage('guadeloupe'));
    const webmail = textOf(await h.say('non', fromPage('guadeloupe')));
    assert.match(
      webmail,
      /probablement https:\/\/webmail\.ac-guadeloupe\.fr \(Académie de la Guadeloupe\), à vérifier/,
    );
    assert.deepEqual(
      { academie: memoryOf(h).academie, academieFrom: memoryOf(h).academieFrom },
      { academie: 'guadeloupe', academieFrom: 'page' },
    );
  });

  it('the address prompt shows the académie’s own domain once it is known', async () => {
    const h = createDialogHarness();
    await h.say('Créer mon compte électeur', fromPage('reunion'));
    assert.match(textOf(await h.say('oui', fromPage('reunion'))), /`prenom\.nom@ac-reunion\.fr`/);
  });

  it('ignores an académie the profiles do not know, or one out of force (Normandie in 2014)', async () => {
    for (const unknown of ['atlantide', 'normandie', '__proto__', 'x'.repeat(500)]) {
      const h = createDialogHarness();
      const dates = textOf(await h.say('le vote se termine quand ?', fromPage(unknown)));
      assert.doesNotMatch(dates, /soit/, unknown);
      assert.equal(memoryOf(h).academie, undefined, unknown);
    }
  });

  it('the address the teacher confirms wins over the page: La Réunion after a Guadeloupe page', async () => {
    const h = createDialogHarness();
    await h.say('Créer mon compte électeur', fromPage('guadeloupe'));
    await h.say('oui', fromPage('guadeloupe'));
    await h.say('marie.payet@ac-reunion.fr', fromPage('guadeloupe'));
    await h.say('oui', fromPage('guadeloupe'));
    assert.equal(memoryOf(h).academie, 'reunion');
    assert.equal(memoryOf(h).academieFrom, 'address');
    const dates = textOf(await h.say('le vote se termine quand ?', fromPage('guadeloupe')));
    assert.match(dates, /soit 20\u00a0h à La Réunion/);
    assert.doesNotMatch(dates, /Guadeloupe/);
  });

  it('a place named in the conversation wins over the académie', async () => {
    const h = createDialogHarness();
    const dates = textOf(await h.say('je suis à Tahiti, le vote ferme quand ?', fromPage('reunion')));
    assert.match(dates, /soit 6\u00a0h à Tahiti/);
    assert.doesNotMatch(dates, /La Réunion/);
  });

  it('« aide » and a mail still missing give the académie’s helpdesk when its profile has one', async () => {
    const h = createDialogHarness({ academies: WITH_CONTACTS });
    const help = textOf(await h.say('aide', fromPage('reunion')));
    assert.match(help, /Je peux vous aider/);
    assert.match(help, /Assistance de votre académie \(Académie de La Réunion\)[\s\S]*0262 00 00 00/);
    assert.match(
      textOf(await h.say('je n’ai pas reçu le mail de confirmation', fromPage('reunion'))),
      /0262 00 00 00/,
    );
    await h.say('toujours rien', fromPage('reunion'));
    const last = textOf(await h.say('toujours rien, ça ne marche pas', fromPage('reunion')));
    assert.match(last, /https:\/\/assistance\.ac-reunion\.example\/elections/);

    const none = createDialogHarness({ academies: WITH_CONTACTS });
    const noContact = textOf(await none.say('aide', fromPage('guadeloupe')));
    assert.doesNotMatch(noContact, /Assistance de votre académie/);
  });

  it('« Dates importantes »: Paris time, then the académie’s', async () => {
    const h = createDialogHarness();
    const dates = textOf(await h.say('Dates importantes', fromPage('nouvelle-caledonie')));
    assert.match(dates, /Voici les dates importantes \(heure de Paris\)/);
    assert.match(dates, /Soit, en Nouvelle-Calédonie \(heure locale\)/);
    assert.match(dates, /jusqu’au vendredi 5 décembre 2014 à 2\u00a0h/);
  });
});
