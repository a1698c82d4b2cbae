import { BotClient, Conversation, closedLoop, openLoop, type RunStats, type Turn } from './load';
import { startRealBot } from './servers';

/** One slow turn as the bot logged it (src/bot/turn-trace.ts): milliseconds by phase. */
export interface ServerTrace {
  readonly activityId: string;
  readonly outcome: string;
  readonly totalMs: number;
  readonly request: number;
  readonly parse: number;
  readonly begin: number;
  readonly lockWait: number;
  readonly bot: number;
  readonly end: number;
  readonly reply: number;
  readonly gcMs: number;
  readonly gcs: number;
  readonly majorGcs: number;
  readonly loopBlockedMs: number;
}

export interface TraceRun {
  readonly stats: RunStats;
  readonly thresholdMs: number;
  /** Every turn the driver timed: activity id → latency from its scheduled send. */
  readonly latencies: Map<string, number>;
  readonly traces: ServerTrace[];
}

/**
 * Question turns in open loop on a bot of its own started with TURN_TRACE_MS: the bot logs every turn
 * slower than the threshold with its phases, the driver times every turn; the two are matched by
 * activity id.
 */
export async function traceRun(options: {
  redisUrl: string;
  smtpUrl: string;
  core: number | undefined;
  build: string;
  rate: number;
  durationMs: number;
  thresholdMs: number;
  turn: () => Turn;
}): Promise<TraceRun> {
  const traces: ServerTrace[] = [];
  const bot = await startRealBot({
    core: options.core,
    redisUrl: options.redisUrl,
    redisPrefix: 'benchtrace:',
    smtpUrl: options.smtpUrl,
    build: options.build,
    env: { TURN_TRACE_MS: String(options.thresholdMs) },
    onLine: (line) => {
      if (!line.includes('"slow turn"')) return;
      try {
        const record = JSON.parse(line) as { turnTrace?: ServerTrace };
        if (record.turnTrace) traces.push(record.turnTrace);
      } catch {
        // Not a log line of ours.
      }
    },
  });
  const client = new BotClient(bot.url, 'http://127.0.0.1:9/');
  const newConversation = () => new Conversation(client, 'webchat', 'bench-trace');
  try {
    await closedLoop({ concurrency: 8, durationMs: 2_000, turn: options.turn(), newConversation });
    traces.length = 0;
    const latencies = new Map<string, number>();
    const stats = await openLoop({
      rate: options.rate,
      durationMs: options.durationMs,
      turn: options.turn(),
      newConversation,
      observe: (id, ms) => latencies.set(id, ms),
    });
    // The last lines may still be on their way.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { stats, thresholdMs: options.thresholdMs, latencies, traces: [...traces] };
  } finally {
    client.close();
    await bot.proc.stop();
  }
}

const PHASES = [
  'request',
  'parse',
  'begin',
  'lockWait',
  'bot',
  'end',
  'reply',
  'gcMs',
  'loopBlockedMs',
] as const;

export interface TraceSummary {
  readonly turns: number;
  readonly p99Ms: number;
  /** The driver's slowest 1 % of turns. */
  readonly slowest: {
    readonly turns: number;
    /** Of those, the ones the bot itself found slow (over the threshold). */
    readonly tracedByBot: number;
    readonly medianClientMs: number;
    /** Median of the bot's own time for the traced ones. */
    readonly medianServerMs: number;
    /** Median of (driver's latency − bot's time): before the bot read the request, or after it answered. */
    readonly medianOutsideMs: number;
    /** Mean milliseconds per phase over the traced ones (lockWait is inside begin; gc and loop overlap). */
    readonly phases: Record<string, number>;
  };
  /** Every turn the bot traced: mean milliseconds per phase. */
  readonly allTraced: { readonly turns: number; readonly phases: Record<string, number> };
}

export function summariseTrace(run: TraceRun): TraceSummary {
  const byId = new Map(run.traces.map((t) => [t.activityId, t]));
  const sorted = [...run.latencies.entries()].sort((a, b) => b[1] - a[1]);
  const slowest = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 100)));
  const matched = slowest.flatMap(([id, ms]) => {
    const trace = byId.get(id);
    return trace ? [{ clientMs: ms, trace }] : [];
  });
  const mean = (traces: readonly ServerTrace[]) =>
    Object.fromEntries(
      PHASES.map((phase) => [phase, traces.reduce((a, t) => a + t[phase], 0) / Math.max(1, traces.length)]),
    );
  const median = (values: number[]) => {
    const v = values.sort((a, b) => a - b);
    return v.length === 0 ? Number.NaN : (v[Math.floor(v.length / 2)] as number);
  };
  return {
    turns: run.latencies.size,
    p99Ms: run.stats.p99,
    slowest: {
      turns: slowest.length,
      tracedByBot: matched.length,
      medianClientMs: median(slowest.map(([, ms]) => ms)),
      medianServerMs: median(matched.map((m) => m.trace.totalMs)),
      medianOutsideMs: median(
        slowest.map(([id, ms]) => ms - (byId.get(id)?.totalMs ?? Math.min(ms, run.thresholdMs))),
      ),
      phases: mean(matched.map((m) => m.trace)),
    },
    allTraced: { turns: run.traces.length, phases: mean(run.traces) },
  };
}

/** The summary as table rows. */
export function traceRows(summary: TraceSummary): Array<[string, string]> {
  const phases = (p: Record<string, number>) =>
    PHASES.map((phase) => `${phase} ${(p[phase] ?? 0).toFixed(1)}`).join(', ');
  const s = summary.slowest;
  return [
    ['turns timed (open loop 200/s), p99', `${summary.turns}, ${summary.p99Ms.toFixed(1)} ms`],
    [
      `the slowest 1 % (${s.turns} turns): traced by the bot`,
      `${s.tracedByBot} (the others took under the threshold inside the bot)`,
    ],
    [
      '  median latency: driver / inside the bot / outside it',
      `${s.medianClientMs.toFixed(1)} / ${s.medianServerMs.toFixed(1)} / ${s.medianOutsideMs.toFixed(1)} ms`,
    ],
    ['  mean ms by phase (traced ones)', phases(s.phases)],
    [`every turn the bot traced (${summary.allTraced.turns})`, phases(summary.allTraced.phases)],
  ];
}
