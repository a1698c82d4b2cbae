import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config';
import { isAppError } from '../errors';
import { t } from '../i18n';
import type { Logger } from '../log';

/**
 * CloudAdapter with Bot Framework authentication from the configuration. Without MicrosoftAppId it
 * accepts unauthenticated activities, as the Emulator and local tests expect; production refuses to
 * start in that case (config.ts).
 */
export function createAdapter(
  bot: Config['bot'],
  middleware: readonly Middleware[],
  logger: Logger,
): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  for (const m of middleware) adapter.use(m);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const unavailable = isAppError(error, 'STORE_UNAVAILABLE');
    // Only the code and the error message: never the activity text, which may hold a password.
    logger.error(
      { err: { name: error.name, message: error.message, code: isAppError(error) ? error.code : undefined } },
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
