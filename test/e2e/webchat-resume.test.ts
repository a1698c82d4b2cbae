import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { type BotHarness, startBot } from '../support/bot-harness';
import { frenchContext, launchChromium } from '../support/browser';
import { chatUi } from '../support/webchat-ui';

const WAIT = { timeout: 20_000 };

describe('Web Chat resume: a password typed in the send box stays masked after a reload (Chromium)', function () {
  this.timeout(120_000);
  let bot: BotHarness;
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
    bot = await startBot({ LOCAL_DIRECTLINE: '1' });
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  it('masks it when the conversation is replayed, as when it was typed', async () => {
    const { context } = await frenchContext(browser);
    const page = await context.newPage();
    await page.goto(`${bot.url}/`);
    const chat = chatUi(page);
    await chat.botSaid(/Bonjour/).waitFor(WAIT);
    await chat.walkToPasswordCard('claire.martin@ac-paris.fr');
    await chat.say('Radium1898x');
    await chat.seen(/Écrivez une seconde fois le même mot de passe/);
    const before = await page.evaluate(() => document.body.textContent ?? '');
    assert.ok(!before.includes('Radium1898x'), 'masked before the reload');
    await page.reload();
    await chat.seen(/Écrivez une seconde fois le même mot de passe/);
    await page.waitForTimeout(1000);
    const after = await page.evaluate(() => document.body.textContent ?? '');
    assert.ok(!after.includes('Radium1898x'), 'the password shows in clear after the reload');
    // A shared computer: « Nouvelle conversation » forgets it on this device, from the keyboard.
    await page.getByRole('button', { name: 'Nouvelle conversation' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForLoadState('load');
    await chat.botSaid(/Bonjour/).waitFor(WAIT);
    await page.waitForTimeout(1000);
    assert.equal(await chat.userSaid(/claire\.martin/).count(), 0, 'the old conversation is gone');
  });
});
