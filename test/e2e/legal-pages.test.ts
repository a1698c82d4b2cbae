import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { type BotHarness, startBot } from '../support/bot-harness';
import { axeScan, frenchContext, launchChromium, screenshot } from '../support/browser';

/**
 * The privacy notice and the accessibility statement as people reach them: from the chat page's footer,
 * by keyboard, on a phone (320 px); axe finds nothing.
 */
describe('legal pages in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ LOCAL_DIRECTLINE: '1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  for (const [path, heading] of [
    ['/donnees-personnelles', 'Données personnelles'],
    ['/accessibilite', 'Déclaration d’accessibilité'],
  ] as const) {
    it(`${path}: reached from the chat page’s footer by keyboard, readable at 320 px, axe finds nothing`, async () => {
      const { context, problems } = await frenchContext(browser, { viewport: { width: 320, height: 640 } });
      try {
        const page = await context.newPage();
        await page.goto(`${bot.url}/`);
        const link = page.locator(`footer a[href="${path}"]`);
        await link.focus();
        await Promise.all([page.waitForURL(`**${path}`), page.keyboard.press('Enter')]);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), heading);
        const width = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        assert.ok(width.scroll <= width.client, `no sideways scrolling: ${width.scroll} > ${width.client}`);
        const axe = await axeScan(page, `legal${path.replace(/\//g, '-')}`);
        assert.deepEqual(axe.all, [], axe.all.join('\n'));
        await screenshot(page, `legal${path.replace(/\//g, '-')}-320`);
        assert.deepEqual(problems.csp, []);
      } finally {
        await context.close();
      }
    });
  }
});
