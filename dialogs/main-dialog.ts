import {
  ComponentDialog,
  type DialogContext,
  type DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { t } from '../src/i18n';
import { ActivationDialog } from './activation-dialog';
import { commandOf, menuChoiceOf } from './commands';
import { ACTIVATION_DIALOG, MAIN_DIALOG, MAIN_WATERFALL } from './ids';
import { mainMenu } from './replies';
import { sendDates, sendHelp, sendMailNotReceived, sendWelcome } from './topics';
import { type DialogDeps, NUMEN_DETECTED } from './types';

/**
 * The root: routes a message when nothing is in progress, and handles what can be said at any moment
 * (aide, annuler, recommencer, a greeting, a NUMEN typed by mistake) without losing the current step.
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
        return undefined;
    }
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    if (context.turnState.get(NUMEN_DETECTED)) {
      await context.sendActivity(t('bot.numenWarning'));
      await context.sendActivity(mainMenu(context, t('bot.welcome.choose')));
      return step.endDialog();
    }
    const text = context.activity.text;
    const command = commandOf(text);
    if (command === 'restart') return step.beginDialog(ACTIVATION_DIALOG);
    if (command === 'cancel') {
      await context.sendActivity(mainMenu(context, t('bot.cancelled')));
      return step.endDialog();
    }
    switch (menuChoiceOf(text)) {
      case 'create':
        return step.beginDialog(ACTIVATION_DIALOG);
      case 'dates':
        await sendDates(context, this.deps);
        break;
      case 'mailNotReceived':
        await sendMailNotReceived(context);
        break;
      case 'help':
        await sendHelp(context);
        break;
      case 'greeting':
        await sendWelcome(context);
        break;
      default:
        await context.sendActivity(
          mainMenu(context, text?.trim() ? t('bot.notUnderstood') : t('bot.emptyMessage')),
        );
    }
    return step.endDialog();
  }
}
