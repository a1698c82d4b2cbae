import { PerformanceObserver } from 'node:perf_hooks';
import type { Logger } from '../log';

/**
 * Where one turn's time went: before the handler (restify, the body), the turn guard's first round trip
 * (and the wait for a lock another turn held), the bot's own work, the guard's second round trip, and
 * the answer; plus, when slow turns are traced, the garbage collections and event-loop stalls that fell
 * within it. The HTTP route starts it, the turn guard's middleware marks its round trips: botbuilder
 * copies the activity on its way, so they find it by its ids (a turn without id is timed as a whole).
 */
export class TurnTrace {
  /** performance.now() at each mark; `start` is when restify took the request. */
  readonly start: number;
  handler = 0;
  beginSent = 0;
  beginDone = 0;
  lockWaitMs = 0;
  endSent = 0;
  endDone = 0;
  done = 0;
  outcome: 'answered' | 'failed' | 'duplicate' = 'answered';

  constructor(requestStartedEpochMs: number) {
    const now = performance.now();
    this.handler = now;
    // restify dates the request in epoch milliseconds: the same instant on the monotonic clock.
    this.start = Math.min(now, now - (Date.now() - requestStartedEpochMs));
  }

  get totalMs(): number {
    return this.done - this.start;
  }

  /** The phases in milliseconds, in order; a phase the turn did not reach is 0. */
  phases(): Record<string, number> {
    const span = (from: number, to: number) => (from && to ? round(to - from) : 0);
    return {
      request: span(this.start, this.handler),
      parse: span(this.handler, this.beginSent),
      begin: span(this.beginSent, this.beginDone),
      lockWait: round(this.lockWaitMs),
      bot: span(this.beginDone, this.endSent),
      end: span(this.endSent, this.endDone),
      reply: span(this.endDone || this.beginDone, this.done),
    };
  }
}

/** The turns in progress whose activity has ids; a channel's retry racing its original shares one. */
const traces = new Map<string, TurnTrace>();

interface Ids {
  readonly id?: string | undefined;
  readonly channelId?: string | undefined;
  readonly conversation?: { readonly id?: string | undefined } | undefined;
}

function keyOf(activity: Ids): string | undefined {
  const { id, channelId, conversation } = activity;
  return id && channelId && conversation?.id ? `${channelId}|${conversation.id}|${id}` : undefined;
}

/** Follows the turn of this activity: the middleware finds the trace by its ids until `finishTrace`. */
export function trackTrace(activity: Ids, trace: TurnTrace): void {
  const key = keyOf(activity);
  if (key) traces.set(key, trace);
}

export function finishTrace(activity: Ids, trace: TurnTrace): void {
  trace.done = performance.now();
  const key = keyOf(activity);
  if (key && traces.get(key) === trace) traces.delete(key);
}

/** The trace of the turn of this activity (undefined when not traced). */
export function traceOf(activity: Ids): TurnTrace | undefined {
  if (traces.size === 0) return undefined;
  const key = keyOf(activity);
  return key ? traces.get(key) : undefined;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * TURN_TRACE_MS: every turn slower than the threshold is logged (warn) with its phases, the garbage
 * collections that overlapped it, and how late the event loop ran meanwhile (a 5 ms timer's lateness).
 * Only the activity id and timings: nothing the teacher wrote.
 */
export class SlowTurnLog {
  private readonly gcs: Array<{ start: number; end: number; kind: number }> = [];
  private readonly lags: Array<{ at: number; lateMs: number }> = [];
  private readonly observer: PerformanceObserver;
  private readonly sampler: NodeJS.Timeout;
  private expected = performance.now() + SAMPLE_MS;

  constructor(
    private readonly thresholdMs: number,
    private readonly logger: Logger,
  ) {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        this.gcs.push({
          start: entry.startTime,
          end: entry.startTime + entry.duration,
          kind: (entry as { detail?: { kind?: number } }).detail?.kind ?? 0,
        });
      this.forget(this.gcs, (g) => g.end);
    });
    this.observer.observe({ entryTypes: ['gc'] });
    this.sampler = setInterval(() => {
      const now = performance.now();
      const late = now - this.expected;
      this.expected = now + SAMPLE_MS;
      if (late > 1) this.lags.push({ at: now, lateMs: late });
      this.forget(this.lags, (l) => l.at);
    }, SAMPLE_MS);
    this.sampler.unref();
  }

  record(activityId: string | undefined, trace: TurnTrace): void {
    if (trace.totalMs < this.thresholdMs) return;
    const from = trace.start;
    const to = trace.done;
    let gcMs = 0;
    let gcs = 0;
    let majorGcs = 0;
    for (const gc of this.gcs) {
      const overlap = Math.min(to, gc.end) - Math.max(from, gc.start);
      if (overlap <= 0) continue;
      gcMs += overlap;
      gcs++;
      // perf_hooks' NODE_PERFORMANCE_GC_MAJOR
      if (gc.kind === 4) majorGcs++;
    }
    let lateMs = 0;
    for (const lag of this.lags) {
      // A sample taken at `at` was late by `lateMs`: the loop was blocked over [at - lateMs, at].
      const overlap = Math.min(to, lag.at) - Math.max(from, lag.at - lag.lateMs);
      if (overlap > 0) lateMs += overlap;
    }
    this.logger.warn(
      {
        turnTrace: {
          activityId: activityId?.slice(0, 100),
          outcome: trace.outcome,
          totalMs: round(trace.totalMs),
          ...trace.phases(),
          gcMs: round(gcMs),
          gcs,
          majorGcs,
          loopBlockedMs: round(lateMs),
        },
      },
      'slow turn',
    );
  }

  close(): void {
    this.observer.disconnect();
    clearInterval(this.sampler);
  }

  /** Keeps the last few seconds only. */
  private forget<T>(list: T[], at: (item: T) => number): void {
    const oldest = performance.now() - KEEP_MS;
    let drop = 0;
    while (drop < list.length && at(list[drop] as T) < oldest) drop++;
    if (drop > 0) list.splice(0, drop);
  }
}

const SAMPLE_MS = 5;
const KEEP_MS = 20_000;
