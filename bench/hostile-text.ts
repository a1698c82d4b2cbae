/**
 * `npx tsx bench/hostile-text.ts [--quick] [--json] [--build <dir>]` — what a hostile text costs the real bot (issue 10):
 * each shape of test/hostile/text-shapes.ts at the message cap (MAX_MESSAGE_LENGTH, 2,000 by default)
 * against a plain question, through real turns over HTTP (`/api/messages`, private Redis, SMTP counter),
 * at the root and at each question of the activation; then the issue's 20,000-character
 * `passwordEntered` event sent after « créer mon compte », with the time /healthz takes while it is
 * processed. Prints tables; the goal is ≤ 4× a plain question. With --json, the last line of stdout is
 * the figures as JSON (bench/run.ts reads it).
 *
 * At the root: the median latency of sequential turns in one conversation per shape, and the server's CPU
 * time per turn (/proc: the figure to compare on a shared machine). At a question, each turn needs a new
 * conversation brought to that question first (a text taken as an answer moves the dialog on): the
 * median latency of the measured turn only. The plain question is measured first and last; its reference
 * is the mean of both.
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

/** The questions of the activation, and the turns that lead to each. */
const STEPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['yes/no question', ['Créer mon compte électeur']],
  ['webmail choices', ['Créer mon compte électeur', 'non']],
  ['name question', ['Créer mon compte électeur', 'non', 'Trouver mon identifiant']],
  ['address question', ['Créer mon compte électeur', 'oui']],
  ['password question', ['Créer mon compte électeur', 'oui', 'marie.curie@ac-paris.fr', 'oui']],
];

interface Row {
  shape: string;
  length: number;
  medianMs: number;
  /** Measured at the root only (one conversation, so the CPU of a batch is the turns' own). */
  cpuMsPerTurn?: number;
}

