import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, type Spawned, spawnPinned, waitForHttp } from './procs';
import { freePort } from './services';

/** Inside the 2014 account window (Paris time), as in the demo and the tests. */
export const BENCH_NOW = '2014-11-20T09:00:00+01:00';

/** Where the bench builds what it measures (ignored by git, like its results). */
export const BENCH_BUILD_DIR = path.join(ROOT, 'bench', 'results', 'build');

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly proc: Spawned;
}

/**
 * What production runs, built here: `npm run build` into `dir` (src/ and dialogs/ compiled, assets
 * copied), and the echo bot compiled beside it (`dir/bench/echo-bot.js`), so that both servers run plain
 * JavaScript under node. `reuse` skips the build when `dir` already holds one (`--no-build`).
 */
export function buildForBench(dir: string, reuse: boolean): void {
  const entry = path.join(dir, 'src', 'index.js');
  if (!reuse || !fs.existsSync(entry))
    execFileSync(process.execPath, ['scripts/build.mjs', dir], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  const tsc = path.join(
    path.dirname(createRequire(__filename).resolve('typescript/package.json')),
    'bin',
    'tsc',
  );
  execFileSync(
    process.execPath,
    [
      tsc,
      '--ignoreConfig',
      'bench/echo-bot.ts',
      '--outDir',
      path.join(dir, 'bench'),
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--esModuleInterop',
      '--skipLibCheck',
      '--types',
      'node',
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  for (const file of [entry, path.join(dir, 'bench', 'echo-bot.js')])
    if (!fs.existsSync(file)) throw new Error(`the build has no ${path.relative(ROOT, file)}`);
}

/** The environment a server process gets: nothing of the bench's own but what node needs. */
function baseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // A dependency installed outside node_modules (NODE_PATH) must be found by the servers too.
    ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}),
  };
}

/**
 * The real bot, as production runs it (`node dist/src/index.js`, the build given) or, without a build,
 * as `npm run dev` does (tsx), in development mode without MicrosoftAppId: the adapter then takes
 * unauthenticated activities, as from the Emulator.
 */
export async function startRealBot(options: {
  core?: number;
  redisUrl: string;
  redisPrefix: string;
  smtpUrl: string;
  secretKey?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: readonly string[];
  /** The build to run (buildForBench); none: the sources through tsx. */
  build?: string;
  /** Extra environment (TURN_TRACE_MS…). */
  env?: Record<string, string>;
  /** Every line the bot writes (its logs), for the trace. */
  onLine?: (line: string) => void;
}): Promise<ServerProcess & { secretKey: string }> {
  const port = await freePort();
  const secretKey = options.secretKey ?? randomBytes(32).toString('hex');
  const entry = options.build
    ? [path.join(options.build, 'src', 'index.js')]
    : ['--import', 'tsx', 'src/index.ts'];
  const proc = spawnPinned(process.execPath, [...(options.nodeFlags ?? []), ...entry], {
    core: options.core,
    name: 'bot',
    env: {
      ...baseEnv(),
      NODE_ENV: 'development',
      PORT: String(port),
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.redisPrefix,
      SMTP_URL: options.smtpUrl,
      CLOCK_NOW: BENCH_NOW,
      SECRET_KEY: secretKey,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, proc);
  return { name: 'bot', url, proc, secretKey };
}

/** The ceiling: bench/echo-bot.ts (compiled in the build when given), same restify, memory state. */
export async function startEchoBot(options: { core?: number; build?: string }): Promise<ServerProcess> {
  const port = await freePort();
  const entry = options.build
    ? [path.join(options.build, 'bench', 'echo-bot.js')]
    : ['--import', 'tsx', 'bench/echo-bot.ts'];
  const proc = spawnPinned(process.execPath, entry, {
    core: options.core,
    name: 'echo',
    env: { ...baseEnv(), NODE_ENV: 'development', PORT: String(port) },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, proc);
  return { name: 'echo', url, proc };
}
