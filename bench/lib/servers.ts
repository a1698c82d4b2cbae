import { randomBytes } from 'node:crypto';
import { type Spawned, spawnPinned, waitForHttp } from './procs';
import { freePort } from './services';

/** Inside the 2014 account window (Paris time), as in the demo and the tests. */
export const BENCH_NOW = '2014-11-20T09:00:00+01:00';

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly proc: Spawned;
}

/**
 * The real bot, as `npm run dev` runs it (src/index.ts main), in development mode without MicrosoftAppId:
 * the adapter then takes unauthenticated activities, as from the Emulator.
 */
export async function startRealBot(options: {
  core?: number;
  redisUrl: string;
  redisPrefix: string;
  smtpUrl: string;
  secretKey?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: readonly string[];
}): Promise<ServerProcess & { secretKey: string }> {
  const port = await freePort();
  const secretKey = options.secretKey ?? randomBytes(32).toString('hex');
  const proc = spawnPinned(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', 'src/index.ts'],
    {
      core: options.core,
      name: 'bot',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        PORT: String(port),
        REDIS_URL: options.redisUrl,
        REDIS_PREFIX: options.redisPrefix,
        SMTP_URL: options.smtpUrl,
        CLOCK_NOW: BENCH_NOW,
        SECRET_KEY: secretKey,
        LOG_LEVEL: 'warn',
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, proc);
  return { name: 'bot', url, proc, secretKey };
}

/** The ceiling: bench/echo-bot.ts, same restify and adapter, memory state. */
export async function startEchoBot(options: { core?: number }): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawnPinned(process.execPath, ['--import', 'tsx', 'bench/echo-bot.ts'], {
    core: options.core,
    name: 'echo',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', PORT: String(port) },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, proc);
  return { name: 'echo', url, proc };
}
