/**
 * `npx tsx bench/hostile-text.ts [--quick] [--json]` — what a hostile text costs the real bot (issue 10):
 * each shape of test/hostile/text-shapes.ts at the message cap (MAX_MESSAGE_LENGTH, 2,000 by default)
 * against a plain question, through real turns over HTTP (`/api/messages`, private Redis, SMTP counter);
 * then the issue's 20,000-character `passwordEntered` event sent after « créer mon compte », with the
 * time /healthz takes while it is processed. Prints a table; the goal is ≤ 4× a plain question.
 * With --json, the last line of stdout is the figures as JSON (bench/run.ts reads it).
 *
 * Per turn: the median latency (sequential turns, one conversation per shape) and the server's CPU time
 * per turn (/proc, the figure to compare on a shared machine). The plain question is measured first and
 * last; its reference is the mean of both.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { PLAIN_QUESTION, TEXT_SHAPES } from '../test/hostile/text-shapes';
import { BotClient, Conversation, type Reply, textOf } from './lib/load';
import { cpuCount, cpuMs, installCleanup, killAll, TASKSET } from './lib/procs';
import { startRealBot } from './lib/servers';
import { startMailCounter, startRedis } from './lib/services';

/** The default MAX_MESSAGE_LENGTH (src/config.ts), which the bench's bot runs with. */
const CAP = 2_000;
const GOAL = 4;
const ISSUE_EVENT_TEXT = `a${' .'.repeat(10_000)}x`;
const TOO_LONG = /trop long/;

interface Row {
  shape: string;
  length: number;
  medianMs: number;
  cpuMsPerTurn: number | undefined;
}

