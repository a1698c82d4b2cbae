import type { ActivityHandler } from 'botbuilder';
import type { Request, Response } from 'restify';
import { type ElecteurAdapter, NotAuthenticated, type TurnAnswer } from '../bot/adapter';
import { finishTrace, type SlowTurnLog, TurnTrace, trackTrace } from '../bot/turn-trace';
import type { Metrics } from '../domain/metrics/ports';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../log';
import { incomingActivitySchema } from './activity-schema';
import { readJson } from './body';
import { sendJson, sendJsonError } from './respond';

export interface MessagesDeps {
  readonly adapter: ElecteurAdapter;
  readonly bot: ActivityHandler;
  readonly logger: Logger;
  /** Turn latency by outcome (the operators' figures). */
  readonly metrics?: Metrics;
  /** TURN_TRACE_MS: the slow turns, logged with their phases. */
  readonly slowTurns?: SlowTurnLog;
}

/**
 * Runs one activity as a turn: the schema, the refusal of `invoke`, Bot Framework authentication, the
 * adapter. Shared by POST /api/messages and the local Direct Line (src/dev), which hands its activities
 * over in process. Bad input or credentials throw an AppError (BAD_REQUEST, UNAUTHENTICATED).
 */
export type ActivityReceiver = (
  body: unknown,
  authorization: string,
  /** When the request arrived, epoch ms (restify's req.time()): the trace counts from there. */
  startedMs?: number,
) => Promise<TurnAnswer>;

export function activityReceiver(deps: MessagesDeps): ActivityReceiver {
  const timed = Boolean(deps.metrics || deps.slowTurns);
  return async (body, authorization, startedMs = Date.now()) => {
    const parsed = incomingActivitySchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(
        'BAD_REQUEST',
        `invalid activity: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      );
    }
    // The bot implements no invoke (its cards submit plain messages): botbuilder would answer 501, a 5xx
    // that any client could produce at will and that monitoring would count as our failure.
    if (parsed.data.type === 'invoke')
      throw new AppError('BAD_REQUEST', 'invoke activities are not supported');
    const activity: Record<string, unknown> & { id?: string } = parsed.data;
    const trace = timed ? new TurnTrace(startedMs) : undefined;
    if (trace) trackTrace(activity, trace);
    try {
      return await deps.adapter.processChecked(activity, authorization, (context) => deps.bot.run(context));
    } catch (error) {
      if (!(error instanceof NotAuthenticated)) throw error;
      throw new AppError('UNAUTHENTICATED', `Bot Framework authentication failed: ${error.message}`);
    } finally {
      if (trace) {
        finishTrace(activity, trace);
        deps.metrics?.turnFinished(trace.totalMs / 1000, trace.outcome);
        deps.slowTurns?.record(activity.id, trace);
      }
    }
  };
}

/** POST /api/messages — the Bot Framework endpoint. Bad input is a French 4xx, never a 500. */
export function messagesHandler(deps: { receive: ActivityReceiver; maxBodyBytes: number; logger: Logger }) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const body = await readJson(req, deps.maxBodyBytes);
      const authorization = req.headers.authorization;
      const answer = await deps.receive(
        body,
        typeof authorization === 'string' ? authorization : '',
        req.time(),
      );
      if (answer.body === undefined) {
        res.writeHead(answer.status);
        res.end();
      } else sendJson(res, answer.status, answer.body);
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === 'CLIENT_GONE') return;
      deps.logger.info({ code: error.code, detail: error.message }, 'rejected request on /api/messages');
      sendJsonError(res, error);
    }
  };
}
