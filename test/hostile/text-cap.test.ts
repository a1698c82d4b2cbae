import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'mocha';
import { t } from '../../src/i18n';
import { type BotHarness, type BotReply, startBot, textOf } from '../support/bot-harness';
import { dumpRedis } from '../support/redis-dump';
import { MAX_GROWTH, median } from './growth';
import { PLAIN_QUESTION } from './text-shapes';

/**
 * Issue 10's reproduction: an `event` named passwordEntered whose text is 20,000 characters of « . »
 * runs, sent after « créer mon compte », took 3.4 s while /healthz waited behind it. Every activity type
 * now meets one cap (MAX_MESSAGE_LENGTH, 2,000) on its text and on every string of its value: such a turn is
 * refused in French at once, and costs no more than a plain question (within MAX_GROWTH on a busy machine,
 * medians of several tries); /healthz, asked while it runs, answers as fast.
 */
const HOSTILE = `a${' .'.repeat(10_000)}x`;
const TRIES = 7;
const FIXTURES = path.resolve(__dirname, '../fixtures/teams');

function teamsFixture(prefix: string): Record<string, unknown> {
  const file = fs.readdirSync(FIXTURES).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no Teams fixture ${prefix}`);
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
}

describe('hostile text over the cap: refused at once, for every activity type', function () {
  this.timeout(120_000);
  let bot: BotHarness;
  let plainChat: ReturnType<BotHarness['conversation']>;

  before(async () => {
    bot = await startBot();
    plainChat = bot.conversation('webchat');
    for (let i = 0; i < 3; i += 1) await plainChat.say(PLAIN_QUESTION);
  });
  after(async () => {
    await bot?.close();
  });

  interface Timed {
    status: number;
    replies: BotReply[];
    ms: number;
    healthMs: number;
  }

  /** Posts `activity`; while it is processed (20 ms later), asks /healthz; times both. */
  async function timed(activity: Record<string, unknown>): Promise<Timed> {
    const started = performance.now();
    const turn = bot.post(activity).then(async (response) => {
      const ms = performance.now() - started;
      const body = await response.text();
      const replies =
        response.status === 200 && body
          ? ((JSON.parse(body) as { activities?: BotReply[] }).activities ?? [])
          : [];
      return { status: response.status, replies, ms };
    });
    await sleep(20);
    const asked = performance.now();
    const health = await fetch(`${bot.url}/healthz`);
    const healthMs = performance.now() - asked;
    assert.equal(health.status, 200);
    return { ...(await turn), healthMs };
  }

  /**
   * TRIES times: a plain question, then `activity()`, refused as `expect` says. Interleaved, so that a burst
   * of load on the machine falls on both; the medians of the refusal and of /healthz within MAX_GROWTH of
   * the plain question's.
   */
  async function refusedFast(
    activity: () => Record<string, unknown>,
    expect: (t: Timed) => void,
  ): Promise<void> {
    const results: Timed[] = [];
    const plain: number[] = [];
    for (let i = 0; i < TRIES; i += 1) {
      const started = performance.now();
      await plainChat.say(PLAIN_QUESTION);
      plain.push(performance.now() - started);
      const result = await timed(activity());
      expect(result);
      results.push(result);
    }
    const plainMs = median(plain);
    const refusal = median(results.map((r) => r.ms));
    const health = median(results.map((r) => r.healthMs));
    const figures = `refusal ${refusal.toFixed(1)} ms, /healthz ${health.toFixed(1)} ms, plain question ${plainMs.toFixed(1)} ms`;
    assert.ok(refusal <= plainMs * MAX_GROWTH, figures);
    assert.ok(health <= plainMs * MAX_GROWTH, figures);
  }

  const tooLong = (result: Timed) => {
    assert.equal(result.status, 200);
    assert.deepEqual(
      result.replies.map((r) => r.text),
      [t('bot.tooLong')],
    );
  };

  function activity(conversationId: string, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      channelId: 'webchat',
      serviceUrl: bot.connector.serviceUrl,
      conversation: { id: conversationId },
      from: { id: `user-${conversationId}`, name: 'Jeanne Martin' },
      recipient: { id: 'assistant-electeur' },
      deliveryMode: 'expectReplies',
      locale: 'fr-FR',
      ...extra,
    };
  }

  it('refuses an event passwordEntered with a 20,000-character text sent after « créer mon compte », and the step stays', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    assert.match(textOf(await chat.say('Créer mon compte électeur')), /Avez-vous déjà activé/);
    const marker = `Marqueur${randomUUID().replace(/-/g, '')}`;
    await refusedFast(
      () =>
        activity(chat.id, {
          type: 'event',
          name: 'passwordEntered',
          text: `${marker}${HOSTILE}`,
          from: chat.user,
        }),
      tooLong,
    );
    assert.match(
      textOf(await chat.say('oui')),
      /adresse de messagerie professionnelle/,
      'the step did not move',
    );
    const dump = await dumpRedis(bot.redis.redis, await bot.redis.keys());
    assert.ok(dump.includes(chat.id), 'the dump read the conversation');
    assert.ok(!dump.includes(marker), 'nothing of the refused turns is stored');
  });

  it('refuses the same text in a card submit (value), nested as Teams nests it, and in an event value', async () => {
    const conversation = `conv-${randomUUID()}`;
    for (const extra of [
      { type: 'message', value: { action: 'submitPassword', password: HOSTILE, confirmation: HOSTILE } },
      { type: 'message', value: { action: { type: 'Action.Submit', data: { note: [HOSTILE] } } } },
      { type: 'event', name: 'passwordEntered', value: { entryId: HOSTILE } },
    ])
      await refusedFast(() => activity(conversation, extra), tooLong);
  });

  it('refuses a Teams invoke (Action.Execute) holding it, with a 400, as fast', async () => {
    const invoke = () => {
      const fixture = structuredClone(teamsFixture('05a')) as {
        value: { action: { data: Record<string, unknown> } };
      };
      fixture.value.action.data.password = HOSTILE;
      return {
        ...fixture,
        id: `f:${randomUUID()}`,
        serviceUrl: bot.connector.serviceUrl,
        deliveryMode: 'expectReplies',
      };
    };
    await refusedFast(invoke, (result) => assert.equal(result.status, 400));
  });

  it('refuses a 100,000-character text before any turn, with a French 400', async () => {
    const conversation = `conv-${randomUUID()}`;
    await refusedFast(
      () => activity(conversation, { type: 'message', text: 'a'.repeat(100_000) }),
      (result) => assert.equal(result.status, 400),
    );
  });

  describe('Teams: the text/html copy of a message does not count', () => {
    function teamsMessage(text: string, html: string): Record<string, unknown> {
      return {
        ...structuredClone(teamsFixture('03a')),
        id: String(Date.now() + Math.floor(Math.random() * 1e6)),
        conversation: { conversationType: 'personal', id: `a:1xFiCtIf${randomUUID()}` },
        serviceUrl: bot.connector.serviceUrl,
        deliveryMode: 'expectReplies',
        text,
        attachments: [{ contentType: 'text/html', content: html }],
      };
    }
    const words = (n: number) => 'Bonjour, je voudrais savoir quand a lieu le vote. '.repeat(60).slice(0, n);

    it('answers a long message at the cap whose HTML copy is much longer', async () => {
      const text = words(1_990);
      const html = `<div><p><strong>${text.replace(/ /g, '&nbsp;')}</strong></p></div>`;
      assert.ok(html.length > 3_000, `the copy is much longer than the cap: ${html.length}`);
      const response = await bot.post(teamsMessage(text, html));
      assert.equal(response.status, 200);
      const replies = ((await response.json()) as { activities?: BotReply[] }).activities ?? [];
      assert.ok(replies.length > 0);
      assert.ok(!textOf(replies).includes(t('bot.tooLong')), textOf(replies));
    });

    it('still refuses a Teams text over the cap', async () => {
      const text = words(2_001);
      const response = await bot.post(teamsMessage(text, `<p>${text}</p>`));
      const replies = ((await response.json()) as { activities?: BotReply[] }).activities ?? [];
      assert.equal(textOf(replies), t('bot.tooLong'));
    });
  });
});
