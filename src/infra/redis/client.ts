import { Redis } from 'ioredis';
import type { Logger } from '../../log';

export interface RedisClientOptions {
  /** Upper bound of one command, queued or in flight. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** Reconnection delay: 100 ms, 200 ms, 400 ms … capped at 5 s, with jitter so that replicas do not stampede. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(5_000, 100 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * A teacher waits for an answer while the channel waits for our HTTP reply (about 15 s): when Redis is
 * down a turn must fail with a clear error within a couple of seconds, not hang.
 *
 * We keep the offline queue (so that the first commands at boot and a one-second blip are absorbed) but
 * bound every command with `commandTimeout`, which ioredis arms even for queued commands, and give up on a
 * command after one reconnection (`maxRetriesPerRequest: 1`). Turning the offline queue off instead would
 * fail every command sent during the few milliseconds of a reconnect, which is noisier for no gain.
 * Reconnection itself never stops: the process stays up and recovers when Redis comes back.
 */
export function createRedisClient(url: string, logger: Logger, options: RedisClientOptions = {}): Redis {
  const log = logger.child({ component: 'redis' });
  const redis = new Redis(url, {
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => reconnectDelay(attempt),
    connectionName: 'assistant-electeur',
  });

  // Only transitions are logged, never keys, values or the URL (it may carry a password).
  let up = false;
  redis.on('ready', () => {
    up = true;
    log.info('redis ready');
  });
  redis.on('close', () => {
    if (up) log.warn('redis connection closed');
    up = false;
  });
  redis.on('reconnecting', (delayMs: number) => log.debug({ delayMs }, 'redis reconnecting'));
  redis.on('end', () => log.info('redis connection ended'));
  // Without a listener ioredis prints every failed reconnection; one line per outage is enough.
  let lastError = '';
  redis.on('error', (error: NodeJS.ErrnoException) => {
    const summary = error.code ?? error.name;
    if (summary === lastError) return;
    lastError = summary;
    log.error({ code: error.code, err: { name: error.name, message: error.message } }, 'redis error');
  });
  redis.on('ready', () => {
    lastError = '';
  });
  return redis;
}

/** For /healthz: true when Redis answers PING within `timeoutMs`; never throws. */
export async function pingRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((reply) => reply === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
