import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot } from '../support/bot-harness';
import { axeScan, frenchContext, launchChromium, screenshot } from '../support/browser';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Assistance-2014';

const basic = (login: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`,
});

/**
 * The audit page as an agent reads it, on a phone: agents' actions and failed logins in one table that
 * neither scrolls sideways at 320 px nor breaks WCAG 2.1 AA (axe).
 */
describe('helpdesk audit page, in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bot: BotHarness;

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `${LOGIN}:${phc}`, TRUST_PROXY: 'true' });
    const get = (path: string, headers: Record<string, string>) => fetch(`${bot.url}${path}`, { headers });
    // Failed logins from two addresses (one IPv6), and an agent's searches with long targets.
    for (let i = 0; i < 3; i += 1)
      await get('/helpdesk', { ...basic(`devine${i}`, 'faux'), 'X-Forwarded-For': '198.51.100.23' });
    await get('/helpdesk', {
      ...basic(LOGIN, 'faux'),
      'X-Forwarded-For': '2001:db8:1234:5678:9abc:def0:1234:5678',
    });
    for (const email of ['marie-christine.de-la-fontaine-saint-andre@ac-aix-marseille.fr', 'a.b@ac-paris.fr'])
      await get(`/helpdesk?email=${encodeURIComponent(email)}`, basic(LOGIN, PASSWORD));
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  it('shows actions and failed logins at 320 px without sideways scrolling, and passes axe', async () => {
    browser = await launchChromium();
    const { context, problems } = await frenchContext(browser, {
      viewport: { width: 320, height: 640 },
      httpCredentials: { username: LOGIN, password: PASSWORD },
    });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${bot.url}/helpdesk/audit`);
      assert.equal(response?.status(), 200);
      const table = page.getByRole('table');
      const text = (await table.textContent()) ?? '';
      assert.match(text, /connexions refusées/);
      assert.match(text, /198\.51\.100\.23\s*3 échec\(s\), 0 essai\(s\) bloqué\(s\) par la limite/);
      assert.match(text, /2001:db8:1234:5678::\/64\s*1 échec\(s\)/);
      assert.match(text, /marie-christine/);
      await screenshot(page, 'console-journal-320');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${overflow} px of sideways scrolling at 320 px`);
      const scan = await axeScan(page, 'console-journal');
      assert.deepEqual(scan.blocking, [], scan.all.join('\n'));
      assert.deepEqual(problems.errors, []);
    } finally {
      await context.close();
    }
  });
});
