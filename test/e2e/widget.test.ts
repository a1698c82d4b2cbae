import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'mocha';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { type BotHarness, startBot } from '../support/bot-harness';
import { axeScan, frenchContext, launchChromium, type PageProblems, screenshot } from '../support/browser';
import { chatUi } from '../support/webchat-ui';

const WAIT = { timeout: 20_000 };

/**
 * An académie's page on another origin, with a strict policy of its own: only the bot may add a script
 * and a frame, no inline style. The widget has to work within that.
 */
async function startHostSite(botUrl: () => string) {
  const server = http.createServer((req, res) => {
    // `/` is Paris's site; `/reunion` La Réunion's, whose tag names its académie (issue 14).
    if (req.url !== '/' && req.url !== '/reunion') {
      res.writeHead(404);
      res.end();
      return;
    }
    const academie = req.url === '/reunion' ? ' data-academie="reunion"' : '';
    const bot = botUrl();
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'self'; script-src 'self' ${bot}; frame-src ${bot}; style-src 'self'; img-src 'self'`,
    });
    res.end(`<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <title>Académie de Paris – Élections professionnelles</title>
  </head>
  <body>
    <header><p>Académie de Paris</p></header>
    <main>
      <h1>Élections professionnelles</h1>
      <p>Les personnels votent en ligne. <a href="#calendrier">Voir le calendrier</a></p>
    </main>
    <footer><p>Rectorat de l’académie de Paris</p></footer>
    <script src="${bot}/widget.js"${academie} async></script>
  </body>
</html>
`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('/widget.js on an académie’s site, in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bot: BotHarness;
  let site: Awaited<ReturnType<typeof startHostSite>>;
  const contexts: Array<{ context: BrowserContext; problems: PageProblems }> = [];

  before(async () => {
    browser = await launchChromium();
    let botUrl = '';
    site = await startHostSite(() => botUrl);
    // The site's origin is configured as allowed to frame the page (WEBCHAT_ORIGINS).
    bot = await startBot({ LOCAL_DIRECTLINE: '1', WEBCHAT_ORIGINS: site.origin });
    botUrl = bot.url;
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
    await site?.close();
  });
  afterEach(async () => {
    for (const { context, problems } of contexts.splice(0)) {
      await context.close();
      assert.deepEqual(problems.csp, [], 'Content-Security-Policy violations (the site’s or the bot’s)');
      assert.deepEqual(problems.errors, [], 'uncaught errors');
    }
  });

  async function openSite(path = '/'): Promise<{ page: Page; launcher: Locator; panel: Locator }> {
    const watched = await frenchContext(browser);
    contexts.push(watched);
    const page = await watched.context.newPage();
    await page.goto(`${site.origin}${path}`);
    const launcher = page.getByRole('button', { name: 'Assistant électeur', exact: true });
    await launcher.waitFor(WAIT);
    const panel = page.getByRole('dialog', { name: 'Assistant électeur – élections professionnelles' });
    return { page, launcher, panel };
  }

  /** Where the keyboard focus is, through the widget's shadow root: the element's tag and class or title. */
  function focused(page: Page): Promise<string> {
    return page.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      if (!active) return 'none';
      return `${active.tagName.toLowerCase()}${active.className ? `.${active.className}` : ''}${
        active.getAttribute('title') ? `[${active.getAttribute('title')}]` : ''
      }`;
    });
  }

  it('opens the chat from the keyboard, moves the focus into it, and Escape gives it back to the button', async () => {
    const { page, launcher, panel } = await openSite();
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    assert.equal(await panel.isVisible(), false);
    await screenshot(page, 'widget-01-bouton');

    // Keyboard only: Tab from the page's link reaches the button, Enter opens.
    await page.getByRole('link', { name: 'Voir le calendrier' }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'button.launcher');
    await page.keyboard.press('Enter');

    await panel.waitFor({ state: 'visible', ...WAIT });
    assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
    const frame = page.frameLocator('iframe[title="Conversation avec l’assistant électeur"]');
    const chat = chatUi(frame);
    await chat.botSaid(/Bonjour, je suis l’Assistant électeur/).waitFor(WAIT);
    await chat.suggestion('Créer mon compte électeur').waitFor(WAIT);
    assert.equal(
      await focused(page),
      'iframe[Conversation avec l’assistant électeur]',
      'focus in the dialog',
    );
    // Inside the frame, the send box has it: the teacher can type at once.
    const sendBoxFocused = async () =>
      frame
        .locator(':focus')
        .evaluate((el) => el.getAttribute('aria-label'))
        .catch(() => null);
    for (let i = 0; i < 50 && (await sendBoxFocused()) !== 'Zone de saisie du message'; i++)
      await page.waitForTimeout(100);
    assert.equal(await sendBoxFocused(), 'Zone de saisie du message');
    await screenshot(page, 'widget-02-ouvert');

    await page.keyboard.type('Quand se termine le vote ?');
    await page.keyboard.press('Enter');
    await chat.seen(/heure de Paris/);
    await screenshot(page, 'widget-03-reponse');

    // Escape inside the frame closes the panel (a message from our page) and the button has the focus.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden', ...WAIT });
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    assert.equal(await focused(page), 'button.launcher');

    // Opened again: the same conversation, not a new one.
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'visible', ...WAIT });
    await chat.userSaid('Quand se termine le vote').waitFor(WAIT);
    assert.equal(
      await chat.transcript
        .locator('.webchat__bubble--from-user')
        .filter({ hasText: 'Quand se termine' })
        .count(),
      1,
    );
  });

  it('on a site whose tag says data-academie="reunion", answers in La Réunion’s time before any address', async () => {
    // The browser is in Paris: the time comes from the académie the site named (chat.js → channelData).
    const { page, launcher, panel } = await openSite('/reunion');
    await launcher.click();
    await panel.waitFor({ state: 'visible', ...WAIT });
    const frame = page.frameLocator('iframe[title="Conversation avec l’assistant électeur"]');
    assert.match(
      (await page
        .locator('[data-assistant-electeur]')
        .evaluate((host) => host.shadowRoot?.querySelector('iframe')?.src)) ?? '',
      /[?&]academie=reunion/,
    );
    const chat = chatUi(frame);
    await chat.botSaid(/Bonjour, je suis l’Assistant électeur/).waitFor(WAIT);
    await chat.say('Quand se termine le vote ?');
    const answer = await chat.seen(/La Réunion/);
    assert.match((await answer.textContent()) ?? '', /17\s?h \(heure de Paris\), soit 20\s?h à La Réunion/);
    await screenshot(page, 'widget-07-academie-reunion');
  });

  it('closes with its « Fermer » button and with Escape on the site’s side, the focus back each time', async () => {
    const { page, launcher, panel } = await openSite();
    await launcher.click();
    await panel.waitFor({ state: 'visible', ...WAIT });
    const close = panel.getByRole('button', { name: 'Fermer l’assistant électeur' });
    assert.equal(await close.textContent(), 'Fermer', 'the visible text is in the name (WCAG 2.5.3)');
    await close.click();
    await panel.waitFor({ state: 'hidden', ...WAIT });
    assert.equal(await focused(page), 'button.launcher');

    await launcher.click();
    await panel.waitFor({ state: 'visible', ...WAIT });
    await close.focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden', ...WAIT });
    assert.equal(await focused(page), 'button.launcher');
  });

  it('has no serious or critical axe violation on the site with the chat open', async () => {
    const { page, launcher, panel } = await openSite();
    await launcher.click();
    await panel.waitFor({ state: 'visible', ...WAIT });
    const chat = chatUi(page.frameLocator('iframe'));
    await chat.suggestion('Créer mon compte électeur').waitFor(WAIT);
    const scan = await axeScan(page, 'widget-ouvert');
    assert.deepEqual(scan.blocking, [], scan.all.join('\n'));
  });

  it('adds no landmark the site already has: axe’s best practices too find nothing on the site', async () => {
    // The site has its banner, main and footer; the frame's page is read as part of it (axe goes into
    // frames, as screen readers do), so a main in the frame was a second main (landmark-unique).
    const { page, launcher, panel } = await openSite();
    await launcher.click();
    await panel.waitFor({ state: 'visible', ...WAIT });
    const frame = page.frameLocator('iframe');
    await chatUi(frame).suggestion('Créer mon compte électeur').waitFor(WAIT);
    assert.equal(await page.getByRole('main').count(), 1, 'the site’s main only');
    assert.equal(await frame.getByRole('main').count(), 0);
    assert.equal(
      await frame.getByRole('region', { name: 'Conversation avec l’assistant électeur' }).count(),
      1,
    );
    const scan = await axeScan(page, 'widget-ouvert-bonnes-pratiques', { bestPractice: true });
    assert.deepEqual(scan.all, [], scan.all.join('\n'));
  });

  it('has one close control: after « Fermer », the keyboard goes into the chat, not to a second « Fermer »', async () => {
    const { page, launcher, panel } = await openSite();
    await launcher.click();
    await panel.waitFor({ state: 'visible', ...WAIT });
    const frame = page.frameLocator('iframe');
    await chatUi(frame).suggestion('Créer mon compte électeur').waitFor(WAIT);
    const closers = /^(Fermer|Close)/;
    assert.equal(await page.getByRole('button', { name: closers }).count(), 1, 'the widget’s own');
    assert.equal(await frame.getByRole('button', { name: closers }).count(), 0, 'none in the chat');

    await panel.getByRole('button', { name: 'Fermer l’assistant électeur' }).focus();
    await page.keyboard.press('Tab');
    const next = await frame
      .locator(':focus')
      .evaluate((el) => el.getAttribute('aria-label') ?? el.textContent ?? '');
    assert.equal(next, 'Masquer l’aide du clavier', 'Web Chat’s keyboard help, named for what it does');
    await screenshot(page, 'widget-04-aide-clavier');
  });

  it('is refused by a site that is not configured, and then says so in French with a way out', async () => {
    // Same bot, but the page is framed from an origin missing from WEBCHAT_ORIGINS. The refusal is the
    // point here, so CSP reports are not checked.
    const watched = await frenchContext(browser);
    contexts.push({ context: watched.context, problems: { csp: [], errors: watched.problems.errors } });
    const page = await watched.context.newPage();
    const other = await startHostSite(() => bot.url);
    try {
      await page.goto(`${other.origin}/`);
      const launcher = page.getByRole('button', { name: 'Assistant électeur', exact: true });
      await launcher.click();
      const panel = page.getByRole('dialog', { name: 'Assistant électeur – élections professionnelles' });
      // Instead of a broken frame: a French message, announced, and a link to the chat in a new tab.
      const alert = panel.getByRole('alert');
      await alert.waitFor(WAIT);
      assert.equal(
        await alert.locator('p').textContent(),
        'L’assistant électeur ne peut pas s’afficher sur ce site.',
      );
      const link = panel.getByRole('link', { name: 'Ouvrir l’assistant électeur dans un nouvel onglet' });
      assert.equal(await link.getAttribute('href'), `${bot.url}/`);
      assert.equal(await link.getAttribute('target'), '_blank');
      assert.equal(await panel.locator('iframe').count(), 0, 'the refused frame is gone');
      let chats = 0;
      for (const frame of page.frames())
        chats += await frame
          .locator('#webchat')
          .count()
          .catch(() => 0);
      assert.equal(chats, 0, 'the chat must not load inside an unknown site (frame-ancestors)');
      // The focus is on the way out, in the site's page: Escape works again.
      assert.equal(await focused(page), 'a');
      const scan = await axeScan(page, 'widget-refuse');
      assert.deepEqual(scan.blocking, [], scan.all.join('\n'));
      await screenshot(page, 'widget-05-site-refuse');
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden', ...WAIT });
      assert.equal(await focused(page), 'button.launcher');

      // Opened again: the same message, and the link opens the chat in a tab of its own.
      await page.keyboard.press('Enter');
      await link.waitFor(WAIT);
      const [tab] = await Promise.all([page.waitForEvent('popup'), link.click()]);
      await chatUi(tab)
        .botSaid(/Bonjour, je suis l’Assistant électeur/)
        .waitFor(WAIT);
      await tab.close();
      await panel.getByRole('button', { name: 'Fermer l’assistant électeur' }).click();
      await panel.waitFor({ state: 'hidden', ...WAIT });
    } finally {
      await other.close();
    }
  });
});