export interface HostileTextFigures {
  cap: number;
  turnsPerShape: { root: number; question: number };
  plain: Row;
  root: Row[];
  questions: Array<{ step: string; rows: Row[] }>;
  /** Highest latency ratio over every row, root and questions. */
  worst: { where: string; shape: string; timesPlainLatency: number };
  /** Highest CPU ratio at the root. */
  worstCpuAtRoot: { shape: string; timesPlainCpu: number | undefined };
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

const answered = (replies: Reply[]) => {
  if (replies.length === 0 || TOO_LONG.test(textOf(replies)))
    throw new Error(`unexpected reply: ${textOf(replies).slice(0, 200)}`);
};

/** `turns` sequential turns of `send` after a few unmeasured ones: median latency, server CPU per turn. */
async function measure(
  pid: number,
  shape: string,
  length: number,
  send: () => Promise<Reply[]>,
  turns: number,
) {
  for (let i = 0; i < 3; i += 1) answered(await send());
  const latencies: number[] = [];
  const cpuBefore = cpuMs(pid);
  for (let i = 0; i < turns; i += 1) {
    const started = performance.now();
    const replies = await send();
    latencies.push(performance.now() - started);
    answered(replies);
  }
  const cpuAfter = cpuMs(pid);
  const row: Row = { shape, length, medianMs: median(latencies) };
  if (cpuBefore !== undefined && cpuAfter !== undefined) row.cpuMsPerTurn = (cpuAfter - cpuBefore) / turns;
  return row;
}

/** `turns` times: a new conversation brought to the question by `setup`, then `text` timed. */
async function measureAtStep(
  client: BotClient,
  setup: readonly string[],
  shape: string,
  text: string,
  turns: number,
) {
  const latencies: number[] = [];
  for (let i = 0; i < turns + 1; i += 1) {
    const chat = new Conversation(client, 'webchat', 'bench-hostile-step');
    for (const step of setup) await chat.say(step);
    const started = performance.now();
    const replies = await chat.say(text);
    if (i > 0) latencies.push(performance.now() - started);
    answered(replies);
  }
  return { shape, length: text.length, medianMs: median(latencies) };
}

/** `build`: the compiled app to run (bench/lib/servers.ts buildForBench); none: the sources through tsx. */
export async function runHostileText(options: {
  quick: boolean;
  build?: string;
}): Promise<HostileTextFigures> {
  const turns = { root: options.quick ? 40 : 120, question: options.quick ? 5 : 15 };
  const pinned = TASKSET && cpuCount() >= 2 && pinSelf(1);
  const redis = await startRedis();
  const smtp = await startMailCounter();
  const bot = await startRealBot({
    core: pinned ? 0 : undefined,
    redisUrl: redis.url,
    redisPrefix: 'bench-hostile:',
    smtpUrl: smtp.url,
    ...(options.build ? { build: options.build } : {}),
  });
  const client = new BotClient(bot.url, 'http://127.0.0.1:9/');
  const pid = bot.proc.pid;
  try {
    const plainRun = async () => {
      const chat = new Conversation(client, 'webchat', 'bench-hostile-plain');
      return measure(
        pid,
        'plain question',
        PLAIN_QUESTION.length,
        () => chat.say(PLAIN_QUESTION),
        turns.root,
      );
    };
    log(`hostile text: plain question, ${TEXT_SHAPES.length} shapes at ${CAP} characters at the root`);
    const plainFirst = await plainRun();
    const root: Row[] = [];
    for (const shape of TEXT_SHAPES) {
      const text = shape.build(CAP);
      const chat = new Conversation(client, 'webchat', 'bench-hostile');
      root.push(await measure(pid, shape.name, text.length, () => chat.say(text), turns.root));
    }
    const plainLast = await plainRun();
    const plain: Row = {
      shape: 'plain question',
      length: PLAIN_QUESTION.length,
      medianMs: (plainFirst.medianMs + plainLast.medianMs) / 2,
    };
    if (plainFirst.cpuMsPerTurn !== undefined && plainLast.cpuMsPerTurn !== undefined)
      plain.cpuMsPerTurn = (plainFirst.cpuMsPerTurn + plainLast.cpuMsPerTurn) / 2;

    const questions: HostileTextFigures['questions'] = [];
    for (const [step, setup] of STEPS) {
      log(`hostile text: the same shapes at the ${step}`);
      const rows: Row[] = [];
      for (const shape of TEXT_SHAPES)
        rows.push(await measureAtStep(client, setup, shape.name, shape.build(CAP), turns.question));
      questions.push({ step, rows });
    }

    log('hostile text: the issue’s 20,000-character passwordEntered event, with /healthz asked meanwhile');
    const prompt = new Conversation(client, 'webchat', 'bench-hostile-event');
    await prompt.join();
    await prompt.say('Créer mon compte électeur');
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

    const all = [
      ...root.map((row) => ({ where: 'root', row })),
      ...questions.flatMap(({ step, rows }) => rows.map((row) => ({ where: step, row }))),
    ];
    const worst = all.reduce((a, b) => (b.row.medianMs > a.row.medianMs ? b : a));
    const cpuRatio = (row: Row) =>
      row.cpuMsPerTurn !== undefined && plain.cpuMsPerTurn
        ? row.cpuMsPerTurn / plain.cpuMsPerTurn
        : undefined;
    const worstCpu = root.reduce((a, b) => ((cpuRatio(b) ?? 0) > (cpuRatio(a) ?? 0) ? b : a));
    return {
      cap: CAP,
      turnsPerShape: turns,
      plain,
      root,
      questions,
      worst: {
        where: worst.where,
        shape: worst.row.shape,
        timesPlainLatency: worst.row.medianMs / plain.medianMs,
      },
      worstCpuAtRoot: { shape: worstCpu.shape, timesPlainCpu: cpuRatio(worstCpu) },
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

/** The worst ratio of the run, which the goal (≤ 4×) is judged on. */
export function worstRatio(f: HostileTextFigures): number {
  return Math.max(f.worst.timesPlainLatency, f.worstCpuAtRoot.timesPlainCpu ?? 0);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}

export function formatHostileText(f: HostileTextFigures): string {
  const times = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(2)}×`);
  const title = `Hostile text at the cap (${f.cap} characters), real bot over HTTP`;
  const rootRows = [f.plain, ...f.root].map((row) => [
    row.shape,
    String(row.length),
    row.medianMs.toFixed(2),
    row.cpuMsPerTurn === undefined ? '—' : row.cpuMsPerTurn.toFixed(2),
    times(
      row.cpuMsPerTurn !== undefined && f.plain.cpuMsPerTurn
        ? row.cpuMsPerTurn / f.plain.cpuMsPerTurn
        : undefined,
    ),
    times(row.medianMs / f.plain.medianMs),
  ]);
  const shapes = f.root.map((r) => r.shape);
  const questionRows = shapes.map((shape) => [
    shape,
    ...f.questions.map(({ rows }) => {
      const row = rows.find((r) => r.shape === shape);
      return row ? `${row.medianMs.toFixed(1)} (${times(row.medianMs / f.plain.medianMs)})` : '—';
    }),
  ]);
  const worst = worstRatio(f);
  return [
    '',
    title,
    '-'.repeat(title.length),
    `At the root, ${f.turnsPerShape.root} turns per shape in one conversation:`,
    ...table(['shape', 'chars', 'median ms', 'CPU ms/turn', '× plain (CPU)', '× plain (latency)'], rootRows),
    '',
    `At each question of the activation, median ms of ${f.turnsPerShape.question} turns (× plain question latency):`,
    ...table(['shape', ...f.questions.map((q) => q.step)], questionRows),
    '',
    `worst: ${f.worst.shape} at the ${f.worst.where}, ${times(f.worst.timesPlainLatency)} a plain question in latency; ` +
      `worst CPU at the root: ${f.worstCpuAtRoot.shape}, ${times(f.worstCpuAtRoot.timesPlainCpu)} ` +
      `(goal ≤ ${f.goal}×: ${worst <= f.goal ? 'met' : 'NOT MET'})`,
    `the issue's ${f.issueEvent.length.toLocaleString('en')}-character passwordEntered event: ` +
      `${f.issueEvent.refused ? 'refused « trop long »' : 'NOT REFUSED'} in ${f.issueEvent.medianMs.toFixed(1)} ms (median); ` +
      `/healthz asked meanwhile: ${f.issueEvent.healthzMedianMs.toFixed(1)} ms`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  installCleanup();
  const buildAt = args.indexOf('--build');
  const build = buildAt >= 0 ? args[buildAt + 1] : undefined;
  runHostileText({ quick: args.includes('--quick'), ...(build ? { build } : {}) }).then(
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
