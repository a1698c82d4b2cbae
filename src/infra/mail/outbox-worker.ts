import type { Clock } from '../../clock';
import type { Outbox, OutboxMail, QueuedMail } from '../../domain/accounts/ports';
import type { Logger } from '../../log';
import type { RenderedMail } from './templates';
import type { MailTransport } from './transport';

export interface OutboxWorkerOptions {
  outbox: Outbox;
  transport: MailTransport;
  render: (mail: OutboxMail) => RenderedMail;
  /** The application clock: it schedules retries in the same time as the account service enqueues. */
  clock: Clock;
  logger: Logger;
  /** Real time between two polls when nothing kicks the worker. */
  pollMs?: number;
  /** How long a claimed mail stays hidden from other workers: well above the time a batch can take. */
  leaseMs?: number;
  maxAttempts?: number;
  batchSize?: number;
  /** Jitter source, for tests. */
  random?: () => number;
  /**
   * The recipient's mail budget, asked once per mail before its first attempt: 0 to send now, or how long
   * to hold it (it then waits in the outbox, with no attempt counted). Retries after a failure are not
   * counted again. Absent: no budget.
   */
  budget?: (mail: OutboxMail, now: number) => Promise<number>;
  /** `to`: the recipient, for the statistics by académie (never to be logged). */
  onSent?: (info: { id: string; kind: OutboxMail['kind']; to: string; link?: string }) => void;
  /** Each failed attempt (for the statistics); `givenUp` when the mail went to the dead letters. */
  onFailed?: (info: { id: string; to: string; givenUp: boolean }) => void;
}

export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 10 * 60_000;

/**
 * Delay before the next attempt after `failures` failures: 5 s, 10 s, 20 s … capped at 10 minutes, each
 * within ±20 % so that mails failed together do not retry together.
 */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(Math.min(RETRY_CAP_MS, base * (0.8 + 0.4 * random())));
}

/**
 * Sends the outbox: claims due mails with a lease, renders them (the token is unsealed only here), sends,
 * and records the result. Never throws out of its loop, and never logs an address, a token or a link:
 * only the outbox id and an error code or a scrubbed message.
 */
export class OutboxWorker {
  private readonly outbox: Outbox;
  private readonly transport: MailTransport;
  private readonly render: (mail: OutboxMail) => RenderedMail;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly random: () => number;
  private readonly budget?: OutboxWorkerOptions['budget'];
  private readonly onSent?: OutboxWorkerOptions['onSent'];
  private readonly onFailed?: OutboxWorkerOptions['onFailed'];

  private inFlight: Promise<number> | undefined;
  /** performance.now() past which no new batch is claimed (set by flush, for shutdown). */
  private claimUntil = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private kickScheduled = false;
  private running = false;
  private stopped = false;

  constructor(options: OutboxWorkerOptions) {
    this.outbox = options.outbox;
    this.transport = options.transport;
    this.render = options.render;
    this.clock = options.clock;
    this.log = options.logger.child({ component: 'outbox-worker' });
    this.pollMs = options.pollMs ?? 2_000;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.batchSize = options.batchSize ?? 10;
    this.random = options.random ?? Math.random;
    this.budget = options.budget;
    this.onSent = options.onSent;
    this.onFailed = options.onFailed;
  }

