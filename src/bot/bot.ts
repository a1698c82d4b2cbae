import { ActivityHandler, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { type Dialog, DialogSet, type DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { sendWelcome } from '../../dialogs/topics';
import { t } from '../i18n';

/**
 * Welcomes the teacher, runs the main dialog on every message, and saves the conversation state once
 * per turn (inside the conversation lock taken by the middleware).
 */
export class ElecteurBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;

  constructor(
    private readonly conversationState: BotState,
    private readonly dialog: Dialog,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (joined) await this.welcome(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      const dc = await this.dialogContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.dialog.id);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }

  /** A teacher coming back to a conversation in progress continues where they stopped. */
  private async welcome(context: TurnContext): Promise<void> {
    const dc = await this.dialogContext(context);
    if (dc.activeDialog) {
      await context.sendActivity(t('bot.welcome.back'));
      await dc.repromptDialog();
      return;
    }
    await sendWelcome(context);
  }

  private async dialogContext(context: TurnContext) {
    const dialogs = new DialogSet(this.dialogState);
    dialogs.add(this.dialog);
    return dialogs.createContext(context);
  }
}
