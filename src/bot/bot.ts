import {
  ActivityHandler,
  type BotState,
  type StatePropertyAccessor,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import { type Dialog, DialogSet, type DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { beginTurn, type ConversationMemory } from '../../dialogs/memory';
import { sendWelcome } from '../../dialogs/topics';
import {
  ACCOUNT_CONFIRMED_EVENT,
  CHANNEL_TIME_ZONE,
  PASSWORD_ENTERED_EVENT,
  PROFILE_ADDRESS,
  type ProfileAddressLookup,
  TEACHER_PLACE,
} from '../../dialogs/types';
import { t } from '../i18n';

/**
 * Welcomes the teacher, runs the main dialog on every message, and saves the conversation state once
 * per turn (inside the conversation lock taken by the middleware).
 */
export class ElecteurBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  /** The id of the place the teacher named (« je suis à Nouméa »), kept for the conversation. */
  private readonly teacherPlace: StatePropertyAccessor<string | undefined>;
  /** Teams sends both installationUpdate and conversationUpdate on install: one welcome is enough. */
  private readonly welcomed: StatePropertyAccessor<boolean>;
  /** What the teacher said has happened and what the bot last said (dialogs/memory.ts). */
  private readonly memory: StatePropertyAccessor<ConversationMemory>;

  constructor(
    private readonly conversationState: BotState,
    private readonly dialog: Dialog,
    private readonly events: BotEvents = {},
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.teacherPlace = conversationState.createProperty<string | undefined>('teacherPlace');
    this.welcomed = conversationState.createProperty<boolean>('welcomed');
    this.memory = conversationState.createProperty<ConversationMemory>('memory');

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (joined) await this.welcome(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });

    // The password page was submitted (PASSWORD_ENTRY=link): the waiting step takes it from the store.
    // The account was confirmed on the link's page: said in the conversation that asked for it, inside a
    // turn, so that the conversation remembers it (its questions now lead to voting).
    this.onEvent(async (context, next) => {
      if (context.activity.name === PASSWORD_ENTERED_EVENT)
        await (await this.dialogContext(context)).continueDialog();
      if (context.activity.name === ACCOUNT_CONFIRMED_EVENT) await this.events.accountConfirmed?.(context);
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
    const memory: ConversationMemory = (await this.memory.get(context)) ?? {};
    beginTurn(context, memory);
    context.turnState.set(TEACHER_PLACE, await this.teacherPlace.get(context));
    context.turnState.set(CHANNEL_TIME_ZONE, channelTimeZone(context));
    if (context.activity.channelId === 'msteams')
      context.turnState.set(PROFILE_ADDRESS, teamsProfileAddress(context));
    await super.run(context);
    const place = context.turnState.get(TEACHER_PLACE) as string | undefined;
    if (place !== undefined) await this.teacherPlace.set(context, place);
    // Nothing stored until there is something to remember.
    if (Object.values(memory).some((v) => v !== undefined)) await this.memory.set(context, memory);
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
    if (await this.welcomed.get(context, false)) return;
    await this.welcomed.set(context, true);
    await sendWelcome(context);
  }

  private async dialogContext(context: TurnContext) {
    const dialogs = new DialogSet(this.dialogState);
    dialogs.add(this.dialog);
    return dialogs.createContext(context);
  }
}

/** What the bot does on events the product raises in a conversation (see src/index.ts). */
export interface BotEvents {
  readonly accountConfirmed?: (context: TurnContext) => Promise<void>;
}

/** Web Chat sends `localTimezone` on the activity; Teams sends a `clientInfo` entity with `timezone`. */
function channelTimeZone(context: TurnContext): string | undefined {
  const activity = context.activity;
  if (typeof activity.localTimezone === 'string' && activity.localTimezone) return activity.localTimezone;
  const clientInfo = activity.entities?.find((e) => e.type === 'clientInfo') as
    | { timezone?: unknown }
    | undefined;
  return typeof clientInfo?.timezone === 'string' ? clientInfo.timezone : undefined;
}

/** The e-mail (or UPN) of the teacher's Teams profile, read from the channel only when asked. */
function teamsProfileAddress(context: TurnContext): ProfileAddressLookup {
  return async () => {
    const member = await TeamsInfo.getMember(context, context.activity.from.id);
    return member.email ?? member.userPrincipalName ?? undefined;
  };
}
