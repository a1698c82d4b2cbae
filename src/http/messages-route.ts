import type { ActivityHandler } from 'botbuilder';
import type { Request, Response } from 'restify';
import { type ElecteurAdapter, NotAuthenticated } from '../bot/adapter';
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
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** Turn latency by outcome (the operators' figures). */
  readonly metrics?: Metrics;
  /** TURN_TRACE_MS: the slow turns, logged with their phases. */
  readonly slowTurns?: SlowTurnLog;
}

/** POST /api/messages — the Bot Framework endpoint. Bad input is a French 4xx, never a 500. */
export function messagesHandler(deps: MessagesDeps) {
  const timed = Boolean(deps.metrics || deps.slowTurns);
  return async (req: Request, res: Response): Promise<void> => {
    const trace = timed ? new TurnTrace(req.time()) : undefined;
    let activity: Record<string, unknown> & { id?: string };
    try {
      const body = await readJson(req, deps.maxBodyBytes);
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
      activity = parsed.data;
      if (trace) trackTrace(parsed.data, trace);
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === 'CLIENT_GONE') return;
      deps.logger.info({ code: error.code, detail: error.message }, 'rejected request on /api/messages');
      sendJsonError(res, error);
      return;
    }
    try {
      const authorization = req.headers.authorization;
      const answer = await deps.adapter.processChecked(
        activity,
        typeof authorization === 'string' ? authorization : '',
        (context) => deps.bot.run(context),
      );
      if (answer.body === undefined) {
        res.writeHead(answer.status);
        res.end();
      } else sendJson(res, answer.status, answer.body);
    } catch (error) {
      if (!(error instanceof NotAuthenticated)) throw error;
      deps.logger.info({ detail: error.message }, 'rejected request on /api/messages');
      sendJsonError(res, new AppError('UNAUTHENTICATED', 'Bot Framework authentication failed'));
    } finally {
      if (trace) {
        finishTrace(activity, trace);
        deps.metrics?.turnFinished(trace.totalMs / 1000, trace.outcome);
        deps.slowTurns?.record(activity.id, trace);
      }
    }
  };
}
