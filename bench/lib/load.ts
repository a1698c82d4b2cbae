import { randomUUID } from 'node:crypto';
import http from 'node:http';

/** What the bot answered, as far as the checks need. */
export interface Reply {
  type: string;
  text?: string;
  attachments?: Array<{ contentType: string; content?: unknown }>;
  suggestedActions?: { actions: Array<{ title: string; value: string }> };
}

/**
 * POSTs activities to /api/messages over keep-alive connections (a Bot Framework channel keeps its
 * connections open too), with `deliveryMode: 'expectReplies'`: the replies come back in the response.
 */
export class BotClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(
    baseUrl: string,
    readonly serviceUrl: string,
    maxSockets = 512,
  ) {
    this.url = new URL('/api/messages', baseUrl);
    // An idle socket is dropped after 3 s, before the server's 5 s keep-alive timeout: otherwise a request
    // can go out on a socket the server is closing at that moment (ECONNRESET).
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 3_000 });
  }

  post(activity: Record<string, unknown>, timeoutMs = 60_000): Promise<Reply[]> {
    const body = Buffer.from(JSON.stringify(activity));
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': body.length },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
              return;
            }
            try {
              resolve(text ? ((JSON.parse(text) as { activities?: Reply[] }).activities ?? []) : []);
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One user's conversation: the same ids on every turn, a fresh activity id each time. */
export class Conversation {
  /** `tag` starts the id, so that the Redis keys of one group of conversations can be found. */
  readonly id: string;
  readonly user = { id: `user-${randomUUID()}`, name: 'Jeanne Martin' };
  /** The id of the last activity sent (to match a turn with the bot's trace of it). */
  lastActivityId = '';
  readonly bot = { id: 'assistant-electeur', name: 'Assistant électeur' };

  constructor(
    private readonly client: BotClient,
    readonly channelId = 'webchat',
    tag = 'bench',
  ) {
    this.id = `${tag}-${randomUUID()}`;
  }

  send(activity: Record<string, unknown>): Promise<Reply[]> {
    this.lastActivityId = randomUUID();
    return this.client.post({
      id: this.lastActivityId,
      channelId: this.channelId,
      serviceUrl: this.client.serviceUrl,
      conversation: { id: this.id },
      from: this.user,
      recipient: this.bot,
      deliveryMode: 'expectReplies',
      locale: 'fr-FR',
      timestamp: new Date().toISOString(),
      ...activity,
    });
  }

  join(): Promise<Reply[]> {
    return this.send({ type: 'conversationUpdate', membersAdded: [this.bot, this.user] });
  }

  say(text: string): Promise<Reply[]> {
    return this.send({ type: 'message', text });
  }

  submit(value: Record<string, unknown>): Promise<Reply[]> {
    return this.send({ type: 'message', value });
  }
}

export function textOf(replies: readonly Reply[]): string {
  return replies.map((r) => r.text ?? '').join('\n');
}

/** A turn of a scenario; throws when the reply is wrong (that turn then counts as an error). */
export type Turn = (conversation: Conversation) => Promise<void>;

export interface RunStats {
  /** Turns started. */
  readonly turns: number;
  readonly ok: number;
  readonly errors: number;
  /** A few distinct error messages, for the report. */
  readonly errorSamples: string[];
  /** From the first send to the last reply. */
  readonly elapsedMs: number;
  /** Successful turns per second over elapsedMs. */
  readonly throughput: number;
  /** Milliseconds, successful turns only. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Open loop only: the rate asked for. */
  readonly offered?: number;
  /**
   * Open loop only: arrivals not sent because the backlog passed `maxBacklogMs` of arrivals (the server
   * cannot keep up with the offered load; the point is then reported as overloaded).
   */
  readonly dropped?: number;
  /** Closed loop only. */
  readonly concurrency?: number;
}

class Recorder {
  readonly latencies: number[] = [];
  errors = 0;
  turns = 0;
  readonly samples = new Set<string>();

  record(latency: number): void {
    this.latencies.push(latency);
  }

  fail(error: unknown): void {
    this.errors += 1;
    if (this.samples.size < 5) this.samples.add(((error as Error)?.message ?? String(error)).slice(0, 300));
  }

  stats(elapsedMs: number, extra: Partial<RunStats> = {}): RunStats {
    const sorted = Float64Array.from(this.latencies).sort();
    const pct = (p: number) =>
      sorted.length === 0
        ? Number.NaN
        : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);
    return {
      turns: this.turns,
      ok: this.latencies.length,
      errors: this.errors,
      errorSamples: [...this.samples],
      elapsedMs,
      throughput: (this.latencies.length * 1000) / elapsedMs,
      p50: pct(0.5),
      p95: pct(0.95),
      p99: pct(0.99),
      max: sorted.length ? (sorted[sorted.length - 1] ?? 0) : Number.NaN,
      ...extra,
    };
  }
}

