import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, linkIn, startBot } from '../support/bot-harness';
import { requestAccount, SENT } from '../support/walk';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Assistance-2014';
const TEACHER = 'sophie.germain@ac-paris.fr';
const VOTER_PASSWORD = 'Germain1776';

function basic(login: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` };
}

/**
 * The helpdesk console on the real app: a teacher's activation through /api/messages, then the agent
 * finds it, reads it (redacted, escaped), resends the mail, exports the transcript; every step audited.
 */
describe('helpdesk console on the real app (real Redis, real SMTP)', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  let conversationId: string;

  before(async () => {
    // A cheap hash for the test: the PHC carries its own parameters.
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `${LOGIN}:${phc}` });
    const chat = bot.conversation('webchat');
    conversationId = chat.id;
    await chat.say('<script>alert("x")</script>');
    await chat.say('azerty qsdf');
    assert.match(await requestAccount(chat, TEACHER, VOTER_PASSWORD), SENT);
    await bot.smtp.waitForMessages(1);
  });
  after(async () => {
    await bot?.close();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${bot.url}${path}`, { ...init, headers: { ...basic(LOGIN, PASSWORD), ...(init.headers ?? {}) } });

  it('refuses without credentials and with a wrong password', async () => {
    const path = `/helpdesk/api/conversations?email=${encodeURIComponent(TEACHER)}`;
    assert.equal((await fetch(`${bot.url}${path}`)).status, 401);
    assert.equal((await fetch(`${bot.url}${path}`, { headers: basic(LOGIN, 'wrong-password') })).status, 401);
  });

  it('finds the conversation by the address the teacher gave, with the account status', async () => {
    const response = await api(`/helpdesk/api/conversations?email=${encodeURIComponent(TEACHER)}`);
    assert.equal(response.status, 200);
    const list = (await response.json()) as Array<Record<string, unknown>>;
    const found = list.find((c) => c.conversationId === conversationId);
    assert.ok(found, JSON.stringify(list));
    assert.equal(found.channelId, 'webchat');
    assert.equal(found.email, TEACHER);
    assert.equal(found.accountStatus, 'pending');
    assert.doesNotMatch(JSON.stringify(list), /argon2|tokenHash|sealed/);
  });

  it('shows the transcript redacted, and a teacher’s <script> as text', async () => {
    const exported = await api(`/helpdesk/api/transcripts/webchat/${encodeURIComponent(conversationId)}`);
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-disposition') ?? '', /attachment; filename=".*\.transcript"/);
    const activities = (await exported.json()) as Array<{
      type: string;
      text?: string;
      from?: { role?: string };
    }>;
    assert.ok(Array.isArray(activities) && activities.length > 8);
    const texts = activities.map((a) => a.text ?? '').join('\n');
    assert.match(texts, /Créer mon compte électeur/);
    assert.match(texts, /Un mail part vers votre adresse/);
    assert.doesNotMatch(JSON.stringify(activities), new RegExp(VOTER_PASSWORD));

    const page = await api(`/helpdesk/transcripts/webchat/${encodeURIComponent(conversationId)}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, new RegExp(VOTER_PASSWORD));
  });

  it('resends the mail: a new link works with the same password, the previous one is replaced', async () => {
    const [first] = await bot.smtp.waitForMessages(1);
    assert.ok(first);
    const response = await api(`/helpdesk/api/accounts/${encodeURIComponent(TEACHER)}/resend`, {
      method: 'POST',
      headers: { Origin: bot.url },
    });
    assert.equal(response.status, 202, await response.clone().text());
    const mails = await bot.smtp.waitForMessages(2);
    const second = mails.at(-1);
    assert.ok(second && second !== first);
    assert.equal((await fetch(linkIn(first.text))).status, 410);
    assert.equal((await fetch(linkIn(second.text))).status, 200, 'the new link shows the form');
    // Not confirmed here: the account stays pending for the tests below.
    const page = await fetch(linkIn(second.text));
    assert.match(await page.text(), /Mot de passe électeur/);
  });

  it('counts the campaign: accounts, mails, intents and misunderstood messages (statistics)', async () => {
    const response = await api('/helpdesk/api/stats?days=7');
    assert.equal(response.status, 200);
    const stats = (await response.json()) as {
      daily: Array<{ day: string; accountsCreated: number; mailsSent: number }>;
      intents: Array<{ intent: string; count: number }>;
      misunderstood: Array<{ text: string }>;
      pendingOver24h: number;
    };
    // The demo clock is jeudi 20 novembre 2014 (Paris): the day of every event of this test.
    const today = stats.daily.find((d) => d.day === '2014-11-20');
    assert.equal(today?.accountsCreated, 1, JSON.stringify(stats.daily));
    assert.ok((today?.mailsSent ?? 0) >= 1);
    assert.equal(stats.pendingOver24h, 0);
    assert.ok(
      stats.misunderstood.some((m) => m.text === 'azerty qsdf'),
      JSON.stringify(stats.misunderstood),
    );
    assert.ok(stats.intents.length > 0);
    const page = await api('/helpdesk/stats');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<svg[\s\S]*<table/);
  });

  it('cancels the pending requests of an address: 200 with the count, the links say « annulée », 404 after', async () => {
    const email = 'emilie.chatelet@ac-paris.fr';
    // Not on webchat: the deletion test below counts the webchat transcripts left.
    assert.match(await requestAccount(bot.conversation('msteams'), email, VOTER_PASSWORD), SENT);
    assert.match(await requestAccount(bot.conversation('directline'), email, VOTER_PASSWORD), SENT);
    const links = (await bot.smtp.waitForMessages(4))
      .filter((m) => m.to.includes(email))
      .map((m) => linkIn(m.text));
    assert.equal(links.length, 2);
    const path = `/helpdesk/api/accounts/${encodeURIComponent(email)}/cancel`;
    assert.equal((await fetch(`${bot.url}${path}`, { method: 'POST' })).status, 401);
    assert.equal(
      (await api(path, { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } })).status,
      403,
      'not from another site',
    );
    const response = await api(path, { method: 'POST', headers: { Origin: bot.url } });
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { status: 'cancelled', email, cancelledRequests: 2 });
    for (const link of links) {
      const page = await fetch(link);
      assert.equal(page.status, 410);
      assert.match(await page.text(), /L’assistance de votre académie a annulé cette demande/);
    }
    assert.equal(await bot.app.accounts.status(email), null);
    const again = await api(path, { method: 'POST', headers: { Origin: bot.url } });
    assert.equal(again.status, 404);
    assert.match(await again.text(), /NO_PENDING_ACCOUNT/);
  });

  it('writes every read and action to the audit log', async () => {
    const response = await api('/helpdesk/api/audit');
    assert.equal(response.status, 200);
    const entries = (await response.json()) as Array<{ login: string; action: string; target: string }>;
    const mine = entries.filter((e) => e.login === LOGIN);
    const actions = new Set(mine.map((e) => e.action));
    for (const action of [
      'search',
      'transcript.read',
      'transcript.export',
      'account.resend',
      'account.cancel',
    ]) {
      assert.ok(actions.has(action), `${action} in ${[...actions].join(', ')}`);
    }
    assert.ok(mine.some((e) => e.action === 'account.resend' && e.target.includes(TEACHER)));
    // The wrong password of the first test: counted for the address and the hour, nothing else kept.
    const failed = entries.filter((e) => e.action === 'login.failed');
    assert.equal(failed.length, 1, JSON.stringify(failed));
    assert.deepEqual(Object.keys(failed[0] ?? {}).sort(), ['action', 'address', 'at', 'blocked', 'failed']);
    assert.ok(
      mine.some((e) => e.action === 'account.cancel' && e.target === 'email:emilie.chatelet@ac-paris.fr'),
    );
  });

  it('deletes one teacher’s transcripts on request, audited', async () => {
    const path = `/helpdesk/api/transcripts?email=${encodeURIComponent(TEACHER)}`;
    assert.equal((await fetch(`${bot.url}${path}`, { method: 'DELETE' })).status, 401);
    const response = await api(path, { method: 'DELETE', headers: { Origin: bot.url } });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(((await response.json()) as { deletedConversations: number }).deletedConversations, 1);
    const list = await api(`/helpdesk/api/conversations?email=${encodeURIComponent(TEACHER)}`);
    assert.deepEqual(await list.json(), []);
    assert.deepEqual(await bot.redis.redis.keys(`${bot.redis.prefix}tr:{webchat:*`), []);
    const audit = (await (await api('/helpdesk/api/audit')).json()) as Array<{
      action: string;
      target: string;
    }>;
    assert.ok(audit.some((e) => e.action === 'transcripts.delete' && e.target === `email:${TEACHER}`));
  });
});
