import {
  ActivityHandler,
  type BotState,
  type StatePropertyAccessor,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import {
  type Dialog,
  type DialogContext,
  DialogSet,
  type DialogState,
  DialogTurnStatus,
} from 'botbuilder-dialogs';
import { rememberAcademie } from '../../dialogs/academie';
import { beginTurn, type ConversationMemory, memoryOf } from '../../dialogs/memory';
import {
  ACADEMIE_OF_TURN,
  CHANNEL_TIME_ZONE,
  HINTS_SHOWN,
  PAGE_ACADEMIE_KEY,
  PLACE_NAMED,
  PROFILE_ADDRESS,
  type ProfileAddressLookup,
  SECRET_ANSWER,
  TEACHER_PLACE,
} from '../../dialogs/types';
import type { Academies } from '../domain/academies/directory';
import { findPlace } from '../domain/calendar/places';
import {
  ACCOUNT_CONFIRMED_EVENT,
  HANDOFF_EVENT,
  type HandoffEventValue,
  PASSWORD_ENTERED_EVENT,
  REMINDER_DUE_EVENT,
} from '../domain/turns/activity-names';
import { t } from '../i18n';
import { PRODUCT_EVENT } from './notifier';

/**
 * Welcomes the teacher, runs the main dialog on every message, and saves the conversation state once
 * per turn (inside the conversation lock taken by the middleware).
 */
export class ElecteurBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  /**
   * What the conversation remembers (dialogs/memory.ts): what the teacher said has happened, the place
   * named, the hints given, what the bot last said. One property, one small JSON object.
   */
  private readonly memory: StatePropertyAccessor<ConversationMemory>;
  /** Built once: adding the main dialog adds its whole tree of dialogs, which a turn need not redo. */
  private readonly dialogs: DialogSet;

  constructor(
    private readonly conversationState: BotState,
    /** The main dialog; `welcome` says the first message (it names the election). */
    private readonly dialog: Dialog & { welcome(context: TurnContext): Promise<void> },
    private readonly events: BotEvents = {},
    private readonly options: BotOptions = {},
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.memory = conversationState.createProperty<ConversationMemory>('memory');
    this.dialogs = new DialogSet(this.dialogState);
    this.dialogs.add(this.dialog);

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
      // The product's events come from this process only (src/bot/notifier.ts), never from a channel.
      if (context.turnState.get(PRODUCT_EVENT) !== true) return next();
      if (context.activity.name === PASSWORD_ENTERED_EVENT)
        await (await this.dialogContext(context)).continueDialog();
      if (context.activity.name === ACCOUNT_CONFIRMED_EVENT) await this.events.accountConfirmed?.(context);
      if (context.activity.name === HANDOFF_EVENT && isHandoffEvent(context.activity.value))
        await this.events.handoff?.(await this.dialogContext(context), context.activity.value);
      // A reminder is due (issue 15): said like the confirmation, the dialog stack left as it is.
      if (context.activity.name === REMINDER_DUE_EVENT) await this.events.reminderDue?.(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      // In an agent's hands the message is the agent's to read: no dialog runs (issue 15).
      const dc = await this.dialogContext(context);
      if (await this.events.duringHandoff?.(dc)) return next();
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.dialog.id);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const memory: ConversationMemory = (await this.memory.get(context)) ?? {};
    beginTurn(context, memory);
    const remembered = memory.place;
    // Every message is read for a place once, here, whatever the step (issue 11): « je suis à Mayotte »
    // said while giving an address counts for the date asked three messages later.
    const { activity } = context;
    const named = activity.type === 'message' && activity.text ? findPlace(activity.text) : undefined;
    context.turnState.set(PLACE_NAMED, named);
    context.turnState.set(TEACHER_PLACE, named?.id ?? remembered);
    context.turnState.set(CHANNEL_TIME_ZONE, channelTimeZone(context));
    const hints = new Set(memory.hints);
    const hintsBefore = hints.size;
    context.turnState.set(HINTS_SHOWN, hints);
    if (context.activity.channelId === 'msteams')
      context.turnState.set(PROFILE_ADDRESS, teamsProfileAddress(context));
    // A Web Chat page or widget opened for one académie says which (issue 14): the weakest source.
    const fromPage = this.options.academies?.byId(pageAcademie(activity.channelData));
    if (fromPage) rememberAcademie(memory, fromPage, 'page');
    await super.run(context);
    // For the transcript's summary: the helpdesk finds the conversation's académie there.
    context.turnState.set(ACADEMIE_OF_TURN, memory.academie);
    // A place read from text typed at a password prompt may be a word of the password: never kept.
    const place =
      context.turnState.get(SECRET_ANSWER) === true
        ? remembered
        : (context.turnState.get(TEACHER_PLACE) as string | undefined);
    if (place !== undefined) memory.place = place;
    if (hints.size > hintsBefore) memory.hints = [...hints];
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
    // Teams sends both installationUpdate and conversationUpdate on install: one welcome is enough.
    if (memoryOf(context).welcomed) return;
    await this.dialog.welcome(context);
  }

  private async dialogContext(context: TurnContext) {
    return this.dialogs.createContext(context);
  }
}

export interface BotOptions {
  /** The académie profiles in force, to check the académie a Web Chat page sends. */
  readonly academies?: Pick<Academies, 'byId'>;
}

/** The académie id a Web Chat page put in the activity's channelData, when it looks like one. */
function pageAcademie(channelData: unknown): string | undefined {
  if (typeof channelData !== 'object' || channelData === null) return undefined;
  const value = (channelData as Record<string, unknown>)[PAGE_ACADEMIE_KEY];
  return typeof value === 'string' && value.length <= 40 ? value : undefined;
}

/** What the bot does on events the product raises in a conversation (see src/index.ts). */
export interface BotEvents {
  readonly accountConfirmed?: (context: TurnContext) => Promise<void>;
  /** True when the message was for the helpdesk's agent and no dialog should run. */
  readonly duringHandoff?: (dc: DialogContext) => Promise<boolean>;
  readonly handoff?: (dc: DialogContext, value: HandoffEventValue) => Promise<void>;
  readonly reminderDue?: (context: TurnContext) => Promise<void>;
}

const HANDOFF_KINDS: ReadonlySet<unknown> = new Set(['taken', 'message', 'ended', 'requeued', 'dropped']);

/** Only this process raises the event (src/index.ts); checked all the same, since a channel could send one. */
function isHandoffEvent(value: unknown): value is HandoffEventValue {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, text } = value as Record<string, unknown>;
  return HANDOFF_KINDS.has(kind) && (text === undefined || (typeof text === 'string' && text.length <= 4000));
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

/**
 * The e-mail (or UPN) of the teacher's Teams profile, read from the channel only when asked, and at most
 * once a turn (the académie and the address step may both ask).
 */
function teamsProfileAddress(context: TurnContext): ProfileAddressLookup {
  let asked: Promise<string | undefined> | undefined;
  return () => {
    // An activity without a sender (a malformed one gets this far) has no profile to ask for.
    const userId = context.activity.from?.id;
    if (!userId) return Promise.resolve(undefined);
    asked ??= TeamsInfo.getMember(context, userId).then(
      (member) => member.email ?? member.userPrincipalName ?? undefined,
    );
    return asked;
  };
}