/**
 * A pool of idle conversations: a conversation carries one turn at a time (the bot serialises the turns
 * of a conversation with a lock), so arrivals take an idle one, or start a new one.
 */
class ConversationPool {
  private readonly idle: Conversation[] = [];
  created = 0;

  constructor(private readonly factory: () => Conversation) {}

  take(): Conversation {
    const c = this.idle.pop();
    if (c) return c;
    this.created += 1;
    return this.factory();
  }

  give(c: Conversation): void {
    this.idle.push(c);
  }
}

/**
 * Open loop: arrivals at a fixed rate whatever the server does, latency measured from each turn's
 * scheduled time (not from when the driver got round to sending it), so a stall is counted for every
 * turn it delays: no coordinated omission.
 */
export async function openLoop(options: {
  rate: number;
  durationMs: number;
  turn: Turn;
  newConversation: () => Conversation;
  /** Stop sending when this many ms of arrivals wait for replies (default 2 s). */
  maxBacklogMs?: number;
  /** Told each successful turn's last activity id and latency (from its scheduled time). */
  observe?: (activityId: string, latencyMs: number) => void;
}): Promise<RunStats & { conversations: number }> {
  const rec = new Recorder();
  const pool = new ConversationPool(options.newConversation);
  const total = Math.max(1, Math.round((options.rate * options.durationMs) / 1000));
  const interval = 1000 / options.rate;
  const start = performance.now();
  const maxInFlight = Math.max(10, (options.rate * (options.maxBacklogMs ?? 2_000)) / 1000);
  let fired = 0;
  let done = 0;
  let dropped = 0;
  let last = start;
  await new Promise<void>((resolve) => {
    const fire = (scheduled: number) => {
      const conversation = pool.take();
      rec.turns += 1;
      options
        .turn(conversation)
        .then(
          () => {
            const now = performance.now();
            rec.record(now - scheduled);
            options.observe?.(conversation.lastActivityId, now - scheduled);
            last = now;
          },
          (error: unknown) => {
            rec.fail(error);
            last = performance.now();
          },
        )
        .finally(() => {
          pool.give(conversation);
          done += 1;
          if (done + dropped === total) resolve();
        });
    };
    const tick = () => {
      const now = performance.now();
      while (fired < total && start + fired * interval <= now) {
        if (fired - done - dropped >= maxInFlight) {
          // Overloaded: the rest of the arrivals are counted as dropped, not sent.
          dropped = total - fired;
          fired = total;
          if (done + dropped === total) resolve();
          return;
        }
        fire(start + fired * interval);
        fired += 1;
      }
      if (fired < total)
        setTimeout(tick, Math.max(0, Math.min(interval, start + fired * interval - now) - 0.5));
    };
    tick();
  });
  return { ...rec.stats(last - start, { offered: options.rate, dropped }), conversations: pool.created };
}

/**
 * Closed loop: `concurrency` users, each sending its next turn as soon as the previous reply arrives:
 * the server's saturation throughput. Turns during the warm-up are not counted.
 */
export async function closedLoop(options: {
  concurrency: number;
  durationMs: number;
  warmupMs?: number;
  turn: Turn;
  newConversation: () => Conversation;
}): Promise<RunStats> {
  const rec = new Recorder();
  const warmupEnd = performance.now() + (options.warmupMs ?? 0);
  const end = warmupEnd + options.durationMs;
  let measuredStart = Number.NaN;
  let last = warmupEnd;
  const worker = async () => {
    const conversation = options.newConversation();
    while (performance.now() < end) {
      const t0 = performance.now();
      const counted = t0 >= warmupEnd;
      if (counted) {
        if (Number.isNaN(measuredStart)) measuredStart = warmupEnd;
        rec.turns += 1;
      }
      try {
        await options.turn(conversation);
        const t1 = performance.now();
        if (counted) {
          rec.record(t1 - t0);
          last = t1;
        }
      } catch (error) {
        if (counted) rec.fail(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return rec.stats(last - warmupEnd, { concurrency: options.concurrency });
}

/** Runs `items` through `turn`-like tasks with bounded concurrency; returns the stats of all of them. */
export async function runAll<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<RunStats> {
  const rec = new Recorder();
  let next = 0;
  const start = performance.now();
  let last = start;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      rec.turns += 1;
      const t0 = performance.now();
      try {
        await task(item);
        last = performance.now();
        rec.record(last - t0);
      } catch (error) {
        rec.fail(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return rec.stats(last - start, { concurrency });
}
