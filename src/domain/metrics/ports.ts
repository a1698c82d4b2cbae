import type { TurnObserver } from '../turns/ports';

/** How a turn ended, as the operators count them. */
export type TurnOutcome = 'answered' | 'failed' | 'duplicate';

/**
 * The figures operators watch live (`/metrics`, Prometheus format when METRICS_TOKEN is set). Recording
 * costs next to nothing and never throws: a figure is never worth a teacher's answer. Labels are fixed
 * names (operations, outcomes), never anything a teacher sends.
 */
export interface Metrics extends TurnObserver {
  /** A turn from the HTTP request to its answer. */
  turnFinished(seconds: number, outcome: TurnOutcome): void;
  /** One call to Redis (a command, a script or a transaction: one round trip), and whether it failed. */
  storeCall(operation: string, seconds: number, failed: boolean): void;
  mailSent(): void;
  /** A mail given up on (retries are not failures). */
  mailFailed(): void;
  /** Read when the figures are asked for: mails waiting in the outbox. */
  outboxBacklog(read: () => Promise<number>): void;
  /** Read when the figures are asked for: teachers waiting for an agent, and exchanges in progress. */
  handoffQueue(read: () => Promise<{ waiting: number; taken: number }>): void;
}

/** The text the `/metrics` route serves. */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
}

/** When nothing reads the figures (METRICS_TOKEN unset): nothing is kept. */
export const NO_METRICS: Metrics = {
  turnFinished: () => undefined,
  storeCall: () => undefined,
  mailSent: () => undefined,
  mailFailed: () => undefined,
  outboxBacklog: () => undefined,
  handoffQueue: () => undefined,
  lockWaited: () => undefined,
};
