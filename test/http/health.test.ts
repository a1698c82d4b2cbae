import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { eventually } from '../support/poll';
import { freePort, type PrivateRedis, startPrivateRedis } from '../support/redis-server';

const UNAVAILABLE = /momentanément indisponible/;

async function health(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  await response.arrayBuffer();
  return response.status;
}

/** A 43-character token: it has the shape of ours, so the route has to ask the store. */
const WELL_FORMED_TOKEN = 'A'.repeat(43);

describe('GET /healthz and Redis outages', function () {
  this.timeout(30_000);

  describe('with a Redis that goes away and comes back', () => {
    let redis: PrivateRedis;
    let bot: BotHarness;
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);

    before(async () => {
      process.on('uncaughtException', onCrash);
      process.on('unhandledRejection', onCrash);
      redis = await startPrivateRedis();
      bot = await startBot({ REDIS_URL: redis.url });
    });
    after(async () => {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      // Redis back first, so that the app's QUIT is answered at once.
      await redis?.start();
      await bot?.close();
      await redis?.stop();
    });

    it('answers 200 while Redis is up, and the bot serves', async () => {
      assert.equal(await health(bot.url), 200);
      const chat = bot.conversation('webchat');
      assert.match(textOf(await chat.join()), /Assistant électeur/);
    });

    it('answers 503 once Redis is unreachable', async () => {
      await redis.stop();
      const started = performance.now();
      assert.ok(await eventually(async () => (await health(bot.url)) === 503, 5_000), 'still 200');
      assert.ok(performance.now() - started < 5_000);
    });

    it('answers a message turn with the French « momentanément indisponible » (200, not 5xx)', async () => {
      const chat = bot.conversation('webchat');
      const started = performance.now();
      const replies = await chat.say('bonjour');
      const elapsed = performance.now() - started;
      assert.match(textOf(replies), UNAVAILABLE);
      assert.ok(elapsed < 10_000, `the turn took ${Math.round(elapsed)} ms; channels retry after 15 s`);
    });

    it('answers a conversation update the same way', async () => {
      const replies = await bot.conversation('msteams').join();
      assert.match(textOf(replies), UNAVAILABLE);
    });

    it('shows a French 503 page for a confirmation link, which stays valid', async () => {
      const response = await fetch(`${bot.url}/confirmation?jeton=${WELL_FORMED_TOKEN}`);
      assert.equal(response.status, 503);
      const html = await response.text();
      assert.match(html, /<html lang="fr">/);
      assert.match(html, /Réessayez dans quelques minutes/);
    });

    it('has not crashed: the process still answers /healthz (503)', async () => {
      assert.equal(await health(bot.url), 503);
      assert.deepEqual(crashes, []);
    });

    it('answers 200 again after Redis returns, and serves turns', async () => {
      await redis.start();
      assert.ok(await eventually(async () => (await health(bot.url)) === 200, 12_000, 200), 'still 503');
      const chat = bot.conversation('webchat');
      assert.match(textOf(await chat.join()), /Assistant électeur/);
      assert.match(textOf(await chat.say('Créer mon compte électeur')), /Avez-vous déjà activé/);
      assert.deepEqual(crashes, []);
    });
  });

  describe('with a REDIS_URL where nothing listens', () => {
    let bot: BotHarness;

    before(async () => {
      bot = await startBot({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    });
    after(async () => {
      await bot?.close();
    });

    it('starts, answers /healthz 503, and answers turns « momentanément indisponible »', async () => {
      assert.equal(await health(bot.url), 503);
      const replies = await bot.conversation('webchat').say('bonjour');
      assert.match(textOf(replies), UNAVAILABLE);
      assert.equal(await health(bot.url), 503);
    });
  });
});
