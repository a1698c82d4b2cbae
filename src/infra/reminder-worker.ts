import type { Clock } from '../clock';
import type { RateLimiter } from '../domain/limits/rate-limiter';
import { RULES } from '../domain/limits/rules';
import type { ClaimedReminder, ReminderStore } from '../domain/reminders/ports';
import type { Logger } from '../log';

/**
 * What became of one delivery: said; certainly not said (the channel refused it: worth another try);
 * or unknown (the connection broke while sending: never tried again, since saying it twice is worse than
 * not saying it); or nothing left to say (the account was confirmed meanwhile): forgotten.
 */
export type Delivery = 'sent' | 'failed' | 'uncertain' | 'skipped';

export interface ReminderWorkerOptions {
  readonly store: ReminderStore;
  readonly deliver: (reminder: ClaimedReminder) => Promise<Delivery>;
  /** The application clock: reminders are due in the election's time (CLOCK_NOW in the demo). */
  readonly clock: Clock;
  readonly logger: Logger;
  /** RULES.remindersPerConversation: a conversation is never flooded, whatever was scheduled. */
  readonly limiter?: Pick<RateLimiter, 'consume'>;
  /** Real time between two polls. */
  readonly pollMs?: number;
  readonly batchSize?: number;
  readonly maxAttempts?: number;
  readonly retryMs?: number;
}

/**
 * Delivers the reminders whose time has come, on every instance: each claim takes reminders out of the
 * shared queue, so one instance says each one, once. Never throws out of its loop; logs no address.
 */
export class ReminderWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryMs: number;

  constructor(private readonly options: ReminderWorkerOptions) {
    this.pollMs = options.pollMs ?? 5_000;
    this.batchSize = options.batchSize ?? 20;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryMs = options.retryMs ?? 60_000;
  }

  start(): void {
    if (this.timer) return;
    const loop = () => {
      this.timer = setTimeout(async () => {
        await this.tick();
        if (this.timer) loop();
      }, this.pollMs);
      this.timer.unref();
    };
    loop();
  }

  /** Stops polling and waits for the batch in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One poll: the number of reminders said. For tests, and the loop. */
  async tick(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.deliverDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async deliverDue(): Promise<number> {
    const { store, clock, logger } = this.options;
    let claimed: ClaimedReminder[];
    try {
      claimed = await store.claimDue(clock.now().getTime(), this.batchSize);
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'rappels : file indisponible');
      return 0;
    }
    let said = 0;
    for (const reminder of claimed) {
      try {
        if (await this.deliverOne(reminder)) said += 1;
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message }, kind: reminder.kind }, 'rappel non remis');
      }
    }
    return said;
  }

  private async deliverOne(reminder: ClaimedReminder): Promise<boolean> {
    const { store, clock, limiter, logger } = this.options;
    const now = clock.now().getTime();
    const budget = await limiter?.consume(RULES.remindersPerConversation, reminder.conversationTag, now);
    if (budget && !budget.allowed) {
      logger.info({ kind: reminder.kind }, 'rappel abandonné : trop de rappels pour cette conversation');
      await store.done(reminder.id);
      return false;
    }
    const delivery = await this.options.deliver(reminder);
    if (delivery === 'failed' && reminder.attempts + 1 < this.maxAttempts) {
      await store.retry(reminder, now + this.retryMs * 2 ** reminder.attempts, now);
      return false;
    }
    await store.done(reminder.id);
    if (delivery === 'failed' || delivery === 'uncertain')
      logger.info({ kind: reminder.kind, delivery }, 'rappel non remis, abandonné');
    return delivery === 'sent';
  }
}
