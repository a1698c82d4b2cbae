import { CloudAdapter, type Middleware, type TurnContext } from 'botbuilder';
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
): CloudAdapter {
  const auth = new LazyConnectorAuthentication({
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
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
