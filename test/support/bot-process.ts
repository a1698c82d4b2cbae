import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_NOW } from './bot-harness';
import { freePort } from './redis-server';

const ROOT = path.resolve(__dirname, '..', '..');

/** A fixed key, so that a second process can unseal the tokens a first one left in the outbox. */
export const FIXED_SECRET_KEY = 'a5'.repeat(32);

/** Lines a healthy process never writes, whatever it went through. */
export const CRASH_SIGNS =
  /Unhandled|unhandledRejection|uncaughtException|TypeError|ReferenceError|RangeError|FATAL|"level":60|Échec du démarrage|at .+\(.+:\d+:\d+\)/i;

export interface BotProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything it wrote on stdout and stderr so far (pino writes to stdout). */
  output(): string;
  readonly exited: boolean;
  /** The exit code once exited (null while running, or when ended by a signal). */
  readonly exitCode: number | null;
  /** Sends the signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Every process started here, so that a failing test cannot leave one behind. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export interface BotProcessOptions {
  redisUrl: string;
  smtpUrl: string;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Real time allowed to answer /healthz 200 (tsx compiles on the fly: a loaded machine is slow). */
  readyTimeoutMs?: number;
}

/**
 * `src/index.ts` as `npm run dev` runs it, in its own Node process (through tsx), on a free port: the way to
 * test what a crash (`kill -9`) or a second instance does. Resolves once /healthz answers 200.
 */
export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'development',
    PORT: String(port),
    REDIS_URL: options.redisUrl,
    SMTP_URL: options.smtpUrl,
    CLOCK_NOW: DEMO_NOW,
    SECRET_KEY: FIXED_SECRET_KEY,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'index.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => {
      alive.delete(child);
      resolve();
    });
  });
  const isGone = () => child.exitCode !== null || child.signalCode !== null;

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!isGone()) child.kill(signal);
    await gone;
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (isGone()) throw new Error(`the bot process exited before it was ready:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      await kill();
      throw new Error(`the bot process did not answer /healthz 200 in time:\n${output}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    pid: child.pid ?? -1,
    output: () => output,
    get exited() {
      return isGone();
    },
    get exitCode() {
      return child.exitCode;
    },
    kill,
  };
}