  /** Polls every `pollMs` until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in flight, so that no mail is left half-recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  /**
   * One last drain at shutdown, bounded by `timeoutMs`: polling stops, due mails are sent, and no new
   * batch is claimed once the time is up (a claimed mail not sent goes to another instance when its
   * lease ends). Resolves with the number sent, or 'timeout' while a batch is still in flight: call
   * settled() after closing the transport, so that its outcome is recorded before Redis closes.
   */
  async flush(timeoutMs: number): Promise<number | 'timeout'> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.claimUntil = performance.now() + timeoutMs;
    return this.within(this.drain(), timeoutMs);
  }

  /** Waits, at most `timeoutMs`, for the batch in flight to be recorded. */
  async settled(timeoutMs: number): Promise<boolean> {
    const inFlight = this.inFlight;
    if (!inFlight) return true;
    return (
      (await this.within(
        inFlight.catch(() => 0),
        timeoutMs,
      )) !== 'timeout'
    );
  }

  private async within<T>(work: Promise<T>, timeoutMs: number): Promise<T | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs));
      timer.unref();
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a drain soon, for a mail just enqueued; several kicks before it runs make one drain. */
  kick(): void {
    if (this.kickScheduled || this.stopped) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      void this.drain();
    });
  }

  /**
   * Processes every mail due now and resolves with the number sent. A drain already running is awaited
   * first, then a fresh one runs, so that a mail enqueued meanwhile is not missed.
   */
  async drain(): Promise<number> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    const run = this.runBatches();
    this.inFlight = run;
    try {
      return await run;
    } finally {
      if (this.inFlight === run) this.inFlight = undefined;
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.drain().finally(() => this.schedule(this.pollMs));
    }, delayMs);
    this.timer.unref();
  }

  private async runBatches(): Promise<number> {
    let sent = 0;
    try {
      for (;;) {
        if (performance.now() >= this.claimUntil) break;
        const batch = await this.outbox.claimDue(this.clock.now().getTime(), this.batchSize, this.leaseMs);
        if (batch.length === 0) break;
        // In parallel, so that a batch ends well within its lease even when each send hits its timeouts;
        // the SMTP pool bounds the connections.
        const results = await Promise.allSettled(batch.map((queued) => this.process(queued)));
        for (const result of results) {
          if (result.status === 'rejected') throw result.reason;
          if (result.value) sent += 1;
        }
        if (batch.length < this.batchSize) break;
      }
    } catch (error) {
      // The store is unreachable: the next poll tries again, and the leases bring the mails back.
      this.log.error({ err: describe(error) }, 'outbox unavailable');
    }
    return sent;
  }

  /** True when sent. Store failures propagate to stop the batch; everything else is recorded. */
  private async process(queued: QueuedMail): Promise<boolean> {
    const { id, mail } = queued;
    if (this.budget && queued.attempts === 0) {
      const now = this.clock.now().getTime();
      const holdMs = await this.budget(mail, now);
      if (holdMs > 0) {
        this.log.info({ id, kind: mail.kind, holdMs }, 'mail held: the address’s mail budget is spent');
        await this.outbox.postpone(id, now + holdMs);
        return false;
      }
    }
    let rendered: RenderedMail;
    try {
      rendered = this.render(mail);
    } catch (error) {
      // Rendering is deterministic: retrying cannot help (typically the sealing key changed).
      this.log.error({ id, kind: mail.kind, err: describe(error) }, 'mail cannot be rendered: dead letter');
      await this.outbox.markDead(id, `render: ${describe(error).message}`);
      return false;
    }

    try {
      await this.transport.send({
        to: rendered.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        ...(rendered.from ? { from: rendered.from } : {}),
      });
    } catch (error) {
      await this.recordFailure(queued, error);
      return false;
    }

    await this.outbox.markSent(id);
    this.log.info({ id, kind: mail.kind, attempts: queued.attempts + 1 }, 'mail sent');
    try {
      this.onSent?.({ id, kind: mail.kind, to: mail.to, ...(rendered.link ? { link: rendered.link } : {}) });
    } catch (error) {
      this.log.warn({ id, err: describe(error) }, 'onSent callback failed');
    }
    return true;
  }

  private async recordFailure(queued: QueuedMail, error: unknown): Promise<void> {
    const failures = queued.attempts + 1;
    const err = describe(error);
    try {
      this.onFailed?.({ id: queued.id, to: queued.mail.to, givenUp: failures >= this.maxAttempts });
    } catch (callbackError) {
      this.log.warn({ id: queued.id, err: describe(callbackError) }, 'onFailed callback failed');
    }
    if (failures >= this.maxAttempts) {
      this.log.error({ id: queued.id, failures, err }, 'mail given up: dead letter');
      await this.outbox.markDead(queued.id, `${err.code ?? 'send'}: ${err.message}`);
      return;
    }
    const delayMs = retryDelay(failures, this.random);
    this.log.warn({ id: queued.id, failures, retryInMs: delayMs, err }, 'mail not sent, will retry');
    await this.outbox.markFailed(queued.id, this.clock.now().getTime() + delayMs);
  }
}

interface ErrorSummary {
  name: string;
  code?: string;
  responseCode?: number;
  message: string;
}

/**
 * What may be logged of an error. SMTP replies often quote the recipient (« 550 <jean.dupont@…>: unknown »),
 * so addresses and URLs are masked, and the message is cut short.
 */
export function describe(error: unknown): ErrorSummary {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; responseCode?: unknown; message?: unknown };
  const message = String(e.message ?? error)
    .replace(/[^\s<>"'@]+@[^\s<>"']+/g, '[adresse]')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[lien]')
    .slice(0, 300);
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    message,
  };
}
