import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import type { Browser, BrowserContext } from 'playwright-core';
import { type BotHarness, linkIn, startBot } from '../support/bot-harness';
import { axeScan, frenchContext, launchChromium, type PageProblems, screenshot } from '../support/browser';
import { chatUi } from '../support/webchat-ui';

/** A bot reply may wait for argon2 or SMTP; generous, yet far below a test's own timeout. */
const WAIT = { timeout: 20_000 };
const PASSWORD = 'Electeur2014';
const WELCOME = /Bonjour, je suis l’Assistant électeur/;

describe('the Web Chat page in Chromium (real app, local Direct Line, real Redis and SMTP)', function () {
  this.timeout(120_000);
  let bot: BotHarness;
  let browser: Browser;
  const contexts: Array<{ context: BrowserContext; problems: PageProblems }> = [];

  before(async () => {
    // Chromium first: when it is missing, that is the failure to read, not a bot start-up.
    browser = await launchChromium();
    bot = await startBot({ LOCAL_DIRECTLINE: '1' });
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });
  afterEach(async () => {
    // Every page of every test: the CSP allowed all it used, and no script threw.
    for (const { context, problems } of contexts.splice(0)) {
      await context.close();
      assert.deepEqual(problems.csp, [], 'Content-Security-Policy violations');
      assert.deepEqual(problems.errors, [], 'uncaught errors in the page');
    }
  });

  async function open(options: Parameters<typeof frenchContext>[1] = {}) {
    const watched = await frenchContext(browser, options);
    contexts.push(watched);
    const page = await watched.context.newPage();
    return { ...watched, page };
  }

  it('walks the whole activation in the widget, up to the bot’s « compte confirmé » message', async () => {
    const { context, page } = await open();
    const response = await page.goto(`${bot.url}/`);
    assert.equal(response?.status(), 200);
    const chat = chatUi(page);

    await chat.botSaid(WELCOME).waitFor(WAIT);
    await chat.suggestion('Créer mon compte électeur').waitFor(WAIT);
    // Bot replies are announced without moving the focus: Web Chat's polite live region (RGAA, WCAG 4.1.3).
    assert.equal((await page.locator('[role="log"][aria-live="polite"]').count()) > 0, true, 'a live region');
    await screenshot(page, 'webchat-01-accueil');

    await chat.suggestion('Créer mon compte électeur').click();
    await chat.botSaid(/Avez-vous déjà activé votre messagerie professionnelle/).waitFor(WAIT);
    await chat.suggestion('Oui').click();
    await chat.botSaid(/Quelle est votre adresse de messagerie professionnelle/).waitFor(WAIT);

    await chat.say('jean.martin@ac-paris.fr');
    await chat.userSaid('jean.martin@ac-paris.fr').waitFor(WAIT);
    await chat.botSaid(/Est-ce bien votre adresse professionnelle/).waitFor(WAIT);
    await chat.suggestion('Oui').click();

    const passwords = chat.transcript.locator('input[type="password"]');
    await chat.botSaid(/Retenez bien ce mot de passe/).waitFor(WAIT);
    await passwords.nth(1).waitFor(WAIT);
    assert.equal(await passwords.count(), 2, 'two masked inputs in the card');
    await passwords.nth(0).fill(PASSWORD);
    await passwords.nth(1).fill(PASSWORD);
    await chat.transcript
      .getByRole('button', { name: 'Valider mon mot de passe' })
      .last()
      .scrollIntoViewIfNeeded();
    await screenshot(page, 'webchat-02-carte-mot-de-passe');
    await chat.transcript.getByRole('button', { name: 'Valider mon mot de passe' }).last().click();

    await chat.seen(/Un mail[^.]* part vers votre adresse/);
    assert.ok(
      !((await chat.transcript.textContent()) ?? '').includes(PASSWORD),
      'the password is never shown',
    );
    await screenshot(page, 'webchat-03-mail-envoye');

    const [mail] = await bot.smtp.waitForMessages(1, 20_000);
    assert.ok(mail);
    assert.deepEqual(mail.to, ['jean.martin@ac-paris.fr']);
    // The link only opens the page: it asks for the password chosen in the chat, typed by keyboard.
    const confirmation = await context.newPage();
    const opened = await confirmation.goto(linkIn(mail.text));
    assert.equal(opened?.status(), 200);
    await confirmation.getByRole('heading', { name: 'Confirmez votre compte électeur' }).waitFor(WAIT);
    const form = await axeScan(confirmation, 'confirmation-formulaire');
    assert.deepEqual(form.all, [], form.all.join('\n'));
    await screenshot(confirmation, 'webchat-04-page-confirmation');
    const field = confirmation.getByLabel('Mot de passe électeur');
    assert.equal(await field.getAttribute('type'), 'password', 'a masked field');
    assert.equal(await field.getAttribute('autocomplete'), 'current-password');

    await field.focus();
    await confirmation.keyboard.type('Mauvais2014');
    await confirmation.keyboard.press('Enter');
    await confirmation.getByRole('alert').waitFor(WAIT);
    assert.match((await confirmation.getByRole('alert').textContent()) ?? '', /Il vous reste 4 essais/);
    assert.equal(await confirmation.getByLabel('Mot de passe électeur').getAttribute('aria-invalid'), 'true');
    assert.equal(
      await confirmation.getByLabel('Mot de passe électeur').inputValue(),
      '',
      'the field comes back empty',
    );
    const refused = await axeScan(confirmation, 'confirmation-erreur');
    assert.deepEqual(refused.all, [], refused.all.join('\n'));
    await screenshot(confirmation, 'webchat-04b-confirmation-erreur');

    await confirmation.getByLabel('Mot de passe électeur').focus();
    await confirmation.keyboard.type(PASSWORD);
    await confirmation.keyboard.press('Enter');
    await confirmation.getByRole('heading', { name: 'Votre compte électeur est confirmé' }).waitFor(WAIT);
    const done = await axeScan(confirmation, 'confirmation-confirmee');
    assert.deepEqual(done.all, [], done.all.join('\n'));
    await screenshot(confirmation, 'webchat-04c-compte-confirme');
    await confirmation.close();

    // The proactive message reaches the open widget through the emulation's WebSocket.
    await chat.seen(/Votre compte électeur est confirmé/);
    await screenshot(page, 'webchat-05-compte-confirme');
  });

  it('answers « Quand se termine le vote ? » in the time of La Réunion when the browser is there', async () => {
    const { page } = await open({ timezoneId: 'Indian/Reunion' });
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    assert.equal(
      await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
      'Indian/Reunion',
    );

    await chat.say('Quand se termine le vote ?');
    const answer = await chat.seen(/La Réunion/);
    assert.match((await answer.textContent()) ?? '', /heure de Paris/);
    await screenshot(page, 'webchat-06-date-la-reunion');
  });

  it('has no serious or critical axe violation (WCAG 2.1 A and AA), before and after the welcome', async () => {
    const { page } = await open();
    // Before Web Chat renders: the page itself (landmarks, headings, note, contrast).
    await page.route('**/webchat/chat.js*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await page.goto(`${bot.url}/`);
    const before = await axeScan(page, 'page-avant-accueil');
    assert.deepEqual(before.blocking, [], before.all.join('\n'));

    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    await chat.suggestion('Créer mon compte électeur').waitFor(WAIT);
    const afterWelcome = await axeScan(page, 'page-apres-accueil');
    assert.deepEqual(afterWelcome.blocking, [], afterWelcome.all.join('\n'));

    await chat.suggestion('Créer mon compte électeur').click();
    await chat.botSaid(/Avez-vous déjà activé/).waitFor(WAIT);
    await chat.suggestion('Oui').click();
    await chat.botSaid(/Quelle est votre adresse/).waitFor(WAIT);
    await chat.say('jean.dupont@ac-paris.fr');
    await chat.botSaid(/Est-ce bien votre adresse/).waitFor(WAIT);
    await chat.suggestion('Oui').click();
    await chat.transcript.locator('input[type="password"]').nth(1).waitFor(WAIT);
    const withCard = await axeScan(page, 'page-carte-mot-de-passe');
    assert.deepEqual(withCard.blocking, [], withCard.all.join('\n'));
  });

  it('stays usable at 200 % zoom: no sideways scrolling, the send box and the choices reachable', async () => {
    // A 1280 × 800 screen at 200 %: 640 × 400 CSS pixels.
    const { page } = await open({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    await chat.suggestion('Dates importantes').waitFor(WAIT);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${overflow} px of sideways scrolling`);
    await chat.sendBox.scrollIntoViewIfNeeded();
    assert.ok(await chat.sendBox.isVisible(), 'the send box');
    for (const name of [
      'Créer mon compte électeur',
      'Dates importantes',
      'Je n’ai pas reçu le mail',
      'Aide',
    ]) {
      const box = await chat.suggestion(name).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 640, `« ${name} » inside the width`);
    }
    await screenshot(page, 'webchat-07-zoom-200', false);

    await chat.say('Aide');
    await chat.userSaid('Aide').waitFor(WAIT);
    await screenshot(page, 'webchat-08-zoom-200-aide', false);
  });

  it('says in French, in an alert, when the token route fails, and the retry button reconnects', async () => {
    const { page } = await open();
    let fail = true;
    await page.route('**/api/directline/token', async (route) =>
      fail
        ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{}}' })
        : route.continue(),
    );
    await page.goto(`${bot.url}/`);
    // Ours, not the send box's own (empty) alert of Web Chat.
    const alert = page.locator('#chat-alert[role="alert"]');
    await alert.getByText(/momentanément indisponible/).waitFor(WAIT);
    assert.match((await alert.textContent()) ?? '', /Réessayez dans quelques minutes/);
    await screenshot(page, 'webchat-09-erreur-jeton');

    fail = false;
    await alert.getByRole('button', { name: 'Réessayer' }).click();
    await chatUi(page).botSaid(WELCOME).waitFor(WAIT);
    assert.equal(((await alert.textContent()) ?? '').trim(), '', 'the alert is emptied');
  });

  it('tells, in French, that JavaScript is needed when it is off', async () => {
    const { page } = await open({ javaScriptEnabled: false });
    await page.goto(`${bot.url}/`);
    const text = (await page.locator('main').textContent()) ?? '';
    assert.match(text, /Cette conversation a besoin de JavaScript/);
    await screenshot(page, 'webchat-10-sans-javascript');
  });
});
