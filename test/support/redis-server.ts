import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A port nothing listens on right now (the OS picked it, then it was released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Servers started here and still running: a test process that exits must not leave one behind. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const server of alive) server.kill('SIGKILL');
});

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL, as a crash would) and waits for it to be gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty, unless `persistent`); does nothing while it runs. */
  start(): Promise<void>;
  readonly running: boolean;
  /** Stops it and removes its data directory (persistent servers). */
  destroy(): Promise<void>;
}

export interface PrivateRedisOptions {
  /**
   * Append-only file fsynced on every write, in a temporary directory: a SIGKILL then a start() finds
   * every acknowledged write again, as a production Redis with AOF would.
   */
  persistent?: boolean;
}

/**
 * A throw-away redis-server on a free port, without persistence unless asked, for tests that take Redis
 * away. Only the process started here is ever killed, by its own handle.
 */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const dir = options.persistent ? mkdtempSync(path.join(os.tmpdir(), 'redis-fault-')) : undefined;
  const persistence = dir
    ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];

  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    if (isRunning()) return;
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--protected-mode', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    alive.add(proc);
    proc.once('exit', () => alive.delete(proc));
    await untilReady(proc, port, 'Ready to accept connections');
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.stdout?.destroy();
    proc.stderr?.destroy();
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    get running() {
      return isRunning();
    },
    async destroy() {
      await stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until a spawned redis-server logs `readyText` (10 s at most), then lets go of its output so that
 * the pipes do not keep the test process alive.
 */
export async function untilReady(proc: ChildProcess, port: number, readyText: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start on ${port}: ${out}`)),
      10_000,
    );
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${out}`));
    });
  });
  proc.stdout?.removeAllListeners('data');
  proc.stdout?.resume();
  proc.stderr?.resume();
}
