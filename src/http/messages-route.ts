import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Request, Response } from 'restify';
import { finishTrace, type SlowTurnLog, TurnTrace, trackTrace } from '../bot/turn-trace';
import type { Metrics } from '../domain/metrics/ports';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../log';
import { incomingActivitySchema } from './activity-schema';
import { readJson } from './body';
import { sendJsonError } from './respond';

export interface MessagesDeps {
  readonly adapter: CloudAdapter;
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
    let activity: { id?: string } | undefined;
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
      (req as Request & { body: unknown }).body = parsed.data;
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
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    } finally {
      if (trace && activity) {
        finishTrace(activity, trace);
        deps.metrics?.turnFinished(trace.totalMs / 1000, trace.outcome);
        deps.slowTurns?.record(activity.id, trace);
      }
    }
  };
}
