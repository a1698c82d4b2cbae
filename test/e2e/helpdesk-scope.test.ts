import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot } from '../support/bot-harness';
import { axeScan, frenchContext, launchChromium, screenshot } from '../support/browser';
import { walkToPassword } from '../support/walk';

const PASSWORD = 'Console-Perimetre-2014';
const PARIS = 'ada.lovelace@ac-paris.fr';
const CRETEIL = 'alan.turing@ac-creteil.fr';

/**
 * A Paris agent's console in Chromium: the day's search lists Paris's conversations only, though the
 * day also has a Créteil teacher's and one of no known académie; an agent of every académie lists all.
 */
describe('helpdesk console of an agent scoped to one académie, in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bot: BotHarness;
  const ids = { paris: '', creteil: '', unknown: '' };

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `paris:${phc}:ac-paris.fr national:${phc}` });
    for (const [key, email] of [
      ['paris', PARIS],
      ['creteil', CRETEIL],
    ] as const) {
      const chat = bot.conversation('webchat');
      ids[key] = chat.id;
      await walkToPassword(chat, email);
    }
    const unknown = bot.conversation('webchat');
    ids.unknown = unknown.id;
    await unknown.say('bonjour');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  /** The day's search typed in the form as an agent does, and the rows it lists (their conversation links). */
  const searchDay = async (login: string) => {
    const { context, problems } = await frenchContext(browser, {
      httpCredentials: { username: login, password: PASSWORD },
    });
    try {
      const page = await context.newPage();
      await page.goto(`${bot.url}/helpdesk`);
      await page.getByLabel('Jour de la conversation').fill('20/11/2014');
      await Promise.all([
        page.waitForNavigation(),
        page.getByLabel('Jour de la conversation').press('Enter'),
      ]);
      await screenshot(page, `console-perimetre-${login}`);
      const links = await page
        .getByRole('link', { name: /Lire la conversation/ })
        .evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute('href') ?? '')));
      const text = (await page.locator('main').textContent()) ?? '';
      const scan = await axeScan(page, `console-perimetre-${login}`);
      assert.deepEqual(scan.blocking, [], scan.all.join('\n'));
      assert.deepEqual(problems.errors, []);
      return { links, text };
    } finally {
      await context.close();
    }
  };

  it('lists only Paris’s conversation for a Paris agent', async () => {
    const { links, text } = await searchDay('paris');
    assert.deepEqual(links, [`/helpdesk/transcripts/webchat/${ids.paris}`]);
    assert.match(text, /1 conversation\(s\) trouvée\(s\)/);
    assert.match(
      text,
      /Votre périmètre\u00a0: ac-paris\.fr\. La recherche ne montre que les conversations de ces académies\./,
    );
    assert.ok(text.includes(PARIS));
    assert.ok(!text.includes(CRETEIL), 'no Créteil address on the page');
  });

  it('lists every conversation of the day for an agent of every académie', async () => {
    const { links, text } = await searchDay('national');
    assert.deepEqual(
      links.sort(),
      [ids.paris, ids.creteil, ids.unknown].map((id) => `/helpdesk/transcripts/webchat/${id}`).sort(),
    );
    assert.ok(text.includes(CRETEIL));
    assert.doesNotMatch(text, /Votre périmètre/);
  });

  it('offers the académie filter on the statistics, accessibly, and applies it', async () => {
    const { context, problems } = await frenchContext(browser, {
      httpCredentials: { username: 'national', password: PASSWORD },
    });
    try {
      const page = await context.newPage();
      await page.goto(`${bot.url}/helpdesk/stats`);
      await page.getByLabel('Académie (domaine des adresses)').selectOption('ac-paris.fr');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Afficher' }).click()]);
      assert.match(page.url(), /domain=ac-paris\.fr/);
      const main = (await page.locator('main').textContent()) ?? '';
      assert.match(main, /Seuls les comptes des adresses en ac-paris\.fr sont comptés ici\./);
      await screenshot(page, 'console-statistiques-academie');
      const scan = await axeScan(page, 'console-statistiques-academie');
      assert.deepEqual(scan.blocking, [], scan.all.join('\n'));
      assert.deepEqual(problems.errors, []);
    } finally {
      await context.close();
    }
  });
});