export interface HostileTextFigures {
  cap: number;
  turnsPerShape: number;
  plain: Row;
  shapes: Row[];
  worst: { shape: string; timesPlainCpu: number | undefined; timesPlainLatency: number };
  goal: number;
  issueEvent: { length: number; medianMs: number; healthzMedianMs: number; refused: boolean };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function pinSelf(core: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `turns` sequential turns of `send` after `warmup` unmeasured ones: median latency, server CPU per turn. */
async function measure(
  pid: number,
  name: string,
  length: number,
  send: () => Promise<Reply[]>,
  check: (replies: Reply[]) => void,
  turns: number,
  warmup = 3,
): Promise<Row> {
  for (let i = 0; i < warmup; i += 1) check(await send());
  const latencies: number[] = [];
  const cpuBefore = cpuMs(pid);
  for (let i = 0; i < turns; i += 1) {
    const started = performance.now();
    const replies = await send();
    latencies.push(performance.now() - started);
    check(replies);
  }
  const cpuAfter = cpuMs(pid);
  return {
    shape: name,
    length,
    medianMs: median(latencies),
    cpuMsPerTurn:
      cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / turns,
  };
}

export async function runHostileText(options: { quick: boolean }): Promise<HostileTextFigures> {
  const turns = options.quick ? 40 : 120;
  const pinned = TASKSET && cpuCount() >= 2 && pinSelf(1);
  const redis = await startRedis();
  const smtp = await startMailCounter();
  const bot = await startRealBot({
    core: pinned ? 0 : undefined,
    redisUrl: redis.url,
    redisPrefix: 'bench-hostile:',
    smtpUrl: smtp.url,
  });
  const client = new BotClient(bot.url, 'http://127.0.0.1:9/');
  try {
    const answered = (replies: Reply[]) => {
      if (replies.length === 0 || TOO_LONG.test(textOf(replies)))
        throw new Error(`unexpected reply: ${textOf(replies).slice(0, 200)}`);
    };
    const plainRun = async () => {
      const chat = new Conversation(client, 'webchat', 'bench-hostile-plain');
      return measure(
        bot.proc.pid,
        'plain question',
        PLAIN_QUESTION.length,
        () => chat.say(PLAIN_QUESTION),
        answered,
        turns,
      );
    };

    log(
      `hostile text: plain question, then ${TEXT_SHAPES.length} shapes at ${CAP} characters, ${turns} turns each`,
    );
    const plainFirst = await plainRun();
    const shapes: Row[] = [];
    for (const shape of TEXT_SHAPES) {
      const text = shape.build(CAP);
      const chat = new Conversation(client, 'webchat', 'bench-hostile');
      shapes.push(
        await measure(bot.proc.pid, shape.name, text.length, () => chat.say(text), answered, turns),
      );
    }
    // At a prompt: the event of the issue, at the cap (scanned) rather than over it.
    const prompt = new Conversation(client, 'webchat', 'bench-hostile-event');
    await prompt.join();
    await prompt.say('Créer mon compte électeur');
    const eventAtCap = TEXT_SHAPES[0]?.build(CAP) ?? '';
    shapes.push(
      await measure(
        bot.proc.pid,
        'passwordEntered event at a prompt (space-dot run)',
        CAP,
        () => prompt.send({ type: 'event', name: 'passwordEntered', text: eventAtCap }),
        () => {},
        turns,
      ),
    );
    const plainLast = await plainRun();
    const plain: Row = {
      shape: 'plain question',
      length: PLAIN_QUESTION.length,
      medianMs: (plainFirst.medianMs + plainLast.medianMs) / 2,
      cpuMsPerTurn:
        plainFirst.cpuMsPerTurn === undefined || plainLast.cpuMsPerTurn === undefined
          ? undefined
          : (plainFirst.cpuMsPerTurn + plainLast.cpuMsPerTurn) / 2,
    };

    log('hostile text: the issue’s 20,000-character passwordEntered event, with /healthz asked meanwhile');
    const eventMs: number[] = [];
    const healthMs: number[] = [];
    let refused = true;
    for (let i = 0; i < (options.quick ? 5 : 10); i += 1) {
      const started = performance.now();
      const pending = prompt
        .send({ type: 'event', name: 'passwordEntered', text: ISSUE_EVENT_TEXT })
        .then((replies) => ({ replies, ms: performance.now() - started }));
      await sleep(20);
      const asked = performance.now();
      await fetch(`${bot.url}/healthz`);
      healthMs.push(performance.now() - asked);
      const { replies, ms } = await pending;
      eventMs.push(ms);
      if (!TOO_LONG.test(textOf(replies))) refused = false;
    }

    const byCpu = (row: Row) =>
      row.cpuMsPerTurn !== undefined && plain.cpuMsPerTurn
        ? row.cpuMsPerTurn / plain.cpuMsPerTurn
        : undefined;
    const worstRow = [...shapes].sort(
      (a, b) => (byCpu(b) ?? b.medianMs / plain.medianMs) - (byCpu(a) ?? a.medianMs / plain.medianMs),
    )[0] as Row;
    return {
      cap: CAP,
      turnsPerShape: turns,
      plain,
      shapes,
      worst: {
        shape: worstRow.shape,
        timesPlainCpu: byCpu(worstRow),
        timesPlainLatency: worstRow.medianMs / plain.medianMs,
      },
      goal: GOAL,
      issueEvent: {
        length: ISSUE_EVENT_TEXT.length,
        medianMs: median(eventMs),
        healthzMedianMs: median(healthMs),
        refused,
      },
    };
  } finally {
    client.close();
    await bot.proc.stop();
    await smtp.close();
    await redis.proc.stop();
  }
}

export function formatHostileText(f: HostileTextFigures): string {
  const times = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(2)}×`);
  const cpu = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));
  const header = ['shape', 'chars', 'median ms', 'CPU ms/turn', '× plain (CPU)', '× plain (latency)'];
  const rows = [f.plain, ...f.shapes].map((row) => [
    row.shape,
    String(row.length),
    row.medianMs.toFixed(2),
    cpu(row.cpuMsPerTurn),
    times(
      row.cpuMsPerTurn !== undefined && f.plain.cpuMsPerTurn
        ? row.cpuMsPerTurn / f.plain.cpuMsPerTurn
        : undefined,
    ),
    times(row.medianMs / f.plain.medianMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const title = `Hostile text at the cap (${f.cap} characters), ${f.turnsPerShape} turns each, real bot over HTTP`;
  const worst = f.worst.timesPlainCpu ?? f.worst.timesPlainLatency;
  return [
    '',
    title,
    '-'.repeat(title.length),
    line(header),
    ...rows.map(line),
    '',
    `worst shape at the cap: ${f.worst.shape}, ${times(f.worst.timesPlainCpu)} a plain question in CPU, ` +
      `${times(f.worst.timesPlainLatency)} in latency (goal ≤ ${f.goal}×: ${worst <= f.goal ? 'met' : 'NOT MET'})`,
    `the issue's ${f.issueEvent.length.toLocaleString('en')}-character passwordEntered event: ` +
      `${f.issueEvent.refused ? 'refused « trop long »' : 'NOT REFUSED'} in ${f.issueEvent.medianMs.toFixed(1)} ms (median); ` +
      `/healthz asked meanwhile: ${f.issueEvent.healthzMedianMs.toFixed(1)} ms`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  installCleanup();
  runHostileText({ quick: args.includes('--quick') }).then(
    (figures) => {
      process.stdout.write(formatHostileText(figures));
      if (args.includes('--json')) process.stdout.write(`\n${JSON.stringify(figures)}\n`);
      killAll();
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`hostile-text failed: ${(error as Error).stack ?? String(error)}\n`);
      killAll();
      process.exit(1);
    },
  );
}
