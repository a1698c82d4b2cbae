import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { walkToPassword } from '../support/walk';

const NATIONAL = 'national';
const PASSWORD = 'Console-Assistance-2014';
const basic = (login: string) => ({
  Authorization: `Basic ${Buffer.from(`${login}:${PASSWORD}`).toString('base64')}`,
});

describe('handoff: what a review found (regressions), real app and Redis', function () {
  this.timeout(60_000);
  let bot: BotHarness;
  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `${NATIONAL}:${phc}` });
  });
  after(async () => bot?.close());
  afterEach(() => sinon.restore());
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${bot.url}${path}`, {
      ...init,
      headers: { ...basic(NATIONAL), 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
  const path = (id: string, action: string) =>
    `/helpdesk/api/handoffs/webchat/${encodeURIComponent(id)}/${action}`;
  const thread = async (id: string) =>
    ((await (await api(path(id, 'messages'))).json()) as Array<{ from: string; text: string }>).map(
      (m) => `${m.from}: ${m.text}`,
    );

  it('does not copy to the agent’s thread a password typed at the prompt while the request waits', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    assert.match(textOf(await chat.say('parler à un conseiller')), /Je transmets votre demande/);
    // While waiting the bot still helps: the teacher creates the account and types a passphrase.
    await walkToPassword(chat, 'marie.curie@ac-paris.fr');
    await chat.say('les quatre saisons de vivaldi');
    const texts = await thread(chat.id);
    assert.doesNotMatch(texts.join('\n'), /quatre saisons/, texts.join('\n'));
  });

  it('« annuler » while waiting, inside the activation, withdraws the request and ends the step', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    await chat.say('parler à un conseiller');
    await chat.say('Créer mon compte électeur');
    assert.match(textOf(await chat.say('annuler')), /je retire votre demande/);
    const next = textOf(await chat.say('Quand se termine le vote ?'));
    const listed = (await (await api('/helpdesk/api/handoffs')).json()) as Array<{ conversationId: string }>;
    assert.equal(
      listed.some((h) => h.conversationId === chat.id),
      false,
    );
    assert.doesNotMatch(next, /Avez-vous déjà activé/, 'the activation step is still open after « annuler »');
  });

  it('does not leave the bot silent when the « ended » turn could not reach the channel', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    await chat.say('parler à un conseiller');
    assert.equal((await api(path(chat.id, 'take'), { method: 'POST' })).status, 200);
    await bot.connector.waitFor(
      (p) => p.conversationId === chat.id && /a pris votre demande/.test(p.activity.text ?? ''),
    );
    bot.connector.faults.push('error500');
    // Ended in the store; the teacher's conversation could not be told: the agent gets no 500.
    assert.equal((await api(path(chat.id, 'end'), { method: 'POST' })).status, 200);
    assert.equal((await api(path(chat.id, 'end'), { method: 'POST' })).status, 404);
    const reply = await chat.say('Quand se termine le vote ?');
    assert.match(textOf(reply), /4 décembre 2014/, 'the bot stays silent: memory.handoff still « taken »');
  });

  it('keeps a request made on Friday evening outside the hours until after Monday’s opening', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    // Friday 21 November 2014, 18:30 Paris.
    sinon.stub(bot.app.clock, 'now').returns(new Date('2014-11-21T18:30:00+01:00'));
    const said = textOf(await chat.say('parler à un conseiller'));
    assert.match(said, /lundi 24 novembre 2014 à 8/);
    const keys = await bot.redis.keys();
    const key = keys.find((k) => k.includes('h:') && k.includes(chat.id)) as string;
    const ttl = await bot.redis.redis.pttl(key);
    const untilMonday = Date.parse('2014-11-24T08:00:00+01:00') - Date.parse('2014-11-21T18:30:00+01:00');
    assert.ok(ttl > untilMonday, 'the request expires before the helpdesk opens');
  });
});
