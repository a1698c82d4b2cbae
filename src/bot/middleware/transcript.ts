import {
  type Activity,
  ActivityEventNames,
  ActivityTypes,
  type Middleware,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import { ADDRESS_GIVEN, SECRET_ANSWER } from '../../../dialogs/types';
import type { StoredActivity, TranscriptWriter } from '../../domain/transcripts/ports';
import { redactActivity } from '../../domain/transcripts/redaction';
import type { Logger } from '../../log';

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

/**
 * A real activity is a few KB; the HTTP route accepts 256 KB (Teams' HTML, channelData filler), which the
 * helpdesk does not need a thousand times over. Bigger ones keep their routing fields and the start of the text.
 */
const MAX_STORED_CHARS = 32_000;
const KEPT_WHEN_TRUNCATED = [
  'type',
  'id',
  'replyToId',
  'channelId',
  'conversation',
  'from',
  'recipient',
  'timestamp',
  'locale',
];

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
 * - every activity is redacted on a deep copy before it is queued: the turn's flags say whether the
 *   incoming message answered a password prompt (SECRET_ANSWER), so the incoming activity is redacted at
 *   the end of the turn, once the dialogs have set them;
 * - the conversation is indexed by the address confirmed during the turn (ADDRESS_GIVEN);
 * - the whole turn is one write, issued at the end of the turn but not awaited: the teacher's answer never
 *   waits for the transcript, and a failing store is logged (without content) and counted, never thrown.
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
    const incomingCopy = loggable(incoming) ? redactActivity(incoming) : undefined;
    if (incomingCopy) {
      incomingCopy.timestamp ??= new Date().toISOString();
      const from = incomingCopy.from as Record<string, unknown> | undefined;
      if (from && !from.role) from.role = 'user';
    }
    const queued: StoredActivity[] = [];
    let flushed = false;
    const record = (activity: Record<string, unknown>) => {
      // After the flush (onTurnError's apology runs after the middleware unwound), each one is written alone.
      if (flushed) this.write(channelId, conversationId, [bounded(activity)], undefined);
      else queued.push(activity);
    };

    context.onSendActivities(async (_ctx, activities, nextSend) => {
      const responses: ResourceResponse[] = await nextSend();
      activities.forEach((activity, i) => {
        if (!loggable(activity)) return;
        const copy = redactActivity(activity);
        copy.id = responses?.[i]?.id || copy.id || generatedId(copy.timestamp);
        copy.timestamp ??= new Date().toISOString();
        record(copy);
      });
      return responses;
    });

    context.onUpdateActivity(async (_ctx, activity, nextUpdate) => {
      const response = await nextUpdate();
      const copy = redactActivity(activity);
      copy.type = ActivityTypes.MessageUpdate;
      copy.timestamp ??= new Date().toISOString();
      record(copy);
      return response;
    });

    context.onDeleteActivity(async (_ctx, reference, nextDelete) => {
      await nextDelete();
      const deletion = TurnContext.applyConversationReference(
        { type: ActivityTypes.MessageDelete, id: reference.activityId },
        reference,
        false,
      );
      const copy = redactActivity(deletion);
      copy.timestamp ??= new Date().toISOString();
      record(copy);
    });

    try {
      await next();
    } finally {
      flushed = true;
      const activities: StoredActivity[] = [];
      if (incomingCopy) {
        const secretAnswer = context.turnState.get(SECRET_ANSWER) === true;
        activities.push(secretAnswer ? redactActivity(incomingCopy, { secretAnswer }) : incomingCopy);
      }
      activities.push(...queued);
      for (let i = 0; i < activities.length; i++) activities[i] = bounded(activities[i] as StoredActivity);
      const email = context.turnState.get(ADDRESS_GIVEN);
      this.write(channelId, conversationId, activities, typeof email === 'string' ? email : undefined);
    }
  }

  private write(
    channelId: string,
    conversationId: string,
    activities: StoredActivity[],
    email: string | undefined,
  ): void {
    if (activities.length === 0 && !email) return;
    if (this.inFlight.size >= this.maxInFlight) {
      this.fail(new Error('too many transcript writes in flight'));
      return;
    }
    let pending: Promise<void>;
    try {
      pending = this.writer.append({ channelId, conversationId, activities, ...(email ? { email } : {}) });
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

  private fail(error: unknown): void {
    this.failureCount++;
    processFailures++;
    // The error only: never the activities, which is what this store protects.
    const err = error instanceof Error ? { name: error.name, message: error.message.slice(0, 200) } : {};
    this.logger.warn({ err, failures: this.failureCount }, 'transcript write failed');
  }
}

function bounded(activity: StoredActivity): StoredActivity {
  if (JSON.stringify(activity).length <= MAX_STORED_CHARS) return activity;
  const kept: Record<string, unknown> = { truncated: true };
  for (const key of KEPT_WHEN_TRUNCATED) if (activity[key] !== undefined) kept[key] = activity[key];
  if (typeof activity.text === 'string') kept.text = activity.text.slice(0, 4_000);
  // Even the routing fields can be huge (a hostile conversation id): then only the type is left.
  return JSON.stringify(kept).length <= MAX_STORED_CHARS ? kept : { type: activity.type, truncated: true };
}

function loggable(activity: Partial<Activity>): boolean {
  if (!activity.type || NOT_LOGGED.has(activity.type)) return false;
  // As botbuilder's logger: the event that starts a proactive turn is plumbing, its replies are not.
  return !(
    activity.type === ActivityTypes.Event && activity.name === ActivityEventNames.ContinueConversation
  );
}

/**
 * Replies sent with expectReplies (and by some channels) come back without an id; like botbuilder, one is
 * made from the timestamp so that each activity of the transcript has one.
 */
function generatedId(timestamp: unknown): string {
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return `g_${Math.random().toString(36).slice(2, 8)}${Number.isNaN(at) ? Date.now() : at}`;
}

export function transcriptMiddleware(options: TranscriptMiddlewareOptions): TranscriptMiddleware {
  return new TranscriptMiddleware(options);
}
