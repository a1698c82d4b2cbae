import {
  type Activity,
  ActivityEventNames,
  ActivityTypes,
  type Middleware,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import { ACADEMIE_OF_TURN, ADDRESS_GIVEN, SECRET_ANSWER } from '../../../dialogs/types';
import { lineOf, readableCopy } from '../../domain/transcripts/lines';
import type { TranscriptLine, TranscriptRole, TranscriptWriter } from '../../domain/transcripts/ports';
import { redactActivity } from '../../domain/transcripts/redaction';
import type { Logger } from '../../log';
import { type TranscriptHandOff, TURN_TRANSCRIPT } from '../turn-state';

/**
 * Activities that are not part of the conversation as the teacher saw it: the Emulator's RecognizerResult
 * traces, typing indicators, and the adapter's own plumbing.
 */
const NOT_LOGGED = new Set<string>([
  ActivityTypes.Trace,
  ActivityTypes.Typing,
  'delay',
  ActivityTypes.InvokeResponse,
]);

/** Writes in flight beyond this are dropped (and counted): a slow Redis must not pile up memory. */
const MAX_IN_FLIGHT = 200;

let processFailures = 0;

/** Transcript writes that failed or were dropped since start, all middlewares of the process together. */
export function transcriptWriteFailures(): number {
  return processFailures;
}

export interface TranscriptMiddlewareOptions {
  writer: TranscriptWriter;
  logger: Logger;
  maxInFlight?: number;
}

/**
 * botbuilder's TranscriptLoggerMiddleware, with what the helpdesk needs on top:
 * - every activity becomes one compact line (domain/transcripts/lines.ts): what the helpdesk reads,
 *   redacted, a few KB at most, never channelData nor entities. The turn's flags say whether the incoming
 *   message answered a password prompt (SECRET_ANSWER), so its line is made at the end of the turn, once
 *   the dialogs have set them, from a redacted copy taken at its start;
 * - the conversation is indexed by the address confirmed during the turn (ADDRESS_GIVEN);
 * - the whole turn is one write: inside the turn guard, handed to the turn's end (TURN_TRANSCRIPT), which
 *   writes it in the same round trip as the state; otherwise issued at the end of the turn but not
 *   awaited: the teacher's answer never waits for it, and a failing store is logged (without content) and
 *   counted, never thrown.
 * It goes last in the adapter's middleware, so it sees the activity after the NUMEN guard masked it, and
 * nothing for the turns that an earlier middleware stopped (duplicates, oversized messages).
 */
export class TranscriptMiddleware implements Middleware {
  private readonly writer: TranscriptWriter;
  private readonly logger: Logger;
  private readonly maxInFlight: number;
  private readonly inFlight = new Set<Promise<void>>();
  private failureCount = 0;

  constructor(options: TranscriptMiddlewareOptions) {
    this.writer = options.writer;
    this.logger = options.logger.child({ component: 'transcript' });
    this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
  }

  /** For /healthz and tests: failed or dropped writes of this middleware. */
  get failures(): number {
    return this.failureCount;
  }

  /** Waits for the writes already issued (tests, graceful stop); never rejects. */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const incoming = context.activity;
    const channelId = incoming.channelId;
    const conversationId = incoming.conversation?.id;
    if (!channelId || !conversationId) {
      await next();
      return;
    }
    // Copied now: the dialogs may change the activity during the turn; redacted again at the end with the flags.
    const incomingCopy = loggable(incoming) ? readableCopy(incoming) : undefined;
    const receivedAt = new Date();
    const queued: TranscriptLine[] = [];
    let flushed = false;
    const record = (copy: Record<string, unknown>, role: TranscriptRole) => {
      const line = lineOf(copy, role, new Date());
      // After the flush (onTurnError's apology runs after the middleware unwound), each one is written alone.
      if (flushed) this.write(channelId, conversationId, [line], undefined);
      else queued.push(line);
    };

    context.onSendActivities(async (_ctx, activities, nextSend) => {
      const responses: ResourceResponse[] = await nextSend();
      activities.forEach((activity, i) => {
        if (!loggable(activity)) return;
        const copy = readableCopy(activity, { fromBot: true });
        const id = responses?.[i]?.id;
        if (id) copy.id = id;
        record(copy, 'bot');
      });
      return responses;
    });

    context.onUpdateActivity(async (_ctx, activity, nextUpdate) => {
      const response = await nextUpdate();
      const copy = readableCopy(activity, { fromBot: true });
      copy.type = ActivityTypes.MessageUpdate;
      record(copy, 'bot');
      return response;
    });

    context.onDeleteActivity(async (_ctx, reference, nextDelete) => {
      await nextDelete();
      record({ type: ActivityTypes.MessageDelete, id: reference.activityId }, 'bot');
    });

    try {
      await next();
    } finally {
      flushed = true;
      const lines: TranscriptLine[] = [];
      if (incomingCopy) {
        const secretAnswer = context.turnState.get(SECRET_ANSWER) === true;
        const copy = secretAnswer ? redactActivity(incomingCopy, { secretAnswer }) : incomingCopy;
        lines.push(lineOf(copy, 'user', receivedAt));
      }
      lines.push(...queued);
      const given = context.turnState.get(ADDRESS_GIVEN);
      const email = typeof given === 'string' ? given : undefined;
      const known = context.turnState.get(ACADEMIE_OF_TURN);
      const academie = typeof known === 'string' ? known : undefined;
      const handOff = context.turnState.get(TURN_TRANSCRIPT) as TranscriptHandOff | undefined;
      // Inside the turn guard, the lines go with the turn's end (the same round trip as the state).
      if (handOff && (lines.length > 0 || email))
        handOff.entry = {
          channelId,
          conversationId,
          lines,
          ...(email ? { email } : {}),
          ...(academie ? { academie } : {}),
        };
      else this.write(channelId, conversationId, lines, email, academie);
    }
  }

  private write(
    channelId: string,
    conversationId: string,
    lines: TranscriptLine[],
    email: string | undefined,
    academie?: string,
  ): void {
    if (lines.length === 0 && !email) return;
    if (this.inFlight.size >= this.maxInFlight) {
      this.fail(new Error('too many transcript writes in flight'));
      return;
    }
    let pending: Promise<void>;
    try {
      pending = this.writer.append({
        channelId,
        conversationId,
        lines,
        ...(email ? { email } : {}),
        ...(academie ? { academie } : {}),
      });
    } catch (error) {
      this.fail(error);
      return;
    }
    const tracked = pending.then(
      () => undefined,
      (error: unknown) => this.fail(error),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  /** A turn's lines that the turn's end could not write (see TURN_TRANSCRIPT): counted and logged here too. */
  failed(error: unknown): void {
    this.fail(error);
  }

  private fail(error: unknown): void {
    this.failureCount++;
    processFailures++;
    // The error only: never the activities, which is what this store protects.
    const err = error instanceof Error ? { name: error.name, message: error.message.slice(0, 200) } : {};
    this.logger.warn({ err, failures: this.failureCount }, 'transcript write failed');
  }
}

function loggable(activity: Partial<Activity>): boolean {
  if (!activity.type || NOT_LOGGED.has(activity.type)) return false;
  // As botbuilder's logger: the event that starts a proactive turn is plumbing, its replies are not.
  return !(
    activity.type === ActivityTypes.Event && activity.name === ActivityEventNames.ContinueConversation
  );
}

export function transcriptMiddleware(options: TranscriptMiddlewareOptions): TranscriptMiddleware {
  return new TranscriptMiddleware(options);
}
