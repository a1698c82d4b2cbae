import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'mocha';
import { conversationTag } from '../../src/domain/accounts/requests';
import { RedisReminderStore } from '../../src/infra/redis/reminder-store';
import { textOf } from '../support/bot-harness';
import { type BotProcess, CRASH_SIGNS, startBotProcess } from '../support/bot-process';
import { startFakeConnector } from '../support/fake-connector';
import { httpChat } from '../support/http-chat';
import { eventually } from '../support/poll';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '../support/redis';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink';

const VOTE_OPENS = Date.parse('2014-11-27T10:00:00+01:00');
const VOTE_CLOSES = Date.parse('2014-12-04T17:00:00+01:00');
/** More than one poll of the reminder worker (5 s): whatever was left to say has been said by then. */
const QUIET_MS = 7_000;

/**
 * `src/index.ts` in child processes sharing one Redis (a private key prefix), an SMTP sink and a fake
 * channel: reminders are claimed by one instance each, and survive a kill -9 of the one that scheduled
 * them. Each process's CLOCK_NOW puts it where the test needs it on the election's timeline.
 */
describe('fault: reminders across bot processes (shared Redis, kill -9)', function () {
  this.timeout(240_000);
  let redis: TestRedis;
  let sink: SmtpSink;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let store: RedisReminderStore;
  const processes: BotProcess[] = [];

  const start = async (clockNow: number) => {
    const bot = await startBotProcess({
      redisUrl: TEST_REDIS_URL,
      smtpUrl: sink.url,
      env: { REDIS_PREFIX: redis.prefix, CLOCK_NOW: new Date(clockNow).toISOString() },
    });
    processes.push(bot);
    return bot;
  };

  before(async () => {
    redis = await testRedis();
    sink = await startSmtpSink();
    connector = await startFakeConnector();
    store = new RedisReminderStore(redis.redis, { prefix: redis.prefix });
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await connector.close();
    await sink.close();
    await redis.cleanup();
  });

  const postsTo = (id: string) => connector.posted.filter((p) => p.conversationId === id);

  it('two processes polling one queue say each due reminder exactly once', async () => {
    const [a, b] = await Promise.all([start(VOTE_OPENS + 60_000), start(VOTE_OPENS + 60_000)]);
    // Scheduled while both poll: 60 conversations whose « le vote est ouvert » is due (three batches).
    const ids: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      const id = `conv-${randomUUID()}`;
      ids.push(id);
      const conversation = {
        channelId: 'webchat',
        serviceUrl: connector.serviceUrl,
        conversation: { id },
        user: { id: `user-${i}` },
        bot: { id: 'assistant-electeur' },
        locale: 'fr-FR',
      };
      const tag = conversationTag(conversation) ?? '';
      await store.schedule(
        {
          id: `${tag}:voteOpens`,
          kind: 'voteOpens',
          conversationTag: tag,
          conversation,
          dueAt: VOTE_OPENS,
          until: VOTE_CLOSES,
        },
        VOTE_OPENS,
      );
    }
    const all = await eventually(async () => ids.every((id) => postsTo(id).length > 0), 60_000, 200);
    assert.ok(all, `${ids.filter((id) => postsTo(id).length > 0).length} of 60 said`);
    await sleep(QUIET_MS);
    for (const id of ids) {
      const said = postsTo(id);
      assert.equal(said.length, 1, `conversation ${id} told ${said.length} times`);
      assert.match(said[0]?.activity.text ?? '', /Le vote est ouvert/);
    }
    assert.equal(connector.received.filter((p) => ids.includes(p.conversationId)).length, 60, 'no resend');
    assert.equal(await redis.redis.zcard(`${redis.prefix}{reminders}:due`), 0, 'nothing left in the queue');
    for (const p of [a, b]) assert.doesNotMatch(p.output(), CRASH_SIGNS);
    await Promise.all([a.kill('SIGKILL'), b.kill('SIGKILL')]);
  });

  it('a reminder scheduled by a process killed with SIGKILL is said once by the next one', async () => {
    // An hour before the vote opens, the teacher asks process A.
    const a = await start(VOTE_OPENS - 3_600_000);
    const chat = httpChat(a.url, connector.serviceUrl)('webchat');
    await chat.join();
    assert.match(textOf(await chat.say('Prévenez-moi quand le vote ouvre')), /C’est noté/);
    const tag = conversationTag({ channelId: 'webchat', conversation: { id: chat.id } }) ?? '';
    assert.deepEqual((await store.scheduled(tag)).map((r) => r.kind).sort(), ['voteClosing', 'voteOpens']);
    await a.kill('SIGKILL');

    // Process B starts after the opening: it finds the reminder in Redis and says it, once.
    const b = await start(VOTE_OPENS + 30_000);
    await connector.waitFor((p) => p.conversationId === chat.id, 30_000);
    await sleep(QUIET_MS);
    const said = postsTo(chat.id);
    assert.equal(said.length, 1);
    assert.match(said[0]?.activity.text ?? '', /Le vote est ouvert/);
    // The closing one still waits for its time (4 December, 11 h).
    assert.deepEqual(
      (await store.scheduled(tag)).map((r) => r.kind),
      ['voteClosing'],
    );
    assert.doesNotMatch(b.output(), CRASH_SIGNS);
  });
});
