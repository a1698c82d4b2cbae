import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Every child the bench started, killed on any exit: a bench must never leave a redis-server behind. */
const children = new Set<ChildProcess>();
let cleanupInstalled = false;

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const TASKSET = hasTaskset();

/** The cores this machine has, for the pinning plan (server on 0, driver on 1). */
export function cpuCount(): number {
  return os.availableParallelism();
}

export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

export function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping children\n`);
      killAll('SIGKILL');
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    killAll('SIGKILL');
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    process.stderr.write(`bench: unhandled ${(error as Error)?.stack ?? String(error)}\n`);
    killAll('SIGKILL');
    process.exit(1);
  });
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last lines it wrote, for error messages. */
  output(): string;
  /** SIGTERM (graceful: the bot writes its CPU profile on exit), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `command args`, pinned to `core` with taskset when it exists (taskset execs the command, so the
 * pid is the command's own: /proc/<pid>/status is the server's, not a wrapper's).
 */
export function spawnPinned(
  command: string,
  args: readonly string[],
  options: { core?: number; env?: NodeJS.ProcessEnv; name: string; onLine?: (line: string) => void },
): Spawned {
  const pinned = options.core !== undefined && TASKSET;
  const file = pinned ? 'taskset' : command;
  const argv = pinned ? ['-c', String(options.core), command, ...args] : [...args];
  const child = spawn(file, argv, {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (options.onLine) {
    const onLine = options.onLine;
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
  if (child.pid === undefined) throw new Error(`${options.name}: could not spawn ${command}`);
  return {
    child,
    pid: child.pid,
    output: () => tail,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers (any status), or fails with the child's output. */
export async function waitForHttp(url: string, proc: Spawned, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`process exited before answering on ${url}:\n${proc.output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answered on ${url} after ${timeoutMs} ms:\n${proc.output()}`);
}

/** Resident set size in KiB, from /proc (Linux only; undefined elsewhere). */
export function rssKiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a node script (through tsx) to completion and returns its stdout, pinned when asked. */
export async function runNodeScript(
  script: string,
  args: readonly string[],
  options: { core?: number; env?: NodeJS.ProcessEnv; name: string; timeoutMs?: number },
): Promise<string> {
  const proc = spawnPinned(process.execPath, ['--import', 'tsx', script, ...args], options);
  let out = '';
  proc.child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    proc.child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (code !== 0) throw new Error(`${options.name} exited with ${code}:\n${proc.output()}`);
  return out;
}

/** CPU time (user + system) the process has used so far, in ms, from /proc/<pid>/stat; undefined elsewhere. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();
