import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import type { Browser, BrowserContext } from 'playwright-core';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { axeScan, frenchContext, launchChromium, type PageProblems, screenshot } from '../support/browser';
import { SENT, walkToPassword } from '../support/walk';

const PAGE_LINK = /https?:\/\/[^\s"]+\/mot-de-passe\/[A-Za-z0-9_-]{43}/;
/** The top bar of the public pages (src/http/static/page.css): green for a success, orange for a problem. */
const SUCCESS_BAR = 'rgb(24, 117, 60)';
const PROBLEM_BAR = 'rgb(179, 64, 0)';

describe('the password page (PASSWORD_ENTRY=link), in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bot: BotHarness;
  const contexts: Array<{ context: BrowserContext; problems: PageProblems }> = [];

  before(async () => {
    browser = await launchChromium();
    bot = await startBot({ PASSWORD_ENTRY: 'link' });
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });
  afterEach(async () => {
    for (const { context, problems } of contexts.splice(0)) {
      await context.close();
      assert.deepEqual(problems.csp, [], 'Content-Security-Policy violations');
      assert.deepEqual(problems.errors, [], 'uncaught errors');
    }
  });

  it('is filled with the keyboard, refuses a weak password, saves a good one; axe finds nothing', async () => {
    const chat = bot.conversation('webchat');
    const step = await walkToPassword(chat, 'irene.joliot@ac-paris.fr');
    const url = PAGE_LINK.exec(JSON.stringify(step))?.[0];
    assert.ok(url, textOf(step));

    const watched = await frenchContext(browser);
    contexts.push(watched);
    const page = await watched.context.newPage();
    const response = await page.goto(url);
    assert.equal(response?.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    const barColour = () => page.locator('main').evaluate((main) => getComputedStyle(main).borderTopColor);
    assert.equal(await barColour(), SUCCESS_BAR, 'the form itself is not an error');
    const form = await axeScan(page, 'mot-de-passe-formulaire');
    assert.deepEqual(form.all, [], form.all.join('\n'));
    await screenshot(page, 'mot-de-passe-formulaire');

    // Labels name the fields: that is how a screen reader user (and this test) finds them.
    await page.getByLabel('Mot de passe électeur').fill('motdepasse');
    await page.getByLabel('Confirmez le mot de passe').fill('motdepasse');
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(
      (await page.getByRole('alert').textContent()) ?? '',
      /il manque une majuscule et un chiffre/,
    );
    assert.equal(
      await page.getByLabel('Mot de passe électeur').inputValue(),
      '',
      'the fields come back empty',
    );
    const refused = await axeScan(page, 'mot-de-passe-erreur');
    assert.deepEqual(refused.all, [], refused.all.join('\n'));
    // It looks like an error: the page's bar in the problem colour, not the green of a success.
    assert.equal(await barColour(), PROBLEM_BAR, 'the bar of an error page');
    await screenshot(page, 'mot-de-passe-erreur');

    await page.getByLabel('Mot de passe électeur').fill('Radioactivite1935');
    await page.getByLabel('Confirmez le mot de passe').fill('Radioactivite1935');
    await page.getByLabel('Confirmez le mot de passe').press('Enter');
    await page
      .getByRole('heading', { name: 'Mot de passe enregistré, revenez dans la conversation' })
      .waitFor();
    const saved = await axeScan(page, 'mot-de-passe-enregistre');
    assert.deepEqual(saved.all, [], saved.all.join('\n'));
    await screenshot(page, 'mot-de-passe-enregistre');

    // Opened again, the link is used: the page says so and leads on to the chat page, no dead end.
    assert.equal((await page.goto(url))?.status(), 410);
    await page.getByRole('heading', { name: 'Ce lien a déjà été utilisé' }).waitFor();
    assert.equal(await barColour(), PROBLEM_BAR);
    const used = await axeScan(page, 'mot-de-passe-utilise');
    assert.deepEqual(used.all, [], used.all.join('\n'));
    await screenshot(page, 'mot-de-passe-utilise');
    await page.getByRole('link', { name: 'Ouvrir l’Assistant électeur' }).click();
    await page.waitForURL((next) => next.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Assistant électeur' }).waitFor();

    const proactive = await bot.connector.waitFor(
      (p) => p.conversationId === chat.id && SENT.test(p.activity.text ?? ''),
    );
    assert.match(proactive.activity.text ?? '', /irene\.joliot@ac-paris\.fr/);
  });
});
