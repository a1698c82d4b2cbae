import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { walkToPassword } from '../support/walk';

const AGENT = 'paris1';
const OTHER = 'paris2';
const CRETEIL = 'creteil';
/** Of every académie: the only agents who see a conversation whose académie is not known. */
const NATIONAL = 'national';
const PASSWORD = 'Console-Assistance-2014';
const TEACHER = 'marie.curie@ac-paris.fr';

function basic(login: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${login}:${PASSWORD}`).toString('base64')}` };
}

interface Listed {
  channelId: string;
  conversationId: string;
  status: string;
  since: string;
  agent?: string;
  email?: string;
}

/**
 * Issue 15, handoff: a teacher asks for a person in the chat (at the password prompt), an agent takes the
 * conversation through the JSON API, writes, reads the teacher's answer, ends it; on the real app, real
 * Redis, the replies reaching the teacher's channel as proactive messages (fake connector).
 */
describe('handoff: teacher ↔ helpdesk agent through the queue (real app, real Redis)', function () {
  this.timeout(60_000);
  let bot: BotHarness;

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({
      HELPDESK_USERS: `${AGENT}:${phc}:ac-paris.fr ${OTHER}:${phc}:ac-paris.fr ${CRETEIL}:${phc}:ac-creteil.fr ${NATIONAL}:${phc}`,
    });
  });
  after(async () => {
    await bot?.close();
  });
  afterEach(() => sinon.restore());

  const api = (login: string, path: string, init: RequestInit = {}) =>
    fetch(`${bot.url}${path}`, {
      ...init,
      headers: { ...basic(login), 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
  const list = async (login: string) =>
    (await (await api(login, '/helpdesk/api/handoffs')).json()) as Listed[];
  const path = (id: string, action: string) =>
    `/helpdesk/api/handoffs/webchat/${encodeURIComponent(id)}/${action}`;
  const proactive = (conversationId: string, pattern: RegExp) =>
    bot.connector.waitFor((p) => p.conversationId === conversationId && pattern.test(p.activity.text ?? ''));

  it('goes from the request to the end: queue, take, replies both ways, silence meanwhile, the bot back', async () => {
    const chat = bot.conversation('webchat');
    await walkToPassword(chat, TEACHER);
    // At the password prompt: the step ends, nothing is taken as a password, the request is queued.
    const asked = textOf(await chat.say('Je voudrais parler à un conseiller svp'));
    assert.match(asked, /J’arrête la saisie du mot de passe/);
    assert.match(asked, /Je transmets votre demande à un conseiller/);

    const queued = (await list(AGENT)).find((h) => h.conversationId === chat.id);
    assert.ok(queued);
    assert.equal(queued.status, 'waiting');
    assert.equal(queued.email, TEACHER);
    assert.ok(!Number.isNaN(Date.parse(queued.since)));
    // An agent of another académie does not see it, and may not take it (403, audited).
    assert.equal(
      (await list(CRETEIL)).some((h) => h.conversationId === chat.id),
      false,
    );
    assert.equal((await api(CRETEIL, path(chat.id, 'take'), { method: 'POST' })).status, 403);

    // While waiting the bot still helps, and the message is kept for the agent.
    assert.match(textOf(await chat.say('Quand se termine le vote ?')), /4 décembre 2014/);

    assert.equal((await api(AGENT, path(chat.id, 'take'), { method: 'POST' })).status, 200);
    await proactive(chat.id, /Un conseiller de l’assistance a pris votre demande/);
    // One agent only.
    assert.equal((await api(OTHER, path(chat.id, 'take'), { method: 'POST' })).status, 409);

    const sent = await api(AGENT, path(chat.id, 'messages'), {
      method: 'POST',
      body: JSON.stringify({ text: 'Bonjour, je regarde votre demande. Avez-vous reçu le mail ?' }),
    });
    assert.equal(sent.status, 202);
    const agentLine = await proactive(chat.id, /Conseiller.*je regarde votre demande/);
    assert.equal(agentLine.activity.type, 'message');
    // Another agent may not write in it.
    const intruder = await api(OTHER, path(chat.id, 'messages'), {
      method: 'POST',
      body: JSON.stringify({ text: 'x' }),
    });
    assert.equal(intruder.status, 409);

    // The bot is silent while the agent holds the conversation; the teacher's words reach the agent.
    assert.deepEqual(await chat.say('Non, rien reçu, ni dans les spams'), []);
    const numen = await chat.say('mon numen est 14E0512345ABC');
    assert.match(textOf(numen), /ne donnez jamais votre NUMEN/);
    const thread = (await (await api(AGENT, path(chat.id, 'messages'))).json()) as Array<{
      cursor: string;
      from: string;
      text: string;
    }>;
    const texts = thread.map((m) => `${m.from}: ${m.text}`);
    assert.ok(texts.includes('teacher: Quand se termine le vote ?'), texts.join('\n'));
    assert.ok(texts.includes('agent: Bonjour, je regarde votre demande. Avez-vous reçu le mail ?'));
    assert.ok(texts.includes('teacher: Non, rien reçu, ni dans les spams'));
    assert.doesNotMatch(texts.join('\n'), /14E0512345ABC/);
    // Only what came after a cursor.
    const cursor = thread.find((m) => m.text.startsWith('Non, rien'))?.cursor as string;
    const newer = (await (await api(AGENT, `${path(chat.id, 'messages')}?after=${cursor}`)).json()) as Array<{
      text: string;
    }>;
    assert.equal(newer.length, 1);
    assert.match(newer[0]?.text ?? '', /\[masqué\]|numen/i);

    assert.equal((await api(AGENT, path(chat.id, 'end'), { method: 'POST' })).status, 200);
    await proactive(chat.id, /Le conseiller a terminé l’échange/);
    assert.equal(
      (await list(AGENT)).some((h) => h.conversationId === chat.id),
      false,
    );
    // The bot is back.
    assert.match(textOf(await chat.say('Quand se termine le vote ?')), /4 décembre 2014/);

    // Every take, message and end is audited (who and when), the texts are not in the audit.
    const audit = (await (await api(AGENT, '/helpdesk/api/audit?limit=50')).json()) as Array<{
      login: string;
      action: string;
      target: string;
    }>;
    const mine = audit.filter((a) => a.target === `webchat/${chat.id}`).map((a) => `${a.login} ${a.action}`);
    for (const line of [`${AGENT} handoff.take`, `${AGENT} handoff.message`, `${AGENT} handoff.end`])
      assert.ok(mine.includes(line), mine.join('\n'));
    assert.doesNotMatch(JSON.stringify(audit), /je regarde votre demande/);

    // The agent's words live in the transcript, like the bot's.
    const transcript = JSON.stringify(await bot.app.transcripts.activities('webchat', chat.id));
    assert.match(transcript, /je regarde votre demande/);
    assert.doesNotMatch(transcript, /14E0512345ABC/);
  });

  it('offers a person when a problem persists, and after two messages not understood', async () => {
    const stuck = bot.conversation('webchat');
    await stuck.join();
    await stuck.say('Je n’ai pas reçu le mail de confirmation');
    await stuck.say('toujours rien');
    const next = await stuck.say('toujours rien, j’ai tout vérifié');
    assert.match(textOf(next), /écrire à un conseiller de l’assistance/);
    assert.ok(
      next.some((r) => r.suggestedActions?.actions.some((a) => a.title === 'Parler à un conseiller')),
    );
    const lost = bot.conversation('webchat');
    await lost.join();
    assert.doesNotMatch(textOf(await lost.say('zorglub fnouf')), /conseiller/);
    const second = await lost.say('plopi plopa');
    assert.match(textOf(second), /Voulez-vous parler à un conseiller/);
    // The choice itself is the request.
    assert.match(textOf(await lost.say('Parler à un conseiller')), /Je transmets votre demande/);
  });

  it('works the same on Teams: the agent’s words reach the Teams conversation through its connector', async () => {
    const teams = bot.conversation('msteams', {
      channelData: { tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
    });
    await teams.join();
    assert.match(textOf(await teams.say('je veux parler à un conseiller')), /Je transmets votre demande/);
    const teamsPath = (action: string) =>
      `/helpdesk/api/handoffs/msteams/${encodeURIComponent(teams.id)}/${action}`;
    assert.equal((await api(NATIONAL, teamsPath('take'), { method: 'POST' })).status, 200);
    const sent = await api(NATIONAL, teamsPath('messages'), {
      method: 'POST',
      body: JSON.stringify({ text: 'Bonjour, je suis conseiller à l’assistance.' }),
    });
    assert.equal(sent.status, 202);
    const posted = await proactive(teams.id, /je suis conseiller à l’assistance/);
    assert.equal(posted.activity.type, 'message');
    assert.equal((await api(NATIONAL, teamsPath('end'), { method: 'POST' })).status, 200);
    await proactive(teams.id, /Le conseiller a terminé l’échange/);
  });

  it('ignores the product’s events when a channel sends them: nobody forges an agent’s words or a confirmation', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    await chat.say('parler à un conseiller');
    const forged = [
      { type: 'event', name: 'handoff', value: { kind: 'message', text: 'Votre compte est supprimé.' } },
      { type: 'event', name: 'handoff', value: { kind: 'ended' } },
      { type: 'event', name: 'accountConfirmed', value: {} },
      { type: 'event', name: 'reminderDue', value: { kind: 'voteOpens' } },
    ];
    for (const activity of forged) assert.deepEqual(await chat.send(activity), [], activity.name);
    const transcript = JSON.stringify(await bot.app.transcripts.activities('webchat', chat.id));
    assert.doesNotMatch(transcript, /Conseiller|compte électeur est confirmé/);
    // Still waiting: the forged « ended » changed nothing.
    assert.equal((await list(NATIONAL)).find((h) => h.conversationId === chat.id)?.status, 'waiting');
    assert.match(textOf(await chat.say('annuler')), /je retire votre demande/);
  });

  it('« annuler » leaves the queue; asking twice is one request', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    assert.match(textOf(await chat.say('un vrai humain svp')), /Je transmets votre demande/);
    assert.match(textOf(await chat.say('je voudrais parler à quelqu’un')), /déjà transmise/);
    assert.equal((await list(NATIONAL)).filter((h) => h.conversationId === chat.id).length, 1);
    // Nothing known of the académie: agents of one académie do not see it.
    assert.equal(
      (await list(AGENT)).some((h) => h.conversationId === chat.id),
      false,
    );
    assert.match(textOf(await chat.say('annuler')), /je retire votre demande/);
    assert.equal(
      (await list(NATIONAL)).some((h) => h.conversationId === chat.id),
      false,
    );
  });

  it('refuses bad input from the console: empty or huge text, unknown conversation, a cross-site write', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    await chat.say('parler à un conseiller');
    assert.equal((await api(NATIONAL, path(chat.id, 'take'), { method: 'POST' })).status, 200);
    for (const text of ['', '   ', 'x'.repeat(2001), 42]) {
      const r = await api(NATIONAL, path(chat.id, 'messages'), {
        method: 'POST',
        body: JSON.stringify({ text }),
      });
      assert.equal(r.status, 400, String(text).slice(0, 10));
    }
    assert.equal((await api(NATIONAL, path('inconnue-123', 'take'), { method: 'POST' })).status, 404);
    // The same through the console's form: the page again, the reason said and tied to the field.
    const page = await (await api(NATIONAL, `/helpdesk/handoffs/webchat/${chat.id}`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const refused = await api(NATIONAL, '/helpdesk/handoffs/reply', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        channelId: 'webchat',
        conversationId: chat.id,
        text: '  ',
        csrf,
      }).toString(),
    });
    assert.equal(refused.status, 400);
    // At the limit, in the longest encoding French gives (2,000 accented letters, 6 bytes each in the form).
    const longest = (text: string) =>
      api(NATIONAL, '/helpdesk/handoffs/reply', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channelId: 'webchat', conversationId: chat.id, text, csrf }).toString(),
        redirect: 'manual',
      });
    assert.equal((await longest('é'.repeat(2000))).status, 303);
    assert.equal((await longest('é'.repeat(2001))).status, 400);
    const html = await refused.text();
    assert.match(html, /Écrivez un message de 1 à 2\u00a0000 caractères/);
    assert.match(html, /aria-invalid="true"/);
    const crossSite = await api(NATIONAL, path(chat.id, 'end'), {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    assert.equal(crossSite.status, 403);
    assert.equal((await api(NATIONAL, path(chat.id, 'end'), { method: 'POST' })).status, 200);
  });

  it('sends a silent agent’s conversation back to the queue, and tells an untaken one that nobody could answer', async () => {
    const silent = bot.conversation('webchat');
    await silent.join();
    await silent.say('parler à un conseiller');
    assert.equal((await api(NATIONAL, path(silent.id, 'take'), { method: 'POST' })).status, 200);
    const untaken = bot.conversation('webchat');
    await untaken.join();
    await untaken.say('parler à un conseiller');

    const now = bot.app.clock.now();
    sinon.stub(bot.app.clock, 'now').returns(new Date(now.getTime() + 11 * 60_000));
    await bot.app.sweepHandoffs();
    await proactive(silent.id, /Le conseiller a dû s’absenter/);
    assert.equal((await list(NATIONAL)).find((h) => h.conversationId === silent.id)?.status, 'waiting');

    sinon.restore();
    sinon.stub(bot.app.clock, 'now').returns(new Date(now.getTime() + 31 * 60_000));
    await bot.app.sweepHandoffs();
    await proactive(untaken.id, /Aucun conseiller n’a pu vous répondre/);
    assert.equal(
      (await list(NATIONAL)).some((h) => h.conversationId === untaken.id),
      false,
    );
    // The bot is the teacher's again.
    sinon.restore();
    assert.match(textOf(await untaken.say('Quand se termine le vote ?')), /4 décembre 2014/);
  });
});

describe('handoff outside the helpdesk’s hours (real app)', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    // Saturday 22 November 2014, 11 h in Paris.
    bot = await startBot({ HELPDESK_USERS: `${AGENT}:${phc}`, CLOCK_NOW: '2014-11-22T11:00:00+01:00' });
  });
  after(async () => {
    await bot?.close();
  });

  it('says when the helpdesk answers and keeps the request for it', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    const text = textOf(await chat.say('Je voudrais parler à un conseiller'));
    assert.match(text, /L’assistance répond en direct du lundi au vendredi, de 8\u00a0h à 18\u00a0h/);
    assert.match(text, /à partir du lundi 24 novembre 2014 à 8\u00a0h/);
    const listed = (await (
      await fetch(`${bot.url}/helpdesk/api/handoffs`, { headers: basic(AGENT) })
    ).json()) as Array<Listed & { outsideHours?: boolean }>;
    assert.equal(listed.find((h) => h.conversationId === chat.id)?.outsideHours, true);
  });
});
