import type { Logger } from '../log';

/**
 * A task run every `periodMs` (real time), never two at once, never throwing out of its loop; `stop`
 * waits for the run in flight (shutdown). Timers are unref'd: they never hold the process.
 */
export class Interval {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly periodMs: number,
    private readonly task: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.periodMs);
    this.timer.unref();
  }

  /** One run now (tests, and the loop); joins the run in flight rather than starting a second. */
  tick(): Promise<void> {
    this.running ??= this.task()
      .catch((error: unknown) =>
        this.logger.warn({ err: { message: (error as Error).message } }, 'tâche périodique en échec'),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
