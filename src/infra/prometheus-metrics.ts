import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics, MetricsExposition, TurnOutcome } from '../domain/metrics/ports';

/** From a fast answer (1 ms) to a channel's patience (15 s). */
const TURN_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];
const STORE_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2];
const WAIT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The operators' figures with prom-client, in a registry of this app's own (tests build several apps in
 * one process): turn latency, Redis round trips and errors by operation, lock waits, mails sent and
 * failed, the outbox backlog, and Node's own (event-loop delay, GC, memory) under `ae_`.
 */
export class PrometheusMetrics implements Metrics, MetricsExposition {
  private readonly registry = new Registry();
  private readonly turns: Histogram<'outcome'>;
  private readonly storeCalls: Histogram<'operation'>;
  private readonly storeErrors: Counter<'operation'>;
  private readonly lockWaits: Histogram;
  private readonly mails: Counter<'result'>;
  private backlog: (() => Promise<number>) | undefined;
  private handoffs: (() => Promise<{ waiting: number; taken: number }>) | undefined;

  constructor() {
    const registers = [this.registry];
    this.turns = new Histogram({
      name: 'ae_turn_duration_seconds',
      help: 'Turns from the HTTP request to the answer, by outcome.',
      labelNames: ['outcome'],
      buckets: TURN_BUCKETS,
      registers,
    });
    this.storeCalls = new Histogram({
      name: 'ae_redis_round_trip_seconds',
      help: 'Redis round trips (a command, a script or a transaction), by operation.',
      labelNames: ['operation'],
      buckets: STORE_BUCKETS,
      registers,
    });
    this.storeErrors = new Counter({
      name: 'ae_redis_errors_total',
      help: 'Redis round trips that failed (timeout, connection, script error), by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.lockWaits = new Histogram({
      name: 'ae_lock_wait_seconds',
      help: 'Waits for a conversation lock another turn held.',
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.mails = new Counter({
      name: 'ae_mails_total',
      help: 'Confirmation mails sent, and given up on.',
      labelNames: ['result'],
      registers,
    });
    const read = () => this.backlog?.() ?? Promise.resolve(0);
    new Gauge({
      name: 'ae_outbox_backlog',
      help: 'Mails waiting in the outbox (due or not).',
      registers,
      async collect() {
        this.set(await read());
      },
    });
    const queue = () => this.handoffs?.() ?? Promise.resolve({ waiting: 0, taken: 0 });
    new Gauge({
      name: 'ae_handoff_queue',
      help: 'Live handoffs: teachers waiting for an agent, and exchanges an agent holds.',
      labelNames: ['status'],
      registers,
      async collect() {
        const { waiting, taken } = await queue();
        this.set({ status: 'waiting' }, waiting);
        this.set({ status: 'taken' }, taken);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'ae_' });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  turnFinished(seconds: number, outcome: TurnOutcome): void {
    this.turns.observe({ outcome }, seconds);
  }

  storeCall(operation: string, seconds: number, failed: boolean): void {
    this.storeCalls.observe({ operation }, seconds);
    if (failed) this.storeErrors.inc({ operation });
  }

  lockWaited(seconds: number): void {
    this.lockWaits.observe(seconds);
  }

  mailSent(): void {
    this.mails.inc({ result: 'sent' });
  }

  mailFailed(): void {
    this.mails.inc({ result: 'failed' });
  }

  outboxBacklog(read: () => Promise<number>): void {
    this.backlog = read;
  }

  handoffQueue(read: () => Promise<{ waiting: number; taken: number }>): void {
    this.handoffs = read;
  }
}
