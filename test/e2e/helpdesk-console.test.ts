import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Browser, BrowserContext, Locator, Page, Request as PwRequest } from 'playwright-core';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, linkIn, startBot } from '../support/bot-harness';
import { frenchContext, launchChromium, type PageProblems, screenshot } from '../support/browser';
import { requestAccount, SENT } from '../support/walk';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Assistance-2014';
const TEACHER = 'emmy.noether@ac-paris.fr';

/**
 * Reaches a control as a keyboard user does, with Tab from the top of the page (not `focus()`, which any
 * element takes): proves the control is in the tab order. Returns how many presses it took.
 */
async function tabTo(page: Page, control: Locator): Promise<number> {
  for (let presses = 1; presses <= 60; presses += 1) {
    await page.keyboard.press('Tab');
    if (await control.evaluate((element) => element === document.activeElement)) return presses;
  }
  throw new Error('not reachable with Tab');
}

/**
 * The console's forms as an agent uses them: in Chromium, by keyboard. The pages send
 * `Referrer-Policy: no-referrer`, so Chromium posts their forms with `Origin: null`: only a real browser
 * shows whether the CSRF defence lets the console's own forms through (a JSON test cannot).
 */
describe('helpdesk console forms, in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bot: BotHarness;
  let watched: { context: BrowserContext; problems: PageProblems };
  let conversationId: string;

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `${LOGIN}:${phc}` });
    const chat = bot.conversation('webchat');
    conversationId = chat.id;
    assert.match(await requestAccount(chat, TEACHER, 'Noether1882'), SENT);
    await bot.smtp.waitForMessages(1);
    browser = await launchChromium();
    watched = await frenchContext(browser, { httpCredentials: { username: LOGIN, password: PASSWORD } });
  });
  after(async () => {
    await watched?.context.close();
    await browser?.close();
    await bot?.close();
  });

  it('« Renvoyer le mail de confirmation » sends a new mail when clicked', async () => {
    const page = await watched.context.newPage();
    const posted: PwRequest[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posted.push(request);
    });
    await page.goto(`${bot.url}/helpdesk?email=${encodeURIComponent(TEACHER)}`);
    await page
      .getByRole('link', { name: /Lire la conversation/ })
      .first()
      .click();
    await page.waitForURL(
      new RegExp(encodeURIComponent(conversationId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    const button = page.getByRole('button', { name: /Renvoyer le mail de confirmation/ });
    // The keyboard, as an agent without a mouse would: Tab to the button and press Enter.
    await tabTo(page, button);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    // What the browser really sent: the CSRF defence must hold under these headers.
    assert.equal(posted.length, 1);
    const headers = await posted[0]?.allHeaders();
    assert.equal(headers?.origin, 'null', 'Chromium posts with Origin: null under no-referrer');
    assert.equal(headers?.['sec-fetch-site'], 'same-origin');

    const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    await screenshot(page, 'console-renvoi');
    assert.match(heading, /Mail renvoyé/, (await page.locator('main').textContent()) ?? '');
    await bot.smtp.waitForMessages(2);
    assert.equal(bot.smtp.messages.filter((m) => m.to.includes(TEACHER)).length, 2);

    // The answer leads back to where the agent was, by keyboard too.
    await tabTo(page, page.getByRole('link', { name: 'Revenir à la conversation' }));
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(
      new URL(page.url()).pathname,
      `/helpdesk/transcripts/webchat/${encodeURIComponent(conversationId)}`,
    );
    assert.deepEqual(watched.problems.errors, []);
  });

  it('refuses the same form posted from another site, though the browser sends the agent’s credentials', async () => {
    const page = await watched.context.newPage();
    // A stranger's page (served by the test, on a host of its own) that submits the console's form without
    // the token. It too is posted with `Origin: null`: only the token tells the two forms apart.
    await page.route('https://intrus.example/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="fr"><title>x</title><form method="post" action="${bot.url}/helpdesk/resend"><input name="email" value="${TEACHER}"></form></html>`,
      }),
    );
    await page.goto('https://intrus.example/');
    const before = await bot.app.accounts.status(TEACHER);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/helpdesk/resend')),
      page.evaluate(() => document.querySelector('form')?.submit()),
    ]);
    assert.equal(response.status(), 403);
    assert.equal((await response.request().allHeaders()).origin, 'null', 'an Origin check could not tell');
    assert.deepEqual(await bot.app.accounts.status(TEACHER), before, 'no new link');
  });

  it('« Annuler la demande en attente » cancels the pending requests when clicked; the link then says so', async () => {
    const teacher = 'sofia.kovalevskaia@ac-paris.fr';
    const chat = bot.conversation('webchat');
    assert.match(await requestAccount(chat, teacher, 'Kovalevskaia1850'), SENT);
    const mail = (await bot.smtp.waitForMessages(3)).find((m) => m.to.includes(teacher));
    assert.ok(mail);
    const page = await watched.context.newPage();
    await page.goto(`${bot.url}/helpdesk/transcripts/webchat/${encodeURIComponent(chat.id)}`);
    const button = page.getByRole('button', { name: 'Annuler la demande en attente' });
    assert.match((await page.locator('#annulation-aide').textContent()) ?? '', /cessent de fonctionner/);
    await tabTo(page, button);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    await screenshot(page, 'console-annulation');
    assert.match(heading, /Demande annulée/, (await page.locator('main').textContent()) ?? '');
    assert.equal(await bot.app.accounts.status(teacher), null);

    const link = await watched.context.newPage();
    const opened = await link.goto(linkIn(mail.text));
    assert.equal(opened?.status(), 410);
    assert.match(
      (await link.locator('main').textContent()) ?? '',
      /L’assistance de votre académie a annulé cette demande/,
    );
    const auth = `Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}`;
    const audit = (await (
      await fetch(`${bot.url}/helpdesk/api/audit`, { headers: { Authorization: auth } })
    ).json()) as Array<{ action: string; target: string }>;
    assert.ok(
      audit.some((e) => e.action === 'account.cancel' && e.target === `email:${teacher}`),
      'audited',
    );
    assert.deepEqual(watched.problems.errors, []);
  });
});
