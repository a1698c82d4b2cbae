import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { ConversationRefJson } from '../domain/accounts/ports';
import type { Logger } from '../log';

/**
 * Sends one message into a conversation the teacher started earlier (proactive message). A channel that
 * refuses (uninstalled Teams app, expired Web Chat conversation) is logged, never an error for the caller.
 */
export type ProactiveNotifier = (reference: ConversationRefJson, text: string) => Promise<boolean>;

export function createProactiveNotifier(
  adapter: CloudAdapter,
  appId: string | undefined,
  logger: Logger,
): ProactiveNotifier {
  return async (reference, text) => {
    try {
      await adapter.continueConversationAsync(
        appId ?? '',
        reference as Partial<ConversationReference>,
        async (context) => {
          await context.sendActivity(text);
        },
      );
      return true;
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'proactive message not delivered');
      return false;
    }
  };
}
