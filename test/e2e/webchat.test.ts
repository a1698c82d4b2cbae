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
/** What the page shows instead of a password typed in the send box (locales/fr/webchat.json). */
const MASKED = '[mot de passe masqué]';

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

    await chat.walkToPasswordCard('jean.dupont@ac-paris.fr');
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

  it('masks a password typed in the send box before it shows, while the bot gets it; other messages show', async () => {
    const { page } = await open();
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    await chat.walkToPasswordCard('claire.martin@ac-paris.fr');
    const weak = 'motdepasse2';
    const strong = 'Radium1898x';

    // From now on, every text and attribute that reaches the page outside the send box is recorded:
    // the password must never be among them, not even for an instant before a re-render.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenTexts: string[] }).seenTexts = seen;
      // No named helper in here: the test runner's compiler would wrap it in a function the page lacks.
      new MutationObserver((records) => {
        for (const record of records) {
          const target = record.target instanceof Element ? record.target : record.target.parentElement;
          if (target?.closest('.webchat__send-box')) continue;
          if (record.type === 'attributes' && record.target instanceof Element)
            seen.push(record.target.getAttribute(record.attributeName ?? '') ?? '');
          else if (record.type === 'characterData') seen.push(record.target.textContent ?? '');
          for (const node of record.addedNodes)
            seen.push(node instanceof Element ? node.outerHTML : (node.textContent ?? ''));
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const security = () =>
      chat.sendBox.evaluate((box) => getComputedStyle(box).getPropertyValue('-webkit-text-security'));
    assert.equal(await security(), 'disc', 'what is typed shows as dots while a password is expected');
    assert.equal(await chat.sendBox.getAttribute('autocapitalize'), 'off', 'phones keep it as typed');

    // Refused: « il manque une majuscule » (not « et un chiffre »): the bot got the real text.
    await chat.say(weak);
    await chat.seen(/Ce mot de passe ne convient pas encore\u00a0: il manque une majuscule\./);
    // Still expected after the refusal: the next attempt is masked too.
    await chat.say(strong);
    await chat.seen(/Écrivez une seconde fois le même mot de passe/);
    await chat.say(strong);
    await chat.seen(/Un mail[^.]* part vers votre adresse/);
    await screenshot(page, 'webchat-11-mot-de-passe-masque');

    const teacher = chat.transcript.locator('.webchat__bubble--from-user');
    const texts = (await teacher.allTextContents()).map((text) => text.trim());
    assert.deepEqual(texts.slice(-3), [MASKED, MASKED, MASKED], 'the three bubbles are masked');
    const seen = await page.evaluate(() => (window as unknown as { seenTexts: string[] }).seenTexts);
    assert.ok(seen.length > 20, `${seen.length} changes recorded`);
    // What is on screen (innerText, rendered text) and the whole DOM (innerHTML), at the end.
    const shown = await page.evaluate(() => ({
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
      text: document.body.innerText,
      html: document.body.innerHTML,
    }));
    for (const secret of [weak, strong]) {
      assert.ok(!seen.some((text) => text.includes(secret)), `${secret} reached the page`);
      assert.ok(!shown.text.includes(secret) && !shown.html.includes(secret), `${secret} is in the page`);
    }
    assert.equal(await security(), 'none', 'no password expected any more');
    assert.equal(await chat.sendBox.getAttribute('autocapitalize'), null);

    // Outside the prompt, a message shows as typed.
    await chat.say('Merci beaucoup');
    await chat.userSaid('Merci beaucoup').waitFor(WAIT);
  });

  it('sends the real password again when a failed send is retried, and keeps it masked', async () => {
    const { page } = await open();
    let refuseNext = false;
    // The emulation's Direct Line: one post refused (400: Web Chat says the send failed, and offers a retry).
    await page.route('**/v3/directline/conversations/*/activities', async (route) => {
      if (route.request().method() === 'POST' && refuseNext) {
        refuseNext = false;
        await route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":{}}' });
      } else await route.continue();
    });
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    await chat.walkToPasswordCard('irene.curie@ac-paris.fr');
    const secret = 'Polonium1898';

    refuseNext = true;
    await chat.say(secret);
    const retry = chat.transcript.getByText('Réessayez');
    await retry.waitFor(WAIT);
    assert.equal(
      ((await chat.transcript.locator('.webchat__bubble--from-user').last().textContent()) ?? '').trim(),
      MASKED,
    );
    await retry.click();
    // The bot got the password itself (the mask would be refused: no capital letter, no digit).
    await chat.seen(/Écrivez une seconde fois le même mot de passe/);
    const shown = await page.evaluate(() => document.body.innerHTML);
    assert.ok(!shown.includes(secret), 'never in the page');
    const teacher = await chat.transcript.locator('.webchat__bubble--from-user').allTextContents();
    assert.equal(teacher.at(-1)?.trim(), MASKED);
  });

  it('shows where the keyboard is on every control, the send box included', async () => {
    const { page } = await open();
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.suggestion('Dates importantes').waitFor(WAIT);

    // Every tab stop, by the keyboard from the top of the page: the pixels around it change when it has
    // the focus (Playwright hides the text caret in screenshots: the send box's caret does not count).
    await page.keyboard.press('Tab');
    const stops: string[] = [];
    const invisible: string[] = [];
    for (let i = 0; i < 20; i++) {
      const stop = await page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        if (!active || active === document.body) return null;
        active.setAttribute('data-focus-stop', '');
        const name = active.getAttribute('aria-label') ?? active.getAttribute('title') ?? active.textContent;
        return `${active.tagName.toLowerCase()} « ${(name ?? '').trim().slice(0, 40)} »`;
      });
      if (!stop || stops.includes(stop)) break;
      stops.push(stop);
      // The control and 10 px around it (an outline may be outside), focused then blurred (the focus
      // then is nowhere: no other control's ring in the picture), then focused again for the next Tab.
      const box = await page.locator('[data-focus-stop]').boundingBox();
      assert.ok(box, stop);
      const x = Math.max(0, box.x - 10);
      const y = Math.max(0, box.y - 10);
      const clip = {
        x,
        y,
        width: Math.min(box.width + 20, 1280 - x),
        height: Math.min(box.height + 20, 900 - y),
      };
      const withFocus = await page.screenshot({ clip });
      const marked = page.locator('[data-focus-stop]');
      await marked.evaluate((el) => (el as HTMLElement).blur());
      await page.waitForTimeout(150);
      const without = await page.screenshot({ clip });
      await marked.evaluate((el) => {
        (el as HTMLElement).focus();
        el.removeAttribute('data-focus-stop');
      });
      if (withFocus.equals(without)) invisible.push(stop);
      await page.keyboard.press('Tab');
    }
    assert.ok(stops.length >= 6, stops.join(', '));
    assert.ok(
      stops.some((stop) => stop.startsWith('textarea')),
      stops.join(', '),
    );
    assert.deepEqual(invisible, [], `no visible focus: ${invisible.join(', ')}`);

    // The send box itself: its box's computed outline, focused and not (identical before the fix).
    const textBox = page.locator('.webchat__send-box-text-box');
    const ring = () =>
      textBox.evaluate((box) => {
        const style = getComputedStyle(box);
        return `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} | ${style.boxShadow}`;
      });
    await chat.sendBox.focus();
    const focused = await ring();
    await chat.sendBox.blur();
    const unfocused = await ring();
    assert.notEqual(focused, unfocused, `send box: « ${unfocused} » focused or not`);
    assert.match(focused, /^solid 3px rgb\(0, 0, 145\)/);
  });

  it('sizes the password card like the chat and tells its errors (live region, aria-invalid, described-by)', async () => {
    const { page } = await open();
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    await chat.walkToPasswordCard('paul.langevin@ac-paris.fr');
    const chatText = await chat
      .botSaid(/Retenez bien ce mot de passe/)
      .locator('p')
      .first()
      .evaluate((p) => getComputedStyle(p).fontSize);
    assert.equal(chatText, '18px');
    const inputs = chat.transcript.locator('.ac-adaptiveCard input[type="password"]');
    for (const input of await inputs.all()) {
      const measured = await input.evaluate((el) => ({
        height: el.getBoundingClientRect().height,
        fontSize: getComputedStyle(el).fontSize,
      }));
      assert.ok(measured.height >= 44, `${measured.height} px tall`);
      assert.equal(measured.fontSize, chatText, 'the chat’s text size');
    }
    const labels = await chat.transcript
      .locator('.ac-adaptiveCard label .ac-textRun')
      .evaluateAll((runs) => runs.map((run) => getComputedStyle(run).fontSize));
    assert.deepEqual([...new Set(labels)], [chatText], 'labels at the chat’s size');
    // Its fields show the focus too (the card's controls are reached inside the transcript's message).
    const outline = () => inputs.nth(0).evaluate((el) => getComputedStyle(el).outline);
    const blurred = await outline();
    await inputs.nth(0).focus();
    assert.notEqual(await outline(), blurred, 'a focused field looks focused');
    await inputs.nth(0).blur();
    const submit = chat.transcript.getByRole('button', { name: 'Valider mon mot de passe' }).last();
    await submit.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const button = await submit.boundingBox();
    assert.ok(button && button.height >= 44, `button ${button?.height} px tall`);
    // Its button shows the focus (the renderer's overflow: hidden clipped an outline drawn outside it).
    const area = { x: button.x - 4, y: button.y - 4, width: button.width + 8, height: button.height + 8 };
    await page.keyboard.press('Shift');
    const plain = await page.screenshot({ clip: area });
    await submit.focus();
    assert.ok(!plain.equals(await page.screenshot({ clip: area })), 'the focused button looks focused');

    // Submitted empty: each field is marked invalid, described by its error, and the errors are said.
    await submit.click();
    const status = page.locator('#chat-status[role="status"]');
    await page.waitForFunction(() => (document.getElementById('chat-status')?.textContent ?? '') !== '');
    assert.equal(
      await status.textContent(),
      'Votre mot de passe n’a pas été envoyé. Saisissez votre mot de passe électeur. Saisissez une seconde fois le même mot de passe.',
    );
    const fields = await inputs.evaluateAll((els) =>
      els.map((el) => ({
        invalid: el.getAttribute('aria-invalid'),
        description: document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent?.trim(),
        inName: (el.getAttribute('aria-labelledby') ?? '')
          .split(' ')
          .some((id) => id && id === el.getAttribute('aria-describedby')),
        focused: document.activeElement === el,
      })),
    );
    assert.deepEqual(fields, [
      {
        invalid: 'true',
        description: 'Saisissez votre mot de passe électeur.',
        inName: false,
        focused: true,
      },
      {
        invalid: 'true',
        description: 'Saisissez une seconde fois le même mot de passe.',
        inName: false,
        focused: false,
      },
    ]);
    const scan = await axeScan(page, 'page-carte-erreurs');
    assert.deepEqual(scan.blocking, [], scan.all.join('\n'));
    await screenshot(page, 'webchat-12-carte-erreurs');

    // Typing in the first field clears its error, not the other one's.
    await page.keyboard.type('A');
    assert.equal(await inputs.nth(0).getAttribute('aria-invalid'), null);
    assert.equal(await inputs.nth(0).getAttribute('aria-describedby'), null);
    assert.equal(await inputs.nth(1).getAttribute('aria-invalid'), 'true');
  });

  it('fits the password card in 320 px: no sideways scrolling, its button’s title whole', async () => {
    const { page } = await open({ viewport: { width: 320, height: 640 } });
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    await chat.walkToPasswordCard('marie.curie@ac-paris.fr');
    const submit = chat.transcript.getByRole('button', { name: 'Valider mon mot de passe' }).last();
    await submit.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0);
    // At the chat's text size the title is longer than the button is wide: it wraps, nothing cut off.
    const title = await submit
      .locator('div')
      .first()
      .evaluate((el) => ({
        cut: el.scrollWidth > el.clientWidth,
        wrapped: el.getBoundingClientRect().height > 1.5 * Number.parseFloat(getComputedStyle(el).fontSize),
      }));
    assert.deepEqual(title, { cut: false, wrapped: true });
    await screenshot(page, 'webchat-13-carte-320px', false);
  });

  it('gives message times in French, 24-hour (« Envoyé le 7 décembre à 15 h 31 », never « 3:31 PM »)', async () => {
    const { page } = await open();
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(WELCOME).waitFor(WAIT);
    const statuses = await page.locator('.webchat__activity-status').allTextContents();
    assert.ok(statuses.length > 0);
    for (const status of statuses) {
      assert.doesNotMatch(status, /AM|PM|\d:\d\d/, status);
      assert.match(status, /^Envoyé le \d{1,2} \p{L}+ à \d{1,2}\u00a0h(\u00a0\d{2})?/u, status);
    }
    // The hour is the 24-hour one of the message's time in the browser's zone (now, or the hour before).
    const hour = await page.evaluate(() => new Date().getHours());
    const hours = [hour, (hour + 23) % 24].map((h) => ` à ${h}\u00a0h`);
    assert.ok(
      statuses.some((status) => hours.some((h) => status.includes(h))),
      `${statuses[0]} at ${hour} h`,
    );
  });

  it('tells, in French, that JavaScript is needed when it is off', async () => {
    const { page } = await open({ javaScriptEnabled: false });
    await page.goto(`${bot.url}/`);
    const text = (await page.locator('main').textContent()) ?? '';
    assert.match(text, /Cette conversation a besoin de JavaScript/);
    await screenshot(page, 'webchat-10-sans-javascript');
  });
});
