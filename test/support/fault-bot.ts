import { Redis } from 'ioredis';
import { RedisStorage } from '../../src/infra/redis/storage';
import { type BotHarness, startBot } from './bot-harness';
import { type PrivateRedis, startPrivateRedis } from './redis-server';

export interface FaultBot {
  /** Its own redis-server, so that a test may kill and restart it. */
  readonly redis: PrivateRedis;
  /** The real app on that Redis (port 0, SMTP sink, fake connector). */
  readonly bot: BotHarness;
  /** A client of the test's own, to look at what the app stored. */
  readonly client: Redis;
  /** The app's conversation state store, read through the same prefix. */
  readonly storage: RedisStorage;
  /** Uncaught exceptions and unhandled rejections while it ran: a fault must never produce one. */
  readonly crashes: unknown[];
  close(): Promise<void>;
}

/** The set-up every in-process fault test shares; `persistent` gives Redis an fsynced append-only file. */
export async function startFaultBot(options: { persistent?: boolean } = {}): Promise<FaultBot> {
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const redis = await startPrivateRedis(options.persistent ? { persistent: true } : {});
  const bot = await startBot({ REDIS_URL: redis.url });
  // Reconnects by itself after a restart; only used while Redis is up.
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const storage = new RedisStorage(client, { prefix: bot.redis.prefix });
  return {
    redis,
    bot,
    client,
    storage,
    crashes,
    async close() {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      // A test that stopped Redis lets the app close cleanly (a no-op while it runs).
      await redis.start();
      await bot.close();
      client.disconnect();
      await redis.destroy();
    },
  };
}
