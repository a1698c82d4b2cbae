import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { type PrivateRedis, startPrivateRedis } from '../support/redis-server';

/**
 * Graceful shutdown of the real app: a turn caught by the shutdown still gets its answer, the mails
 * due are sent before the process lets go, and nothing new is accepted.
 */
describe('graceful shutdown', function () {
  this.timeout(30_000);
  let redisServer: PrivateRedis;
  let bot: BotHarness;

  beforeEach(async () => {
    redisServer = await startPrivateRedis();
    bot = await startBot({ REDIS_URL: redisServer.url });
  });

  afterEach(async () => {
    // The app is already stopped by each test; the rest of the harness is closed here.
    await bot.connector.close();
    await bot.smtp.close();
    await bot.redis.cleanup();
    await redisServer.stop();
  });

  it('lets the turn in flight finish, then refuses new connections', async () => {
    const conversation = bot.conversation();
    await conversation.join();
    const admin = new Redis(redisServer.url);
    try {
      // Redis holds every command for a while: the next turn is still running when shutdown begins.
      await admin.call('CLIENT', 'PAUSE', '700', 'ALL');
    } finally {
      admin.disconnect();
    }
    const turn = conversation.say('Quand a lieu le vote ?');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    await bot.app.stop();
    const waited = Date.now() - started;

    const replies = await turn;
    assert.match(textOf(replies), /27 novembre 2014/);
    assert.ok(waited >= 300, `stop() returned after ${waited} ms, before the turn ended`);
    await assert.rejects(fetch(`${bot.url}/healthz`), 'no new connection once stopped');
  });

  it('sends the mails that are due before closing', async () => {
    // Straight to the service, which does not wake the worker: only the shutdown flush can send it.
    await bot.app.accounts.request({ email: 'jeanne.martin@ac-paris.fr', password: 'Electeur2014' });
    assert.equal(bot.smtp.messages.length, 0);
    await bot.app.stop();
    assert.equal(bot.smtp.messages.length, 1);
    assert.deepEqual(bot.smtp.messages[0]?.to, ['jeanne.martin@ac-paris.fr']);
  });
});
