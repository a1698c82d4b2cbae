import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationRefJson } from '../domain/accounts/ports';
import type { Logger } from '../log';

/**
 * Runs the bot in a conversation the teacher started earlier, with an event activity instead of the
 * teacher's message (the password page was submitted): the dialog stack resumes where it waits.
 */
export type DialogResumer = (
  reference: ConversationRefJson,
  event: { readonly name: string; readonly value: unknown },
) => Promise<boolean>;

export function createDialogResumer(
  adapter: CloudAdapter,
  appId: string | undefined,
  bot: { run(context: TurnContext): Promise<void> },
  logger: Logger,
): DialogResumer {
  return async (reference, event) => {
    // Without the id of the message the reference was taken from: the turn guard would drop the
    // proactive turn as a repeat of that message. It still takes the conversation lock.
    const { activityId: _seen, ...withoutId } = reference as Partial<ConversationReference>;
    try {
      await adapter.continueConversationAsync(appId ?? '', withoutId, async (context) => {
        context.activity.name = event.name;
        context.activity.value = event.value;
        await bot.run(context);
      });
      return true;
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'proactive turn not run');
      return false;
    }
  };
}
