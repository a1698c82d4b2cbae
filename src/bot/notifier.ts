import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationRefJson } from '../domain/accounts/ports';
import type { Logger } from '../log';

/**
 * Set on the turns this process runs itself (continueConversation): only those may carry the product's
 * events. A channel can send an event of any name; one named « handoff » or « accountConfirmed » from
 * outside would otherwise put words in the agent's or the bot's mouth in the transcript.
 */
export const PRODUCT_EVENT = Symbol('productEvent');

/**
 * Runs the bot in a conversation the teacher started earlier, with an event activity instead of the
 * teacher's message (the password page was submitted): the dialog stack resumes where it waits.
 */
export type DialogResumer = (
  reference: ConversationRefJson,
  event: { readonly name: string; readonly value: unknown },
) => Promise<boolean>;

/**
 * What became of a proactive turn: run and its messages accepted by the channel (`sent`); certainly not
 * said (`failed`: the turn did not start, or the channel answered an HTTP error); or unknown (`uncertain`:
 * the connection broke while a message was on its way, or the turn failed after it began speaking).
 */
export type ProactiveOutcome = 'sent' | 'failed' | 'uncertain';

export type ProactiveTurn = (
  reference: ConversationRefJson,
  event: { readonly name: string; readonly value: unknown },
) => Promise<ProactiveOutcome>;

export function createDialogResumer(
  adapter: CloudAdapter,
  appId: string | undefined,
  bot: { run(context: TurnContext): Promise<void> },
  logger: Logger,
): DialogResumer {
  const turn = createProactiveTurn(adapter, appId, bot, logger);
  return async (reference, event) => (await turn(reference, event)) === 'sent';
}

/**
 * The same proactive turn, telling a failure that certainly said nothing from one that may have: the
 * reminder worker retries only the first (never say a reminder twice). It goes through the adapter's
 * whole pipeline (turn guard and lock, NUMEN guard, transcript), like a teacher's message.
 */
export function createProactiveTurn(
  adapter: CloudAdapter,
  appId: string | undefined,
  bot: { run(context: TurnContext): Promise<void> },
  logger: Logger,
  options: { atMostOnce?: boolean } = {},
): ProactiveTurn {
  return async (reference, event) => {
    // Without the id of the message the reference was taken from: the turn guard would drop the
    // proactive turn as a repeat of that message. It still takes the conversation lock.
    const { activityId: _seen, ...withoutId } = reference as Partial<ConversationReference>;
    let started = false;
    let spoke = false;
    let delivered = false;
    let failure: unknown;
    try {
      await adapter.continueConversationAsync(appId ?? '', withoutId, async (context) => {
        started = true;
        context.activity.name = event.name;
        context.turnState.set(PRODUCT_EVENT, true);
        context.activity.value = event.value;
        // The channel's client retries a 5xx or a broken connection by itself (Azure pipeline's retry
        // phase): a message the channel did receive would then be said twice. Without it, each send is
        // tried once and its outcome is ours to judge.
        if (options.atMostOnce) withoutClientRetries(context.turnState.get(adapter.ConnectorClientKey));
        context.onSendActivities(async (_ctx, _activities, next) => {
          spoke = true;
          const responses = await next();
          delivered = true;
          return responses;
        });
        try {
          await bot.run(context);
        } catch (error) {
          // Kept rather than thrown: the turn's error handler would apologise in the conversation, and
          // a reminder that could not be said must not turn into an error message.
          failure = error;
        }
      });
    } catch (error) {
      failure ??= error;
    }
    if (!started) {
      // The turn never began (the store, the lock): nothing was said.
      logger.warn({ err: { message: messageOf(failure) } }, 'proactive turn not run');
      return 'failed';
    }
    if (failure === undefined) return 'sent';
    const status = (failure as { statusCode?: unknown }).statusCode;
    logger.warn({ err: { message: messageOf(failure), status } }, 'proactive turn failed');
    // The channel answered with an error: it did not take the message (unless an earlier one of the turn
    // went through). Anything else after the turn began speaking may have reached the teacher.
    if (typeof status === 'number' && status >= 400) return delivered ? 'uncertain' : 'failed';
    return spoke ? 'uncertain' : 'failed';
  };
}

/** Removes the retry phase of a ConnectorClient's HTTP pipeline (this turn's client only). */
function withoutClientRetries(connector: unknown): void {
  const pipeline = (connector as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } })
    ?.client?.pipeline;
  if (!pipeline) throw new Error('connector client without a pipeline: cannot send at most once');
  pipeline.removePolicy({ phase: 'Retry' });
}

function messageOf(error: unknown): string | undefined {
  return error instanceof Error ? error.message : undefined;
}
