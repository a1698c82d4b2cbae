import { type Activity, CloudAdapter, type Middleware, type TurnContext } from 'botbuilder';
import type { Config } from '../config';
import { type AppError, isAppError } from '../errors';
import { t } from '../i18n';
import type { Logger } from '../log';
import { LazyConnectorAuthentication } from './lazy-connector';

/**
 * CloudAdapter with Bot Framework authentication from the configuration. Without MicrosoftAppId it
 * accepts unauthenticated activities, as the Emulator and local tests expect; production refuses to
 * start in that case (config.ts). The channel's clients are built only when a turn uses them
 * (lazy-connector.ts).
 */
export function createAdapter(
  bot: Config['bot'],
  middleware: readonly Middleware[],
  logger: Logger,
): ElecteurAdapter {
  const auth = new LazyConnectorAuthentication({
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId ?? '',
  });
  const adapter = new ElecteurAdapter(auth);
  for (const m of middleware) adapter.use(m);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const coded = codedCause(error);
    const unavailable = coded?.code === 'STORE_UNAVAILABLE';
    // Only the code and the error message: never the activity text, which may hold a password.
    logger.error(
      { err: { name: error.name, message: error.message, code: coded?.code } },
      unavailable ? 'turn failed: store unavailable' : 'turn failed',
    );
    try {
      await context.sendActivity(unavailable ? t('bot.errors.storeUnavailable') : t('bot.errors.internal'));
    } catch (sendError) {
      logger.warn(
        { err: { message: (sendError as Error).message } },
        'could not tell the user about the error',
      );
    }
  };
  return adapter;
}

/** What the HTTP route answers for a turn: botbuilder's status and body (the replies of expectReplies). */
export interface TurnAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** The credentials did not authenticate the request (botbuilder's AuthenticationError, 401). */
export class NotAuthenticated extends Error {}

/**
 * CloudAdapter, taking the activity the HTTP route has already read and checked (src/http: size cap,
 * JSON depth, our schema). CloudAdapter.process would check the request again with botbuilder's own
 * schemas, copying the whole activity on every turn; this goes straight to botbuilder's turn processing
 * (authentication included), after the one fix-up it makes (timestamps as dates).
 */
export class ElecteurAdapter extends CloudAdapter {
  async processChecked(
    activity: Partial<Activity>,
    authorization: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<TurnAnswer> {
    try {
      const answer = await this.processActivity(authorization, withDates(activity), logic);
      return { status: answer?.status ?? 200, ...(answer?.body !== undefined ? { body: answer.body } : {}) };
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 401)
        throw new NotAuthenticated((error as Error).message);
      throw error;
    }
  }
}

/** As botbuilder reads an incoming activity: its ISO timestamps become dates (the text kept beside). */
function withDates(activity: Partial<Activity>): Activity {
  const fields = activity as Record<string, unknown>;
  for (const [name, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = fields[name];
    if (typeof value === 'string') {
      fields[raw] = value;
      fields[name] = new Date(value);
    }
  }
  return activity as Activity;
}

/**
 * The coded error behind a turn failure. botbuilder-dialogs wraps what a dialog step throws in a
 * DialogContextError (original in `.error`): a Redis outage during a step must still be told as such.
 */
function codedCause(error: unknown): AppError | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (isAppError(current)) return current;
    current = (current as { error?: unknown }).error ?? current.cause;
  }
  return undefined;
}
