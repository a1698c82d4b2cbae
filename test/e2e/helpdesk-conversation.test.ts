import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot } from '../support/bot-harness';
import { frenchContext, launchChromium, screenshot } from '../support/browser';
import { requestAccount, SENT } from '../support/walk';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Assistance-2014';
const TEACHER = 'emmy.noether@ac-paris.fr';
const TEACHER_PASSWORD = 'Noether1882';

interface AxNode {
  role?: { value: string };
  name?: { value: string };
  description?: { value: string };
  properties?: Array<{ name: string; value: { value: unknown } }>;
}

/** What a screen reader gets from Chromium: its accessibility tree, through the DevTools protocol. */
async function axNodes(page: Page): Promise<AxNode[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    return ((await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] }).nodes;
  } finally {
    await cdp.detach();
  }
}

/**
 * The console as an agent reads it in a browser set to English or French: the day typed the French way
 * whatever the browser's language, a refused day announced (focus, « invalide », the message), and a
 * conversation that reads like one (no Markdown marks, the card's submit in French, hours in French).
 */
describe('helpdesk console in Chromium, English and French browsers', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bot: BotHarness;

  before(async () => {
    browser = await launchChromium();
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `${LOGIN}:${phc}` });
    assert.match(await requestAccount(bot.conversation('webchat'), TEACHER, TEACHER_PASSWORD), SENT);
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  for (const [locale, timezoneId] of [
    ['en-US', 'America/New_York'],
    ['fr-FR', 'Europe/Paris'],
  ] as const) {
    describe(`a browser in ${locale}`, () => {
      let page: Page;
      let close: () => Promise<void>;
      let errors: string[];
      before(async () => {
        const watched = await frenchContext(browser, {
          locale,
          timezoneId,
          httpCredentials: { username: LOGIN, password: PASSWORD },
        });
        errors = watched.problems.errors;
        page = await watched.context.newPage();
        close = () => watched.context.close();
      });
      after(async () => {
        assert.deepEqual(errors, []);
        await close?.();
      });

      /** Types a day in the field, by keyboard, and sends the form with Enter. */
      async function searchDay(typed: string): Promise<number | undefined> {
        const field = page.getByRole('textbox', { name: 'Jour de la conversation' });
        await field.fill('');
        await field.pressSequentially(typed);
        const [response] = await Promise.all([page.waitForNavigation(), field.press('Enter')]);
        return response?.status();
      }

      for (const typed of ['20/11/2014', '2014-11-20'])
        it(`finds the conversations of « ${typed} »; field and hint both say JJ/MM/AAAA`, async () => {
          await page.goto(`${bot.url}/helpdesk`);
          const hint = (await page.locator('#day-aide').textContent()) ?? '';
          assert.match(hint, /JJ\/MM\/AAAA, par exemple 20\/11\/2014/);
          assert.equal(await searchDay(typed), 200);
          assert.equal(
            await page.getByRole('heading', { level: 2 }).first().textContent(),
            'Conversations du jeudi 20 novembre 2014',
          );
          assert.equal(await page.getByRole('link', { name: 'Lire la conversation' }).count(), 1);
          assert.equal(await page.locator('#day').inputValue(), '20/11/2014', 'shown as the hint says');
          await screenshot(page, `console-jour-${locale}-${typed.replace(/\//g, '-')}`);
        });

      it('announces a refused day: the field is focused, invalid, and described by the message', async () => {
        await page.goto(`${bot.url}/helpdesk`);
        assert.equal(await searchDay('31/02/2014'), 400);
        // `autofocus` is applied when the page is first rendered, just after the navigation ends.
        await page.waitForFunction(() => document.activeElement?.id === 'day', undefined, { timeout: 5_000 });
        assert.match(await page.title(), /^Erreur\u00a0: Rechercher une conversation/);
        const field = (await axNodes(page)).find(
          (n) => n.role?.value === 'textbox' && n.name?.value === 'Jour de la conversation',
        );
        const property = (name: string) => field?.properties?.find((p) => p.name === name)?.value.value;
        assert.equal(property('focused'), true);
        assert.equal(property('invalid'), 'true');
        assert.match(
          field?.description?.value ?? '',
          /^Au format JJ\/MM\/AAAA, par exemple 20\/11\/2014 Cette date ne convient pas\. Saisissez un jour au format JJ\/MM\/AAAA/,
        );
        await screenshot(page, `console-jour-erreur-${locale}`);
      });

      it('shows the conversation as the teacher saw it: no Markdown marks, the card in French, French hours', async () => {
        await page.goto(`${bot.url}/helpdesk?email=${encodeURIComponent(TEACHER)}`);
        await Promise.all([
          page.waitForNavigation(),
          page.getByRole('link', { name: 'Lire la conversation' }).click(),
        ]);
        const chat = page.locator('ol.chat');
        const text = (await chat.textContent()) ?? '';
        assert.doesNotMatch(text, /`|\*\*/, 'no Markdown mark shows');
        assert.doesNotMatch(text, /[{}]|"action"|Noether1882/);
        assert.match(text, /Formulaire du mot de passe envoyé \(mot de passe et confirmation masqués\)/);
        assert.ok((await chat.locator('code', { hasText: TEACHER }).count()) > 0, 'the address as code');

        // What a screen reader reads of each message's time: French 24-hour words, never « 9:02 AM ».
        const times = (await chat.ariaSnapshot()).split('\n').filter((l) => /^\s*- time/.test(l));
        assert.ok(times.length > 5, times.join('\n'));
        for (const line of times)
          assert.match(line, /^\s*- time: (\p{L}+ \d+(er)? \p{L}+ \d{4} à )?\d{1,2} h( \d{2})?$/u, line);
        await screenshot(page, `console-conversation-${locale}`);
      });
    });
  }
});
