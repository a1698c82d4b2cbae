import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot } from '../support/bot-harness';
import { axeScan, frenchContext, launchChromium, type PageProblems, screenshot } from '../support/browser';
import { type ChatUi, chatUi } from '../support/webchat-ui';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Direct-2014';

/** No sideways scrolling at the width of a small phone (WCAG 1.4.10). */
async function noSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `the page is ${width} px wide at 320 px`);
}

/**
 * Issue 15 in two real browsers: a teacher in the Web Chat page (local Direct Line) asks for a person; an
 * agent on a phone-sized console takes the request with the keyboard, answers, sees the teacher's reply
 * arrive without reloading (live region), and ends the exchange. The teacher reloads the page in between:
 * the conversation, the agent's words included, is still there.
 */
describe('handoff in Chromium: the Web Chat page and the console (real app, real Redis)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let bot: BotHarness;
  let teacher: Page;
  let agent: Page;
  let chat: ChatUi;
  const problems: PageProblems[] = [];

  before(async () => {
    browser = await launchChromium();
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ LOCAL_DIRECTLINE: '1', HELPDESK_USERS: `${LOGIN}:${phc}` });
    const teacherSide = await frenchContext(browser);
    problems.push(teacherSide.problems);
    teacher = await teacherSide.context.newPage();
    const agentSide = await frenchContext(browser, {
      viewport: { width: 320, height: 640 },
      httpCredentials: { username: LOGIN, password: PASSWORD },
    });
    problems.push(agentSide.problems);
    agent = await agentSide.context.newPage();
    chat = chatUi(teacher);
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
  });

  it('the teacher asks for a person in the chat', async () => {
    await teacher.goto(`${bot.url}/`);
    await chat.seen(/Bonjour/);
    await chat.say('Bonjour, je voudrais parler à un conseiller svp');
    await chat.seen(/Je transmets votre demande à un conseiller/);
  });

  it('the agent finds it in the queue and takes it with the keyboard, on a 320 px screen', async () => {
    await agent.goto(`${bot.url}/helpdesk/handoffs`);
    await agent.getByText('1 demande(s) en attente.').waitFor();
    // The reload button works without script (a GET form): the same page, asked again.
    await agent.getByRole('button', { name: 'Actualiser la liste' }).focus();
    await agent.keyboard.press('Enter');
    await agent.waitForURL(/\/helpdesk\/handoffs\??$/);
    await agent.getByText('1 demande(s) en attente.').waitFor();
    await noSidewaysScroll(agent);
    const axe = await axeScan(agent, 'handoff-queue');
    assert.deepEqual(axe.blocking, []);
    await agent.getByRole('button', { name: 'Prendre' }).focus();
    await agent.keyboard.press('Enter');
    await agent.waitForURL(/\/helpdesk\/handoffs\/directline\//);
    await agent.getByRole('heading', { name: 'Échange en direct' }).waitFor();
    // What the teacher wrote while waiting is there.
    await agent.getByText('Bonjour, je voudrais parler à un conseiller svp').waitFor();
    await chat.seen(/Un conseiller de l’assistance a pris votre demande/);
  });

  it('the agent writes; the teacher reads it in the chat and answers; the agent sees it arrive', async () => {
    const reply = agent.getByRole('textbox', { name: 'Votre réponse à l’enseignant' });
    await reply.focus();
    await agent.keyboard.type('Bonjour Madame, avez-vous bien reçu le mail de confirmation ?');
    await agent.keyboard.press('Tab');
    await agent.keyboard.press('Enter');
    await agent.waitForURL(/\/helpdesk\/handoffs\/directline\//);
    await chat.seen(/Conseiller.*avez-vous bien reçu le mail de confirmation/);
    const axe = await axeScan(agent, 'handoff-conversation');
    assert.deepEqual(axe.blocking, []);
    await noSidewaysScroll(agent);

    // The bot is silent while the agent holds the conversation.
    const botBubbles = await chat.transcript
      .locator('.webchat__bubble:not(.webchat__bubble--from-user)')
      .count();
    await chat.say('Non, je ne l’ai pas reçu, même dans les indésirables.');
    // Without reloading: the page's script polls and announces it in its live region.
    await agent
      .getByText('Non, je ne l’ai pas reçu, même dans les indésirables.')
      .waitFor({ timeout: 15_000 });
    await agent
      .getByRole('status')
      .filter({ hasText: /nouveau\(x\) message/ })
      .waitFor();
    assert.equal(
      await chat.transcript.locator('.webchat__bubble:not(.webchat__bubble--from-user)').count(),
      botBubbles,
      'the bot said nothing',
    );
    await screenshot(agent, 'handoff-agent-320');
  });

  it('the teacher reloads the page: the same conversation comes back, the agent’s words included', async () => {
    await teacher.reload();
    await chat.seen(/Conseiller.*avez-vous bien reçu le mail de confirmation/);
    assert.equal(await chat.userSaid(/même dans les indésirables/).count(), 1);
  });

  it('the agent ends the exchange; the bot says it is back and answers again', async () => {
    await agent.getByRole('button', { name: 'Terminer l’échange' }).focus();
    await agent.keyboard.press('Enter');
    await agent.waitForURL(/\/helpdesk\/handoffs$/);
    await agent.getByText('Aucune demande en attente.').waitFor();
    await chat.seen(/Le conseiller a terminé l’échange/);
    await chat.say('Quand se termine le vote ?');
    await chat.seen(/4 décembre 2014/);
    await screenshot(teacher, 'handoff-teacher');
    for (const p of problems) {
      assert.deepEqual(p.csp, []);
      assert.deepEqual(p.errors, []);
    }
  });
});
