import {
  ComponentDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import {
  checkPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordRule,
} from '../src/domain/accounts/password-policy';
import { t } from '../src/i18n';
import { PASSWORD_CONFIRM_PROMPT, PASSWORD_DIALOG, PASSWORD_PROMPT, PASSWORD_WATERFALL } from './ids';
import { passwordPrompt, secretQuestion } from './replies';
import { type SecretAnswer, SecretPrompt } from './secret-prompt';
import type { DialogDeps } from './types';

/** What the parent receives, in memory only, in the same turn as the second entry. */
export interface ChosenPassword {
  readonly password: string;
}

interface PasswordValues {
  /** argon2id hash of the first entry: the clear text is never kept between turns. */
  firstHash?: string;
}

/** Leaflet step 2: the voter password, typed twice, checked against the one policy. */
export class PasswordDialog extends ComponentDialog {
  constructor(private readonly deps: Pick<DialogDeps, 'hasher'>) {
    super(PASSWORD_DIALOG);
    this.addDialog(new SecretPrompt(PASSWORD_PROMPT, validatePolicy));
    this.addDialog(new SecretPrompt(PASSWORD_CONFIRM_PROMPT));
    this.addDialog(
      new WaterfallDialog(PASSWORD_WATERFALL, [
        this.askStep.bind(this),
        this.confirmStep.bind(this),
        this.compareStep.bind(this),
      ]),
    );
    this.initialDialogId = PASSWORD_WATERFALL;
  }

  private async askStep(step: WaterfallStepContext<{ again?: boolean }>): Promise<DialogTurnResult> {
    if (!step.options?.again) await step.context.sendActivity(t('bot.password.intro'));
    return step.prompt(PASSWORD_PROMPT, { prompt: passwordPrompt(step.context) });
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as SecretAnswer;
    if (answer.confirmation !== undefined) {
      // The card carried both entries: compare them now, nothing to keep.
      if (answer.confirmation === answer.secret)
        return step.endDialog({ password: answer.secret } satisfies ChosenPassword);
      return this.mismatch(step);
    }
    (step.values as PasswordValues).firstHash = await this.deps.hasher.hash(answer.secret);
    return step.prompt(PASSWORD_CONFIRM_PROMPT, { prompt: secretQuestion(t('bot.password.confirmAsk')) });
  }

  private async compareStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const second = (step.result as SecretAnswer).secret;
    const firstHash = (step.values as PasswordValues).firstHash ?? '';
    if (await this.deps.hasher.verify(firstHash, second))
      return step.endDialog({ password: second } satisfies ChosenPassword);
    return this.mismatch(step);
  }

  private async mismatch(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(t('bot.password.mismatch'));
    return step.replaceDialog(PASSWORD_WATERFALL, { again: true });
  }
}

async function validatePolicy(prompt: PromptValidatorContext<SecretAnswer>): Promise<boolean> {
  if (!prompt.recognized.succeeded || !prompt.recognized.value) return false;
  const result = checkPassword(prompt.recognized.value.secret);
  if (result.ok) return true;
  await prompt.context.sendActivity(
    t('bot.password.weak', { problems: describeUnmet(result.unmet), min: PASSWORD_MIN_LENGTH }),
  );
  return false;
}

/** « il compte moins de 8 caractères, il manque une majuscule et un chiffre ». */
export function describeUnmet(unmet: readonly PasswordRule[]): string {
  const parts: string[] = [];
  if (unmet.includes('minLength')) parts.push(t('bot.password.tooShort', { min: PASSWORD_MIN_LENGTH }));
  if (unmet.includes('maxLength')) parts.push(t('bot.password.tooLong', { max: PASSWORD_MAX_LENGTH }));
  const missing = (['uppercase', 'lowercase', 'digit'] as const)
    .filter((r) => unmet.includes(r))
    .map((r) => t(`bot.password.rule.${r}`));
  if (missing.length > 0) parts.push(t('bot.password.missing', { items: joinFr(missing) }));
  return parts.join(t('bot.password.comma'));
}

function joinFr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(t('bot.password.comma'))}${t('bot.password.and')}${items.at(-1)}`;
}
