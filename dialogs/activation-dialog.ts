import {
  ComponentDialog,
  type DialogTurnResult,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { formatDateTimeFr, formatOpeningFr } from '../src/domain/calendar/format';
import { RULES } from '../src/domain/limits/rules';
import { formatWaitFr } from '../src/domain/limits/wait';
import { isAppError } from '../src/errors';
import { t } from '../src/i18n';
import { AddressDialog } from './address-dialog';
import { conversationRefOf, requesterOf } from './conversation-ref';
import {
  ACTIVATION_DIALOG,
  ACTIVATION_WATERFALL,
  ADDRESS_DIALOG,
  PASSWORD_DIALOG,
  WEBMAIL_DIALOG,
  YES_NO_PROMPT,
} from './ids';
import { memoryOf, rememberRequest } from './memory';
import { type ChosenPassword, PasswordDialog } from './password-dialog';
import { yesNoOptions, yesNoPrompt } from './prompts';
import type { DialogDeps, TurnContext } from './types';
import { WebmailDialog } from './webmail-dialog';

interface ActivationValues {
  email?: string;
}

/**
 * Where the activation starts: from the beginning, or at a step the teacher came back to (a corrected
 * address, a webmail that in fact does not work). Nothing else of the conversation is lost.
 */
export interface ActivationOptions {
  readonly from?: 'webmail' | 'address';
  /** An address the teacher already gave (« non, c'est marie.durand@… »). */
  readonly email?: string;
  /** The teacher typed it as a correction: taken without asking « Est-ce bien votre adresse ? » again. */
  readonly confirmed?: boolean;
}

/** The leaflet's three steps: webmail, address and password, then the pending account and its mail. */
export class ActivationDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(ACTIVATION_DIALOG);
    this.addDialog(yesNoPrompt(YES_NO_PROMPT));
    this.addDialog(new WebmailDialog(deps));
    this.addDialog(new AddressDialog(deps));
    this.addDialog(new PasswordDialog(deps));
    this.addDialog(
      new WaterfallDialog(ACTIVATION_WATERFALL, [
        this.windowStep.bind(this),
        this.webmailStep.bind(this),
        this.addressStep.bind(this),
        this.passwordStep.bind(this),
        this.createStep.bind(this),
      ]),
    );
    this.initialDialogId = ACTIVATION_WATERFALL;
  }

  private async windowStep(step: WaterfallStepContext<ActivationOptions>): Promise<DialogTurnResult> {
    if (!(await this.windowIsOpen(step.context))) return step.endDialog();
    const from = step.options?.from;
    if (from === 'webmail') return step.next(false);
    // A webmail the teacher already said works is not asked about again.
    if (from === 'address' || memoryOf(step.context).webmail === 'done') return step.next(true);
    return step.prompt(YES_NO_PROMPT, yesNoOptions(t('bot.webmail.ask')));
  }

  private async webmailStep(step: WaterfallStepContext<ActivationOptions>): Promise<DialogTurnResult> {
    if (step.result === true) return step.next();
    return step.beginDialog(WEBMAIL_DIALOG);
  }

  private async addressStep(step: WaterfallStepContext<ActivationOptions>): Promise<DialogTurnResult> {
    // Reaching the address means the webmail works (« oui », or « Messagerie activée »).
    memoryOf(step.context).webmail = 'done';
    const { email, confirmed } = step.options ?? {};
    return step.beginDialog(ADDRESS_DIALOG, {
      ...(email ? { email } : {}),
      ...(confirmed ? { confirmed } : {}),
    });
  }

  private async passwordStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    (step.values as ActivationValues).email = step.result as string;
    return step.beginDialog(PASSWORD_DIALOG, { email: step.result as string });
  }

  private async createStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const chosen = step.result as ChosenPassword;
    if ('alreadyUsed' in chosen) return step.endDialog();
    const email = (step.values as ActivationValues).email ?? '';
    try {
      const result = await this.deps.accounts.request({
        email,
        ...('password' in chosen ? { password: chosen.password } : { passwordHash: chosen.passwordHash }),
        conversation: conversationRefOf(step.context),
        ...requesterOf(step.context),
      });
      // Only now is the page's password spent: a turn that failed earlier finds it again.
      if ('entryId' in chosen && chosen.entryId) await this.deps.passwordEntry?.consume(chosen.entryId);
      rememberRequest(memoryOf(step.context), result.email);
      await step.context.sendActivity(
        t('bot.account.sent', {
          email: result.email,
          expires: formatDateTimeFr(result.linkExpiresAt, this.deps.calendar.timeZone),
        }),
      );
      return step.endDialog();
    } catch (error) {
      // The window can close while the teacher types; anything else is the turn's error handler's job.
      if (isAppError(error, 'ACCOUNT_WINDOW_CLOSED')) {
        await this.windowIsOpen(step.context);
        return step.endDialog();
      }
      // Said and ended like any other step: the conversation goes on, the teacher may ask anything.
      if (isAppError(error, 'RATE_LIMITED')) {
        const perConversation = error.data?.rule === RULES.accountPerConversation.name;
        const wait = formatWaitFr(Number(error.data?.retryAfterMs ?? 0));
        await step.context.sendActivity(
          t(perConversation ? 'bot.account.tooManyForConversation' : 'bot.account.tooManyForRequester', {
            wait,
          }),
        );
        return step.endDialog();
      }
      if (isAppError(error, 'TOO_MANY_PENDING')) {
        await step.context.sendActivity(t('bot.account.tooManyPending'));
        return step.endDialog();
      }
      throw error;
    }
  }

  /** Says why when the account window is not open (dates in French, Paris time). */
  private async windowIsOpen(context: TurnContext): Promise<boolean> {
    const status = this.deps.accounts.windowStatus();
    if (status === 'open') return true;
    const { accountCreation, timeZone } = this.deps.calendar;
    await context.sendActivity(
      status === 'before'
        ? t('bot.account.windowBefore', { opens: formatOpeningFr(accountCreation.opens, timeZone) })
        : t('bot.account.windowAfter', { closes: formatDateTimeFr(accountCreation.closes, timeZone) }),
    );
    return false;
  }
}
