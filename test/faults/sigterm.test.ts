import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import { textOf } from '../support/bot-harness';
import { type BotProcess, CRASH_SIGNS, startBotProcess } from '../support/bot-process';
import { startFakeConnector } from '../support/fake-connector';
import { passwordCard, roamingConversation } from '../support/fault-chat';
import { eventually } from '../support/poll';
import { type PrivateRedis, startPrivateRedis } from '../support/redis-server';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { SENT, walkToPassword } from '../support/walk';

type FakeConnector = Awaited<ReturnType<typeof startFakeConnector>>;

/**
 * SIGTERM, as a platform sends it before replacing an instance: the real entry point lets the turn in
 * flight finish (its answer reaches the teacher), sends its mail, and exits 0.
 */
describe('fault: SIGTERM during a turn', function () {
  this.timeout(60_000);
  let redis: PrivateRedis;
  let sink: SmtpSink;
  let connector: FakeConnector;
  let bot: BotProcess;

  before(async () => {
    redis = await startPrivateRedis();
    sink = await startSmtpSink();
    connector = await startFakeConnector();
    bot = await startBotProcess({ redisUrl: redis.url, smtpUrl: sink.url, env: { LOG_LEVEL: 'info' } });
  });

  after(async () => {
    await bot.kill('SIGKILL');
    await connector.close();
    await sink.close();
    await redis.stop();
  });

  it('finishes the account request in flight, sends its mail, then exits 0', async () => {
    const address = 'sophie.garnier@ac-paris.fr';
    const chat = roamingConversation(connector.serviceUrl);
    await walkToPassword(chat.on(bot.url), address);

    // Redis holds writes for a while, so the request is surely in flight when the signal arrives.
    const admin = new Redis(redis.url);
    try {
      await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    } finally {
      admin.disconnect();
    }
    const turn = chat.post(bot.url, chat.activity({ type: 'message', value: passwordCard('Electeur2014') }));
    await sleep(300);
    process.kill(bot.pid, 'SIGTERM');

    const { status, replies } = await turn;
    assert.equal(status, 200);
    assert.match(textOf(replies), SENT);
    // No second signal: it would mean « leave now » (exit 1).
    assert.ok(await eventually(async () => bot.exited, 30_000), 'the process did not exit');
    assert.equal(bot.exitCode, 0, bot.output());
    assert.match(bot.output(), /arrêt terminé/);
    assert.doesNotMatch(bot.output(), CRASH_SIGNS);
    assert.deepEqual(
      sink.messages.map((message) => message.to),
      [[address]],
      'the mail left before the process did',
    );
  });
});
