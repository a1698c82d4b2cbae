import {
  ComponentDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { checkPassword, type PasswordPolicy } from '../src/domain/accounts/password-policy';
import { describeRules, describeUnmet } from '../src/domain/accounts/password-rules-fr';
import { RULES } from '../src/domain/limits/rules';
import { formatWaitFr } from '../src/domain/limits/wait';
import { t } from '../src/i18n';
import {
  PASSWORD_CONFIRM_PROMPT,
  PASSWORD_DIALOG,
  PASSWORD_PROMPT,
  PASSWORD_WATERFALL,
  YES_NO_PROMPT,
} from './ids';
import { PASSWORD_LINK_PROMPT, PasswordLinkDialog, type PasswordLinkOptions } from './password-link-dialog';
import { yesNoOptions, yesNoPrompt } from './prompts';
import { passwordPrompt, secretQuestion } from './replies';
import { type SecretAnswer, SecretPrompt } from './secret-prompt';
import { type ChosenPassword, type DialogDeps, PASSPHRASE, type TurnContext } from './types';

export type { ChosenPassword };

export { describeUnmet };

interface PasswordValues {
  /** argon2id hash of the first entry: the clear text is never kept between turns. */
  firstHash?: string;
}

/** Leaflet step 2: the voter password, typed twice, checked against the one policy. */
export class PasswordDialog extends ComponentDialog {
  constructor(
    private readonly deps: Pick<DialogDeps, 'hasher' | 'passwordEntry' | 'calendar' | 'clock' | 'limiter'>,
  ) {
    super(PASSWORD_DIALOG);
    const { passwordEntry } = deps;
    if (passwordEntry) {
      this.addDialog(
        new PasswordLinkDialog(PASSWORD_LINK_PROMPT, { passwordEntry, calendar: deps.calendar }),
      );
      this.addDialog(
        new WaterfallDialog(PASSWORD_WATERFALL, [
          async (step: WaterfallStepContext<Partial<PasswordLinkOptions>>) =>
            step.beginDialog(PASSWORD_LINK_PROMPT, { email: step.options?.email ?? '' }),
          async (step) => step.endDialog(step.result),
        ]),
      );
      this.initialDialogId = PASSWORD_WATERFALL;
      return;
    }
    this.addDialog(new SecretPrompt(PASSWORD_PROMPT, (prompt) => this.validateFirst(prompt)));
    // The second entry is verified against the first one's hash: one more argon2 operation to pay for.
    this.addDialog(new SecretPrompt(PASSWORD_CONFIRM_PROMPT, (prompt) => this.argon2Allowed(prompt)));
    this.addDialog(yesNoPrompt(YES_NO_PROMPT));
    this.addDialog(
      new WaterfallDialog(PASSWORD_WATERFALL, [
        this.askStep.bind(this),
        this.confirmStep.bind(this),
        this.passphraseStep.bind(this),
        this.compareStep.bind(this),
      ]),
    );
    this.initialDialogId = PASSWORD_WATERFALL;
  }

  private async askStep(step: WaterfallStepContext<{ again?: boolean }>): Promise<DialogTurnResult> {
    const policy = this.deps.calendar.passwordPolicy;
    if (!step.options?.again)
      await step.context.sendActivity(t('bot.password.intro', { rules: describeRules(policy) }));
    return step.prompt(PASSWORD_PROMPT, { prompt: passwordPrompt(step.context, policy) });
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as SecretAnswer;
    if (answer.confirmation !== undefined) {
      // The card carried both entries: compare them now, nothing to keep.
      if (answer.confirmation === answer.secret)
        return step.endDialog({ password: answer.secret } satisfies ChosenPassword);
      return this.mismatch(step);
    }
    // NFC, as the account service hashes: this hash becomes the account's if the second entry matches.
    (step.values as PasswordValues).firstHash = await this.deps.hasher.hash(answer.secret.normalize('NFC'));
    // Several words that read like no sentence (a passphrase?): asked, never repeated back.
    if (step.context.turnState.get(PASSPHRASE))
      return step.prompt(YES_NO_PROMPT, yesNoOptions(t('bot.progress.passphraseCheck')));
    return step.next(true);
  }

  private async passphraseStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== true) return step.replaceDialog(PASSWORD_WATERFALL, { again: true });
    return step.prompt(PASSWORD_CONFIRM_PROMPT, { prompt: secretQuestion(t('bot.password.confirmAsk')) });
  }

  private async compareStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const second = (step.result as SecretAnswer).secret;
    const firstHash = (step.values as PasswordValues).firstHash ?? '';
    // The first entry's hash, already policy-checked, is the account's: hashing the same password a third
    // time would only double the cost of the busiest turn (argon2 is the expensive step).
    if (await this.deps.hasher.verify(firstHash, second.normalize('NFC')))
      return step.endDialog({ passwordHash: firstHash } satisfies ChosenPassword);
    return this.mismatch(step);
  }

  private async mismatch(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(t('bot.password.mismatch'));
    return step.replaceDialog(PASSWORD_WATERFALL, { again: true });
  }

  /**
   * The first entry: the policy, then the argon2 budget, since what follows hashes it (typed) or hands it
   * to the account request, which hashes it (card). A card whose two fields differ costs nothing.
   */
  private async validateFirst(prompt: PromptValidatorContext<SecretAnswer>): Promise<boolean> {
    if (!(await validatePolicy(prompt, this.deps.calendar.passwordPolicy))) return false;
    const answer = prompt.recognized.value as SecretAnswer;
    if (answer.confirmation !== undefined && answer.confirmation !== answer.secret) return true;
    return this.argon2Allowed(prompt);
  }

  /**
   * One argon2 operation of the conversation's budget (RULES.argon2PerConversation). Over budget the
   * teacher is told how long to wait and the prompt stays where it is (false, with a reply already sent:
   * botbuilder does not ask again), so the same entry can be typed again once the wait is over.
   */
  private async argon2Allowed(prompt: PromptValidatorContext<SecretAnswer>): Promise<boolean> {
    if (!prompt.recognized.succeeded) return false;
    const { limiter, clock } = this.deps;
    if (!limiter) return true;
    const verdict = await limiter.consume(
      RULES.argon2PerConversation,
      conversationKeyOf(prompt.context),
      clock.now().getTime(),
    );
    if (verdict.allowed) return true;
    // Still a password prompt (marked so): the Web Chat page keeps masking what the teacher types.
    await prompt.context.sendActivity(
      secretQuestion(t('bot.password.tooManyTries', { wait: formatWaitFr(verdict.retryAfterMs) })),
    );
    return false;
  }
}

async function validatePolicy(
  prompt: PromptValidatorContext<SecretAnswer>,
  policy: PasswordPolicy,
): Promise<boolean> {
  if (!prompt.recognized.succeeded || !prompt.recognized.value) return false;
  const result = checkPassword(prompt.recognized.value.secret, policy);
  if (result.ok) return true;
  // The prompt stays open: marked as one, so that the Web Chat page keeps masking the next attempt.
  await prompt.context.sendActivity(
    secretQuestion(
      t('bot.password.weak', { problems: describeUnmet(result.unmet, policy), rules: describeRules(policy) }),
    ),
  );
  return false;
}

/** The budget's subject: the channel and the conversation, as the account budgets name a conversation. */
function conversationKeyOf(context: TurnContext): string {
  return `${context.activity.channelId}:${context.activity.conversation?.id ?? ''}`;
}
