import {
  Prompt,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidator,
} from 'botbuilder-dialogs';
import { PASSWORD_CARD_ACTION } from '../src/domain/turns/activity-names';
import { SECRET_ANSWER, type TurnContext } from './types';

export interface SecretAnswer {
  readonly secret: string;
  /** Present when the card gave both entries at once. */
  readonly confirmation?: string;
}

/**
 * Takes a secret typed as a plain message or submitted through the masked card (`activity.value`).
 * Unlike TextPrompt it never stores what it recognised: the prompt's state only holds botbuilder's
 * attempt counter, and the answer reaches the next step in memory.
 */
export class SecretPrompt extends Prompt<SecretAnswer> {
  constructor(dialogId: string, validator?: PromptValidator<SecretAnswer>) {
    super(dialogId, validator);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean) {
    const prompt = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (prompt) await context.sendActivity(prompt);
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<SecretAnswer>> {
    const activity = context.activity;
    // Whatever this message turns out to be, it was typed where a password was expected.
    context.turnState.set(SECRET_ANSWER, true);
    if (activity.type !== 'message') return { succeeded: false };
    const value = activity.value as Record<string, unknown> | undefined;
    if (
      !activity.text &&
      value &&
      value.action === PASSWORD_CARD_ACTION &&
      typeof value.password === 'string'
    ) {
      const confirmation =
        typeof value.confirmation === 'string' && value.confirmation ? value.confirmation : undefined;
      return {
        succeeded: true,
        value: { secret: nfc(value.password), confirmation: confirmation && nfc(confirmation) },
      };
    }
    if (typeof activity.text === 'string' && activity.text !== '') {
      // Leading/trailing spaces are kept on purpose: they are part of what the teacher chose.
      return { succeeded: true, value: { secret: nfc(activity.text) } };
    }
    return { succeeded: false };
  }
}

/** « É » typed as one character or as E + accent is the same password (the account service agrees). */
function nfc(secret: string): string {
  return secret.normalize('NFC');
}
