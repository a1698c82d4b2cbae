import {
  ComponentDialog,
  type DialogContext,
  type DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { redactText } from '../src/domain/transcripts/redaction';
import { INTENTS, type Intent } from '../src/domain/understanding/intents';
import { t } from '../src/i18n';
import { ActivationDialog } from './activation-dialog';
import { answerFor } from './answering';
import { commandOf, menuChoiceOf } from './commands';
import { ACTIVATION_DIALOG, MAIN_DIALOG, MAIN_WATERFALL } from './ids';
import { expectsThisAnswer, isSecretPrompt } from './prompt-answers';
import { mainMenu } from './replies';
import { sendDates, sendHelp, sendWelcome } from './topics';
import { type DialogDeps, NUMEN_DETECTED, SECRET_ANSWER, type TurnContext } from './types';
import { askToClarify, intentOfLabel, recognize } from './understanding';

/** Intents that never interrupt a step: the teacher is already creating the account, or is greeting. */
const NOT_AN_INTERRUPTION: ReadonlySet<Intent> = new Set(['start_activation', 'greeting']);

/**
 * The root: routes a message when nothing is in progress, and handles what can be said at any moment
 * (aide, annuler, recommencer, a greeting, a question, a NUMEN typed by mistake) without losing the step.
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(MAIN_DIALOG);
    this.addDialog(new ActivationDialog(deps));
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.routeStep.bind(this)]));
    this.initialDialogId = MAIN_WATERFALL;
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const context = dc.context;
    if (context.turnState.get(NUMEN_DETECTED)) {
      await context.sendActivity(t('bot.numenWarning'));
      await dc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    switch (commandOf(context.activity.text)) {
      case 'help':
        await sendHelp(context);
        await dc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      case 'greeting':
        await context.sendActivity(t('bot.welcome.back'));
        await dc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      case 'cancel':
        await dc.cancelAllDialogs();
        await context.sendActivity(mainMenu(context, t('bot.cancelled')));
        return { status: DialogTurnStatus.cancelled };
      case 'restart':
        await dc.cancelAllDialogs();
        await context.sendActivity(t('bot.restarting'));
        return dc.beginDialog(ACTIVATION_DIALOG);
      default:
        return this.answerQuestion(dc);
    }
  }

  /** A question asked while a prompt waits is answered, then the prompt is asked again. */
  private async answerQuestion(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const context = dc.context;
    const text = context.activity.text;
    const promptId = activePromptId(dc);
    if (!text || expectsThisAnswer(promptId, text)) return undefined;
    const secret = isSecretPrompt(promptId);
    // A message typed at a password prompt stays masked in the transcript, even when it is a question.
    if (secret) context.turnState.set(SECRET_ANSWER, true);
    const recognition = await recognize(context, this.deps, text, { secret });
    if (!recognition.confident || NOT_AN_INTERRUPTION.has(recognition.top)) return undefined;
    // A non-confident message here is an answer to the prompt, not a misunderstood question.
    if (!secret) void this.deps.stats?.recognised(recognition.top, true, this.deps.clock.now());
    await this.respond(context, recognition.top, text);
    await dc.repromptDialog();
    return { status: DialogTurnStatus.waiting };
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    if (context.turnState.get(NUMEN_DETECTED)) {
      await context.sendActivity(t('bot.numenWarning'));
      await context.sendActivity(mainMenu(context, t('bot.welcome.choose')));
      return step.endDialog();
    }
    const text = context.activity.text ?? '';
    const command = commandOf(text);
    if (command === 'restart') return step.beginDialog(ACTIVATION_DIALOG);
    if (command === 'cancel') {
      await context.sendActivity(mainMenu(context, t('bot.cancelled')));
      return step.endDialog();
    }
    if (!text.trim()) {
      await context.sendActivity(mainMenu(context, t('bot.emptyMessage')));
      return step.endDialog();
    }
    switch (menuChoiceOf(text)) {
      case 'create':
        return step.beginDialog(ACTIVATION_DIALOG);
      case 'dates':
        await sendDates(context, this.deps);
        return step.endDialog();
      case 'mailNotReceived':
        await this.respond(context, 'mail_not_received', text);
        return step.endDialog();
      case 'help':
        await sendHelp(context);
        return step.endDialog();
      case 'greeting':
        await sendWelcome(context);
        return step.endDialog();
      default:
        break;
    }
    const chosen = intentOfLabel(text, INTENTS);
    if (chosen === 'start_activation') return step.beginDialog(ACTIVATION_DIALOG);
    if (chosen) {
      await this.respond(context, chosen, text);
      return step.endDialog();
    }
    const recognition = await recognize(context, this.deps, text);
    const now = this.deps.clock.now();
    void this.deps.stats?.recognised(recognition.top, recognition.confident, now);
    if (!recognition.confident) void this.deps.stats?.misunderstood(redactText(recognition.text), now);
    if (!recognition.confident) {
      await askToClarify(context, recognition.candidates);
      return step.endDialog();
    }
    if (recognition.top === 'start_activation') return step.beginDialog(ACTIVATION_DIALOG);
    await this.respond(context, recognition.top, text);
    return step.endDialog();
  }

  /** The answer to a recognised question (everything but starting the activation). */
  private async respond(context: TurnContext, intent: Intent, text: string): Promise<void> {
    switch (intent) {
      case 'greeting':
        return sendWelcome(context);
      case 'help':
        return sendHelp(context);
      case 'start_activation':
        await context.sendActivity(mainMenu(context, t('bot.welcome.choose')));
        return;
      default: {
        const replies = answerFor(context, this.deps, intent, text);
        if (!replies?.length) {
          await context.sendActivity(mainMenu(context, t('bot.notUnderstood')));
          return;
        }
        for (const reply of replies) await context.sendActivity(reply);
      }
    }
  }
}

/** The id of the innermost active dialog: the prompt the teacher is answering, if any. */
function activePromptId(dc: DialogContext): string | undefined {
  let current: DialogContext = dc;
  while (current.child) current = current.child;
  return current.activeDialog?.id;
}
