import { Cluster, Redis, type RedisOptions } from 'ioredis';
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

/** Where Redis is: one node, a master found through Sentinel, or a Cluster (see config.ts). */
export type RedisTarget =
  | { readonly mode: 'single'; readonly url: string }
  | {
      readonly mode: 'sentinel';
      readonly sentinels: readonly HostPort[];
      readonly name: string;
      readonly password?: string | undefined;
    }
  | { readonly mode: 'cluster'; readonly nodes: readonly HostPort[]; readonly password?: string | undefined };

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** What every store is typed against: ioredis offers the same commands, scripts and MULTI on both. */
export type RedisClient = Redis | Cluster;

/**
 * A teacher waits for an answer while the channel waits for our HTTP reply (about 15 s): when Redis is
 * down a turn must fail with a clear error within a couple of seconds, not hang.
 *
 * We keep the offline queue (so that the first commands at boot and a one-second blip are absorbed) but
 * bound every command with `commandTimeout`, which ioredis arms even for queued commands, and give up on a
 * command after one reconnection (`maxRetriesPerRequest: 1`). Turning the offline queue off instead would
 * fail every command sent during the few milliseconds of a reconnect, which is noisier for no gain.
 * Reconnection itself never stops: the process stays up and recovers when Redis comes back.
 *
 * The three modes get the same policy: with Sentinel the client asks the sentinels for the master at each
 * (re)connection, so a failover looks like a short outage; with Cluster the policy applies to the
 * connection to each node, and the cluster client follows MOVED/ASK redirections itself.
 */
export function createRedisClient(
  target: RedisTarget | string,
  logger: Logger,
  options: RedisClientOptions = {},
): RedisClient {
  const log = logger.child({ component: 'redis' });
  const where: RedisTarget = typeof target === 'string' ? { mode: 'single', url: target } : target;
  const common: RedisOptions = {
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => reconnectDelay(attempt),
    connectionName: 'assistant-electeur',
    // Commands issued in the same tick (turns of several conversations at once, a mail's claim and its
    // neighbours) leave in one socket write: fewer system calls under load, the same replies.
    enableAutoPipelining: true,
  };
  let redis: RedisClient;
  switch (where.mode) {
    case 'single':
      redis = new Redis(where.url, common);
      break;
    case 'sentinel':
      redis = new Redis({
        ...common,
        sentinels: where.sentinels.map(({ host, port }) => ({ host, port })),
        name: where.name,
        ...(where.password ? { password: where.password } : {}),
        sentinelRetryStrategy: (attempt) => reconnectDelay(attempt),
        // A failover must move us at once: until the old master is demoted, it would still take our
        // writes, which the new master never sees. The sentinels' +switch-master triggers a reconnect.
        failoverDetector: true,
        // A demoted master refuses writes with READONLY: reconnect (asking the sentinels again) and resend.
        reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      });
      // QUIT closes the master connection but not the detector's sentinel connections (ioredis 6):
      // without this they would reconnect forever after a graceful shutdown.
      redis.once('end', () => redis.disconnect());
      break;
    case 'cluster':
      redis = new Cluster(
        where.nodes.map(({ host, port }) => ({ host, port })),
        {
          redisOptions: {
            commandTimeout: common.commandTimeout,
            connectTimeout: common.connectTimeout,
            maxRetriesPerRequest: common.maxRetriesPerRequest,
            connectionName: common.connectionName,
            ...(where.password ? { password: where.password } : {}),
          },
          clusterRetryStrategy: (attempt) => reconnectDelay(attempt),
          enableOfflineQueue: true,
          // No automatic pipelining here: ioredis 6 refuses a script whose keys share a slot when it is
          // pipelined beside commands of other slots (« same slots allocation group »).
          // Reads go to masters: a replica may lag behind a compare-and-set we just made.
          scaleReads: 'master',
          retryDelayOnFailover: 200,
          retryDelayOnClusterDown: 200,
        },
      );
      break;
  }
  watch(redis, log);
  return redis;
}

/** Only transitions are logged, never keys, values or addresses (a URL may carry a password). */
function watch(redis: RedisClient, log: Logger): void {
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
}

/**
 * For /healthz: true when Redis answers PING within `timeoutMs`; never throws. On a Cluster every master
 * must answer and report a healthy cluster, since any of them may hold the slot a turn needs.
 */
export async function pingRedis(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = async (): Promise<boolean> => {
    if (!(redis instanceof Cluster)) return (await redis.ping()) === 'PONG';
    // A dead master may already be gone from the client's list: each live master must also say that
    // every slot is served (it says `fail` once the cluster has noticed a master without replica is down).
    const masters = redis.nodes('master');
    if (masters.length === 0) return false;
    const replies = await Promise.all(masters.map((node) => node.cluster('INFO')));
    return replies.every((reply) => String(reply).includes('cluster_state:ok'));
  };
  try {
    return await Promise.race([ping(), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
