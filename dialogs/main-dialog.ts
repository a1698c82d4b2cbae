import { createHash } from 'node:crypto';
import {
  ComponentDialog,
  type DialogContext,
  type DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { addressIn } from '../src/domain/accounts/address';
import { formatDateTimeFr, formatDayFr } from '../src/domain/calendar/format';
import { redactText } from '../src/domain/transcripts/redaction';
import type { HandoffEventValue } from '../src/domain/turns/activity-names';
import { INTENTS, type Intent } from '../src/domain/understanding/intents';
import { languageOf } from '../src/domain/understanding/language';
import { questionsOf } from '../src/domain/understanding/segments';
import {
  asksAboutAccount,
  asksStatus,
  changedMindWay,
  readsAsSentence,
  reminderRequestOf,
  type Statement,
  statementOf,
} from '../src/domain/understanding/statements';
import { isAppError } from '../src/errors';
import { t } from '../src/i18n';
import { learnAcademie } from './academie';
import { ActivationDialog, type ActivationOptions } from './activation-dialog';
import { answerFor, hintGiven } from './answering';
import { CREATE_ACCOUNT_HINT } from './answers';
import { contactFr } from './answers/academie-fr';
import { commandOf, type MenuChoice, menuChoiceOf } from './commands';
import { conversationRefOf } from './conversation-ref';
import { activationStep, activeDialogIds, activePromptId, confirmedAddress } from './dialog-stack';
import { resolveIntent, settledIntent } from './follow-ups';
import { asksForPerson, duringHandoff, onHandoffEvent, startHandoff } from './handoff';
import {
  ACTIVATION_DIALOG,
  ADDRESS_DIALOG,
  ADDRESS_PROMPT,
  MAIN_DIALOG,
  MAIN_WATERFALL,
  PASSWORD_CONFIRM_PROMPT,
  PASSWORD_DIALOG,
  PASSWORD_PROMPT,
  WEBMAIL_DIALOG,
  WEBMAIL_NEXT_PROMPT,
  YES_NO_PROMPT,
} from './ids';
import { type ConversationMemory, memoryOf, PREVIOUS_ANSWER } from './memory';
import { type ActivationStep, announceConfirmed, progressSummary, votingGuide } from './progress';
import { expectsThisAnswer, isSecretPrompt } from './prompt-answers';
import { answerReminderRequest, sayReminderDue, stopRemindersOnCommand, votedNoReminder } from './reminders';
import { mainMenu, withOptions } from './replies';
import { sendDates, sendHelp, sendWelcome } from './topics';
import { type DialogDeps, NUMEN_DETECTED, PASSPHRASE, SECRET_ANSWER, type TurnContext } from './types';
import { askToClarify, intentOfLabel, recognize } from './understanding';

/** Intents that never interrupt a step: the teacher is already creating the account, or is greeting. */
const NOT_AN_INTERRUPTION: ReadonlySet<Intent> = new Set(['start_activation', 'greeting']);
/** Parts of a long message that are courtesy, not questions to answer one by one. */
const NOT_A_QUESTION: ReadonlySet<Intent> = new Set(['greeting', 'smalltalk', 'help', 'off_topic']);
/**
 * Problems rather than questions: asked again right after the answer, they mean it did not help, and the
 * next step comes (a new link, the helpdesk). Any other question asked again gets its answer once more,
 * said as such, rather than the identical block.
 */
const PROBLEMS: ReadonlySet<string> = new Set(['mail_not_received', 'webmail_help', 'forgot_password']);

/** The intents each menu choice stands for, when a keyword is found inside a longer message. */
const MENU_INTENTS: Record<MenuChoice, readonly Intent[]> = {
  create: ['start_activation'],
  dates: [
    'ask_account_open',
    'ask_deadline_account',
    'ask_vote_open',
    'ask_vote_close',
    'ask_results_date',
    'ask_now_status',
  ],
  mailNotReceived: ['mail_not_received'],
  help: ['help'],
  greeting: ['greeting', 'smalltalk'],
};

/** What onStatement returns when the waiting prompt should take the message itself (« en fait non »). */
const TO_THE_PROMPT = 'toThePrompt';

const WAITING: DialogTurnResult = { status: DialogTurnStatus.waiting };

/**
 * The root: routes a message when nothing is in progress, and handles what can be said at any moment
 * without losing the step — aide, annuler, recommencer, a greeting, a question, a NUMEN typed by mistake,
 * a correction (« je me suis trompée d'adresse »), what the teacher says has happened (« c'est bon, ma
 * messagerie marche »), « je reviens plus tard », « toujours rien ».
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(MAIN_DIALOG);
    this.addDialog(new ActivationDialog(deps));
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.routeStep.bind(this)]));
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** The first message of a conversation (the bot calls it when the teacher joins): the election named. */
  async welcome(context: TurnContext): Promise<void> {
    await sendWelcome(context, this.deps);
  }

  /** The product's event: this conversation's request was confirmed on the link's page. */
  async accountConfirmed(context: TurnContext): Promise<void> {
    await announceConfirmed(context, this.deps);
  }

  /** Before the dialogs: true when the message is the agent's to read (the bot stays silent). */
  async duringHandoff(dc: DialogContext): Promise<boolean> {
    return duringHandoff(dc, this.deps);
  }

  /** The helpdesk's side moved the conversation (taken, a message, ended, requeued, dropped). */
  async handoffEvent(dc: DialogContext, value: HandoffEventValue): Promise<void> {
    await onHandoffEvent(dc, this.deps, value);
  }

  /** The product's event: a reminder of this conversation is due (issue 15); the steps stay as they are. */
  async reminderDue(context: TurnContext): Promise<void> {
    await sayReminderDue(context, this.deps);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const context = dc.context;
    const promptId = activePromptId(dc);
    const text = context.activity.text;
    // A message typed at a password prompt stays masked in the transcript, whatever it turns out to be.
    if (text && isSecretPrompt(promptId)) context.turnState.set(SECRET_ANSWER, true);
    if (context.turnState.get(NUMEN_DETECTED)) {
      await context.sendActivity(t('bot.numenWarning'));
      await dc.repromptDialog();
      return WAITING;
    }
    switch (commandOf(text)) {
      case 'help':
        await sendHelp(context, this.deps);
        await dc.repromptDialog();
        return WAITING;
      case 'greeting':
        await context.sendActivity(t('bot.welcome.back'));
        await dc.repromptDialog();
        return WAITING;
      case 'cancel':
        // « Stop » also ends the reminders (said when some were waiting).
        if (reminderRequestOf(text ?? '') === 'stopReminders')
          await stopRemindersOnCommand(context, this.deps);
        await dc.cancelAllDialogs();
        await context.sendActivity(mainMenu(context, t('bot.cancelled')));
        return { status: DialogTurnStatus.cancelled };
      case 'restart':
        // From the very beginning: the webmail question too.
        memoryOf(context).webmail = undefined;
        await dc.cancelAllDialogs();
        await context.sendActivity(t('bot.restarting'));
        return dc.beginDialog(ACTIVATION_DIALOG);
      default:
        break;
    }
    // « Je voudrais parler à un conseiller », at any step: the step ends (never a password prompt left
    // open behind the helpdesk) and the conversation joins the queue.
    if (asksForPerson(text)) {
      await startHandoff(dc, this.deps, { passwordOpen: activeDialogIds(dc).includes(PASSWORD_DIALOG) });
      return { status: DialogTurnStatus.cancelled };
    }
    // A card's values go to their prompt: a card is always an answer. So do a choice's own words (« Plus
    // tard », « oui »), except at the address and password prompts, which judge more than a few words.
    if (!text) return undefined;
    if (promptId !== ADDRESS_PROMPT && !isSecretPrompt(promptId) && expectsThisAnswer(promptId, text))
      return undefined;
    const steps = activeDialogIds(dc);
    // The teacher is creating the account: « écrivez « créer mon compte » » would be noise from now on.
    if (steps.includes(ACTIVATION_DIALOG)) hintGiven(context, CREATE_ACCOUNT_HINT);
    // « est-ce que ma collègue anne.martin@… a déjà un compte ? » holds an address but corrects nothing.
    const about = asksAboutAccount(text);
    if (about) {
      await this.sendAccountUnknown(context, about, activationStep(steps));
      await dc.repromptDialog();
      return WAITING;
    }
    // At the address prompt an address is the answer; at any later step it corrects the one given.
    const address = promptId === ADDRESS_PROMPT ? undefined : addressIn(text);
    if (address && steps.includes(ACTIVATION_DIALOG)) return this.correctAddress(dc, address);
    if (await this.otherLanguage(context, text)) {
      await dc.repromptDialog();
      return WAITING;
    }
    const reminder = isSecretPrompt(promptId) ? undefined : reminderRequestOf(text);
    if (reminder) {
      await answerReminderRequest(context, this.deps, reminder);
      await dc.repromptDialog();
      return WAITING;
    }
    const statement = statementOf(text);
    if (statement) {
      const handled = await this.onStatement(dc, statement, promptId, steps);
      if (handled === TO_THE_PROMPT) return undefined;
      if (handled) return handled;
    }
    if (isStatusQuestion(text)) {
      await this.sendStatus(context, text, activationStep(steps));
      await dc.repromptDialog();
      return WAITING;
    }
    if (promptId === PASSWORD_PROMPT || promptId === PASSWORD_CONFIRM_PROMPT)
      return this.atPasswordPrompt(dc, text, promptId);
    return this.answerQuestion(dc, promptId, text);
  }

  /**
   * The chat's password prompt takes a password only when the message is one: a word, or several words
   * that read like no sentence (then the teacher is asked, nothing repeated). A question is answered, a
   * sentence is set aside; the prompt is asked again. Typing stays possible everywhere (accessibility).
   */
  private async atPasswordPrompt(
    dc: DialogContext,
    text: string,
    promptId: string,
  ): Promise<DialogTurnResult | undefined> {
    if (!/\s/.test(text.trim())) return undefined;
    const handled = await this.answerQuestion(dc, promptId, text, { force: true });
    if (handled) return handled;
    if (readsAsSentence(text)) {
      await dc.context.sendActivity(t('bot.progress.notAPassword'));
      await dc.repromptDialog();
      return WAITING;
    }
    if (promptId === PASSWORD_PROMPT) dc.context.turnState.set(PASSPHRASE, true);
    return undefined;
  }

  /**
   * What the teacher says has happened, or wants, at a step: undefined when it changes nothing here,
   * TO_THE_PROMPT when it is the waiting question's own answer.
   */
  private async onStatement(
    dc: DialogContext,
    statement: Statement,
    promptId: string | undefined,
    steps: readonly string[],
  ): Promise<DialogTurnResult | typeof TO_THE_PROMPT | undefined> {
    const context = dc.context;
    const memory = memoryOf(context);
    switch (statement) {
      case 'wrongAddress':
        return steps.includes(ACTIVATION_DIALOG) ? this.correctAddress(dc, undefined) : undefined;
      case 'changedMind': {
        // At a yes/no question, « en fait non » is its answer. Elsewhere it undoes the last answer: the
        // webmail's at the address question, the address's at the password; « en fait si » at the
        // webmail's explanation means it works after all, and at the address asked again (after « non »
        // to the confirmation) that the address was right.
        const way = changedMindWay(context.activity.text ?? '');
        if (promptId === YES_NO_PROMPT) return TO_THE_PROMPT;
        if (promptId === ADDRESS_PROMPT && way === 'yes') return TO_THE_PROMPT;
        if (promptId === ADDRESS_PROMPT && !steps.includes(WEBMAIL_DIALOG)) return this.backToWebmail(dc);
        if (steps.includes(PASSWORD_DIALOG) && way !== 'yes') return this.correctAddress(dc, undefined);
        if (promptId === WEBMAIL_NEXT_PROMPT && way === 'yes') return this.webmailWorks(dc, steps);
        return undefined;
      }
      case 'webmailNotDone':
        // « ma messagerie n'est pas encore activée » once past the webmail step: back to it.
        if (!steps.includes(ACTIVATION_DIALOG) || steps.includes(WEBMAIL_DIALOG)) return undefined;
        return this.backToWebmail(dc);
      case 'frustrated': {
        await context.sendActivity(t('bot.progress.frustrated'));
        // A question in the same message still gets its answer; otherwise the step is asked again.
        const text = context.activity.text ?? '';
        const answered = await this.answerQuestion(dc, promptId, text, { force: true });
        if (answered) return answered;
        await dc.repromptDialog();
        return WAITING;
      }
      case 'later':
        if (steps.length === 0) return undefined;
        await context.sendActivity(
          t('bot.progress.later', {
            closes: formatDateTimeFr(this.deps.calendar.accountCreation.closes, this.deps.calendar.timeZone),
          }),
        );
        // The step stays where it is, in Redis: the teacher's next answer goes to it.
        return WAITING;
      case 'webmailWorks':
        return this.webmailWorks(dc, steps);
      case 'accountCreated':
      case 'accountConfirmed':
      case 'voted':
        await dc.cancelAllDialogs();
        await this.onProgress(context, statement);
        return { status: DialogTurnStatus.complete };
      case 'stillStuck': {
        const topic = stuckTopic(memory, context.activity.text ?? '');
        if (!topic) return undefined;
        await this.followUp(context, topic);
        if (steps.length > 0) await dc.repromptDialog();
        return WAITING;
      }
      case 'itWorks':
        // « c'est bon, ça marche maintenant » while the webmail is the step: the webmail works.
        if (steps.includes(WEBMAIL_DIALOG) || activationStep(steps) === 'webmail')
          return this.webmailWorks(dc, steps);
        return undefined;
    }
  }

  /**
   * « En fait non, je ne l'ai jamais ouverte »: the webmail step again, nothing else lost — an address
   * already confirmed is kept for after it.
   */
  private async backToWebmail(dc: DialogContext): Promise<DialogTurnResult> {
    memoryOf(dc.context).webmail = undefined;
    const email = confirmedAddress(dc);
    await dc.context.sendActivity(t('bot.progress.backToWebmail'));
    return this.restartActivation(dc, { from: 'webmail', ...(email ? { email, confirmed: true } : {}) });
  }

  /** « C'est bon, ma messagerie marche »: noted, and the activation goes on at the address. */
  private async webmailWorks(dc: DialogContext, steps: readonly string[]): Promise<DialogTurnResult> {
    const context = dc.context;
    memoryOf(context).webmail = 'done';
    await context.sendActivity(t('bot.progress.webmailWorks'));
    if (steps.includes(ADDRESS_DIALOG) || steps.includes(PASSWORD_DIALOG)) {
      await dc.repromptDialog();
      return WAITING;
    }
    return this.restartActivation(dc, { from: 'address' });
  }

  /**
   * Back to the address step, with the new address when the teacher gave one. A request this conversation
   * already sent for another address is cancelled: its link stops working.
   */
  private async correctAddress(dc: DialogContext, email: string | undefined): Promise<DialogTurnResult> {
    const context = dc.context;
    await this.cancelOwnRequest(context, email);
    if (!email) await context.sendActivity(t('bot.progress.addressCorrection'));
    return this.restartActivation(dc, { from: 'address', ...(email ? { email, confirmed: true } : {}) });
  }

  private async cancelOwnRequest(context: TurnContext, keep: string | undefined): Promise<void> {
    const memory = memoryOf(context);
    const previous = memory.requested?.at(-1);
    if (!previous || previous === keep?.toLowerCase() || memory.account === 'confirmed') return;
    const outcome = await this.deps.accounts.cancel(previous, conversationRefOf(context));
    memory.requested = memory.requested?.filter((e) => e !== previous);
    if (!memory.requested?.length) {
      memory.requested = undefined;
      memory.account = undefined;
    }
    if (outcome.outcome === 'cancelled')
      await context.sendActivity(t('bot.progress.requestCancelled', { email: previous }));
  }

  private async restartActivation(dc: DialogContext, options: ActivationOptions): Promise<DialogTurnResult> {
    await dc.cancelAllDialogs();
    return dc.beginDialog(ACTIVATION_DIALOG, options);
  }

  /** The account or the vote, as the teacher says it is: noted, and what comes next. */
  private async onProgress(context: TurnContext, statement: Statement): Promise<void> {
    const memory = memoryOf(context);
    if (statement === 'voted') {
      memory.voted = true;
      await context.sendActivity(
        t('bot.progress.voted', {
          results: formatDayFr(this.deps.calendar.resultsFrom, this.deps.calendar.timeZone),
        }),
      );
      await votedNoReminder(context, this.deps);
      return;
    }
    if (statement === 'accountConfirmed' || memory.account === 'confirmed') {
      memory.account = 'confirmed';
      await context.sendActivity(t('bot.progress.accountConfirmed'));
      for (const line of votingGuide(this.deps)) await context.sendActivity(line);
      return;
    }
    memory.account = 'requested';
    await context.sendActivity(
      withOptions(context, t('bot.progress.accountCreated'), [{ label: t('bot.menu.mailNotReceived') }]),
    );
  }

  /**
   * A problem the teacher says persists: the next step, with an acknowledgement — for a missing mail a new
   * link (this conversation's own request), then the helpdesk; for anything else, the helpdesk.
   */
  private async followUp(context: TurnContext, topic: string): Promise<void> {
    const memory = memoryOf(context);
    const level = (memory.followUps?.[topic] ?? 0) + 1;
    memory.followUps = { ...memory.followUps, [topic]: level };
    await context.sendActivity(t('bot.progress.stuckAck'));
    const email = memory.requested?.at(-1);
    // The académie's helpdesk by name when its profile has one; otherwise how to find it.
    const contact = contactFr(await learnAcademie(context, this.deps));
    let reply = contact
      ? `${contact}\n${t('answers.academie.contact.safe')}`
      : t('bot.progress.contactHelpdesk');
    if (topic === 'mail_not_received' && level === 1)
      reply = email ? await this.resendOwn(context, email) : t('bot.progress.mailRequestAgain');
    // Sent here, not through sendAnswer: asked again, that would follow up again, and again, for ever.
    // The helpdesk said just before is said differently rather than repeated.
    if (context.turnState.get(PREVIOUS_ANSWER) === digestOf([reply])) reply = t('bot.progress.helpdeskAgain');
    await context.sendActivity(reply);
    remember(memory, topic, digestOf([reply]));
    // The helpdesk is the next step: live in this conversation when it has agents (issue 15).
    const toHelpdesk = !(topic === 'mail_not_received' && level === 1);
    if (toHelpdesk && this.deps.handoff && !memory.handoff)
      await context.sendActivity(
        withOptions(context, t('handoff.offerStuck'), [{ label: t('handoff.choice') }]),
      );
  }

  private async resendOwn(context: TurnContext, email: string): Promise<string> {
    try {
      const result = await this.deps.accounts.resend(email, conversationRefOf(context));
      if (result.outcome === 'resent' && result.linkExpiresAt)
        return t('bot.progress.mailResent', {
          email,
          expires: formatDateTimeFr(result.linkExpiresAt, this.deps.calendar.timeZone),
        });
      return t('bot.progress.mailRequestAgain');
    } catch (error) {
      // Over the resend budget, or the window closed: a person is the next step.
      if (isAppError(error, 'RATE_LIMITED') || isAppError(error, 'ACCOUNT_WINDOW_CLOSED'))
        return t('bot.progress.contactHelpdesk');
      throw error;
    }
  }

  /** A question asked while a prompt waits is answered, then the prompt is asked again. */
  private async answerQuestion(
    dc: DialogContext,
    promptId: string | undefined,
    text: string,
    options: { force?: boolean } = {},
  ): Promise<DialogTurnResult | undefined> {
    const context = dc.context;
    if (!options.force && expectsThisAnswer(promptId, text)) return undefined;
    const secret = isSecretPrompt(promptId);
    const chosen = intentOfLabel(text, INTENTS);
    const recognition = chosen ? undefined : await recognize(context, this.deps, text, { secret });
    const intent = chosen ?? (recognition && resolveIntent(context, text, recognition));
    if (!intent || NOT_AN_INTERRUPTION.has(intent)) return undefined;
    // A non-confident message here is an answer to the prompt, not a misunderstood question.
    if (!secret)
      void this.deps.stats?.recognised(intent, true, this.deps.clock.now(), memoryOf(context).academie);
    await this.respond(context, intent, text);
    await dc.repromptDialog();
    return WAITING;
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
    if (command === 'restart') {
      memoryOf(context).webmail = undefined;
      return step.beginDialog(ACTIVATION_DIALOG);
    }
    if (command === 'cancel') {
      if (reminderRequestOf(text) === 'stopReminders' && (await stopRemindersOnCommand(context, this.deps)))
        return step.endDialog();
      await context.sendActivity(mainMenu(context, t('bot.cancelled')));
      return step.endDialog();
    }
    if (asksForPerson(text)) {
      await startHandoff(step, this.deps, { passwordOpen: false, keepStack: true });
      return step.endDialog();
    }
    if (!text.trim()) {
      await context.sendActivity(mainMenu(context, t('bot.emptyMessage')));
      return step.endDialog();
    }
    const memory = memoryOf(context);
    // A teacher whose account is requested or confirmed needs no « écrivez « créer mon compte » ».
    if (memory.account) hintGiven(context, CREATE_ACCOUNT_HINT);
    // « est-ce que ma collègue anne.martin@… a déjà un compte ? » holds an address but starts nothing.
    const about = asksAboutAccount(text);
    if (about) {
      await this.sendAccountUnknown(context, about);
      return step.endDialog();
    }
    // An address typed out of the blue starts (or corrects) the activation at the address.
    const address = addressIn(text);
    if (address) {
      await this.cancelOwnRequest(context, address);
      return step.beginDialog(ACTIVATION_DIALOG, { from: 'address', email: address });
    }
    if (await this.otherLanguage(context, text)) return step.endDialog();
    const reminder = reminderRequestOf(text);
    if (reminder) {
      await answerReminderRequest(context, this.deps, reminder);
      return step.endDialog();
    }
    const statement = statementOf(text);
    if (statement === 'wrongAddress' && memory.account !== 'confirmed') {
      // A request made here is cancelled; one made elsewhere cannot be confirmed without the password.
      const requested = Boolean(memory.requested?.length);
      if (requested) await this.cancelOwnRequest(context, undefined);
      await context.sendActivity(
        t(requested ? 'bot.progress.addressCorrection' : 'bot.progress.addressRedo'),
      );
      hintGiven(context, CREATE_ACCOUNT_HINT);
      return step.beginDialog(ACTIVATION_DIALOG, { from: 'address' } satisfies ActivationOptions);
    }
    if (statement === 'accountNotCreated' && !memory.account) {
      await context.sendActivity(mainMenu(context, t('bot.progress.notCreatedYet')));
      return step.endDialog();
    }
    if (statement === 'webmailWorks') {
      memory.webmail = 'done';
      await context.sendActivity(t('bot.progress.webmailWorks'));
      if (memory.account) return step.endDialog();
      return step.beginDialog(ACTIVATION_DIALOG, { from: 'address' } satisfies ActivationOptions);
    }
    if (statement === 'accountCreated' || statement === 'accountConfirmed' || statement === 'voted') {
      await this.onProgress(context, statement);
      return step.endDialog();
    }
    const stuck = statement === 'stillStuck' ? stuckTopic(memory, text) : undefined;
    if (stuck) {
      await this.followUp(context, stuck);
      return step.endDialog();
    }
    // Not working after all: forgotten, and the question (if any) answered below.
    if (statement === 'webmailNotDone') memory.webmail = undefined;
    const frustrated = statement === 'frustrated';
    if (frustrated) await context.sendActivity(t('bot.progress.frustrated'));
    if (isStatusQuestion(text)) {
      await this.sendStatus(context, text);
      return step.endDialog();
    }
    // Before the menu's keywords: « …quand le vote commence et jusqu'à quand je peux créer mon compte ».
    const several = await this.answerSeveral(step, text);
    if (several) return several;
    switch (this.menuChoice(text)) {
      case 'create':
        return this.startActivation(step);
      case 'dates':
        await sendDates(context, this.deps);
        return step.endDialog();
      case 'mailNotReceived':
        await this.respond(context, 'mail_not_received', text);
        return step.endDialog();
      case 'help':
        await sendHelp(context, this.deps);
        return step.endDialog();
      case 'greeting':
        await sendWelcome(context, this.deps);
        return step.endDialog();
      default:
        break;
    }
    const chosen = intentOfLabel(text, INTENTS);
    if (chosen === 'start_activation') return this.startActivation(step);
    if (chosen) {
      await this.respond(context, chosen, text);
      return step.endDialog();
    }
    const recognition = await recognize(context, this.deps, text);
    const now = this.deps.clock.now();
    const intent = resolveIntent(context, text, recognition);
    const academie = memoryOf(context).academie;
    void this.deps.stats?.recognised(intent ?? recognition.top, intent !== undefined, now, academie);
    // Anger with no question in it: no guess and no lecture, the menu and an open door.
    if (frustrated && (intent === undefined || NOT_A_QUESTION.has(intent))) {
      await context.sendActivity(mainMenu(context, t('bot.progress.frustratedNext')));
      return step.endDialog();
    }
    if (intent === undefined) {
      const one = await this.answerOneOf(step, text);
      if (one) return one;
      void this.deps.stats?.misunderstood(redactText(recognition.text), now, academie);
      await askToClarify(context, recognition.candidates);
      // Twice in a row not understood: a person may do better (issue 15).
      memory.misses = (memory.misses ?? 0) + 1;
      if (memory.misses >= 2 && this.deps.handoff && !memory.handoff)
        await context.sendActivity(
          withOptions(context, t('handoff.offer'), [{ label: t('handoff.choice') }]),
        );
      return step.endDialog();
    }
    memory.misses = undefined;
    if (intent === 'start_activation') return this.startActivation(step);
    await this.respond(context, intent, text);
    return step.endDialog();
  }

  /**
   * The menu choice a message names: its label or a keyword phrase, or a keyword inside a longer message
   * (« je voudrais créer mon compte ») unless the recogniser is sure the message asks something else
   * (« je n'ai pas reçu ma notice de vote » holds « pas reçu » but is not about the mail).
   */
  private menuChoice(text: string): MenuChoice | undefined {
    const exact = menuChoiceOf(text, { exact: true });
    if (exact) return exact;
    const loose = menuChoiceOf(text);
    if (!loose) return undefined;
    const recognition = this.deps.recognizer.recognize(text);
    if (recognition.confident && !MENU_INTENTS[loose].includes(recognition.top)) return undefined;
    return loose;
  }

  /** A message in English (or another language): one line saying, in French and in English, that the
   * assistant answers in French. */
  private async otherLanguage(context: TurnContext, text: string): Promise<boolean> {
    const language = languageOf(text);
    if (language !== 'en' && language !== 'other') return false;
    await context.sendActivity(
      language === 'en'
        ? `${t('bot.languages.french')} ${t('bot.languages.inEnglish')}`
        : t('bot.languages.other'),
    );
    return true;
  }

  /**
   * A long message with several questions: each one recognised is answered, in order (« créer mon
   * compte » among them starts the activation after the answers). Undefined when it asks one thing.
   */
  private async answerSeveral(
    step: WaterfallStepContext,
    text: string,
  ): Promise<DialogTurnResult | undefined> {
    const { found, activation } = this.questionsIn(text);
    if (found.length + (activation ? 1 : 0) < 2) return undefined;
    return this.answerQuestions(step, found, activation);
  }

  /**
   * A message not understood as a whole may still hold one question the bot knows, beside a sentence
   * that is not one: « je pourrai voter ce week-end ? jsuis pas dispo avant ». That question is answered.
   */
  private async answerOneOf(step: WaterfallStepContext, text: string): Promise<DialogTurnResult | undefined> {
    const { found, activation } = this.questionsIn(text);
    if (found.length + (activation ? 1 : 0) !== 1) return undefined;
    return this.answerQuestions(step, found, activation);
  }

  private async answerQuestions(
    step: WaterfallStepContext,
    found: ReadonlyArray<{ intent: Intent; question: string }>,
    activation: boolean,
  ): Promise<DialogTurnResult> {
    const context = step.context;
    // The activation starts right after: no « écrivez « créer mon compte » » in the answers before it.
    if (activation) hintGiven(context, CREATE_ACCOUNT_HINT);
    if (found.length >= 2) await context.sendActivity(t('bot.several.intro'));
    for (const { intent, question } of found) await this.respond(context, intent, question);
    return activation ? this.startActivation(step) : step.endDialog();
  }

  /** The questions of a message the bot can answer, each with its intent, in order; none twice. */
  private questionsIn(text: string): {
    found: Array<{ intent: Intent; question: string }>;
    activation: boolean;
  } {
    const questions = questionsOf(text);
    const found: Array<{ intent: Intent; question: string }> = [];
    let activation = false;
    if (questions.length < 2) return { found, activation };
    const known = (intent: Intent | undefined) =>
      intent !== undefined && found.some((f) => f.intent === intent);
    const intentOf = (piece: string) => settledIntent(piece, this.deps.recognizer.recognize(piece));
    for (const [i, question] of questions.entries()) {
      // A short question leans on the sentence before it: « Je voudrais créer mon compte. C'est possible
      // jusqu'à quand ? » asks about the account, not the vote. Unless leaning only repeats the question
      // before (« quand commence le vote ? est-ce obligatoire ? » asks something of its own), or leaning
      // leaves it unclear (« c obligatoire ? et c jusqua qd ? »): then it is read alone.
      const short = question.split(/\s+/).length <= 5 && i > 0;
      let intent = intentOf(short ? `${questions[i - 1]} ${question}` : question);
      if (short && (intent === undefined || known(intent))) intent = intentOf(question);
      if (intent === undefined || NOT_A_QUESTION.has(intent)) continue;
      if (intent === 'start_activation') activation = true;
      else if (!known(intent)) found.push({ intent, question });
    }
    return { found, activation };
  }

  /** « Créer mon compte »: a confirmed account leads to voting, never to a second account. */
  private async startActivation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const memory = memoryOf(context);
    if (memory.voted) {
      await context.sendActivity(t('bot.progress.alreadyVoted'));
      return step.endDialog();
    }
    if (memory.account === 'confirmed') {
      await context.sendActivity(t('bot.progress.alreadyConfirmed'));
      for (const line of votingGuide(this.deps)) await context.sendActivity(line);
      return step.endDialog();
    }
    hintGiven(context, CREATE_ACCOUNT_HINT);
    return step.beginDialog(ACTIVATION_DIALOG);
  }

  /**
   * « Où en est-on ? »: the teacher's progress in this conversation, then where the calendar stands for
   * them — both windows, the vote alone once the account is confirmed, the results once they voted.
   */
  private async sendStatus(context: TurnContext, text: string, current?: ActivationStep): Promise<void> {
    const memory = memoryOf(context);
    await context.sendActivity(progressSummary(memory, current));
    const intent: Intent = memory.voted
      ? 'ask_results_date'
      : memory.account === 'confirmed'
        ? 'ask_vote_close'
        : 'ask_now_status';
    await learnAcademie(context, this.deps);
    for (const reply of answerFor(context, this.deps, intent, text)?.replies ?? [])
      await context.sendActivity(reply);
  }

  /**
   * « Est-ce que ma collègue … a un compte ? », « j'ai un compte ou pas ? »: the bot never looks accounts
   * up (anyone could ask about anyone); it says so, and for the teacher, what this conversation knows.
   */
  private async sendAccountUnknown(
    context: TurnContext,
    about: 'self' | 'other',
    current?: ActivationStep,
  ): Promise<void> {
    if (about === 'other') {
      await context.sendActivity(t('bot.progress.accountUnknownOther'));
      return;
    }
    await context.sendActivity(t('bot.progress.accountUnknownSelf'));
    await context.sendActivity(progressSummary(memoryOf(context), current));
  }

  /** The answer to a recognised question (everything but starting the activation). */
  private async respond(context: TurnContext, intent: Intent, text: string): Promise<void> {
    switch (intent) {
      case 'greeting':
        return sendWelcome(context, this.deps);
      case 'help':
        return sendHelp(context, this.deps);
      case 'start_activation':
        await context.sendActivity(mainMenu(context, t('bot.welcome.choose')));
        return;
      default: {
        // On Teams, the profile may tell the académie the answer depends on (once per conversation).
        await learnAcademie(context, this.deps);
        const parts = answerFor(context, this.deps, intent, text);
        if (!parts?.replies.length) {
          await context.sendActivity(mainMenu(context, t('bot.notUnderstood')));
          return;
        }
        await this.sendAnswer(context, intent, parts.replies, parts.hints);
      }
    }
  }

  /**
   * Sends an answer, unless it is the very one the teacher just got (its hint aside). A problem asked
   * again means the answer did not help: the next step comes instead (see followUp). Any other question
   * gets its main line again, said as such: never the identical block twice in a row.
   */
  private async sendAnswer(
    context: TurnContext,
    topic: string,
    replies: readonly string[],
    hints: readonly string[] = [],
  ): Promise<void> {
    const memory = memoryOf(context);
    const core = replies.filter((reply) => !hints.includes(reply));
    const digest = digestOf(core);
    if (context.turnState.get(PREVIOUS_ANSWER) === digest && memory.topic === topic) {
      await context.sendActivity(t('bot.progress.sameAgain'));
      if (PROBLEMS.has(topic)) {
        await this.followUp(context, topic);
        return;
      }
      const main = core[0] ?? '';
      await context.sendActivity(main);
      remember(memory, topic, digestOf([t('bot.progress.sameAgain'), main]));
      return;
    }
    for (const reply of replies) await context.sendActivity(reply);
    remember(memory, topic, digest);
  }
}

function remember(memory: ConversationMemory, topic: string, digest: string): void {
  memory.topic = topic;
  memory.lastAnswer = digest;
}

/**
 * What « toujours rien » is about: the confirmation mail when this conversation sent one and the message
 * speaks of receiving (« jai tjs rien recu »), else the topic of the last answer.
 */
function stuckTopic(memory: ConversationMemory, text: string): string | undefined {
  const mail = memory.requested?.length ? 'mail_not_received' : undefined;
  if (mail && /\b(re[cç]u|mail|mails|lien|courriel|message)\b/i.test(text.slice(0, 500))) return mail;
  return memory.topic ?? mail;
}

/** A short digest: enough to tell two answers apart, nothing of their text kept in state. */
function digestOf(replies: readonly string[]): string {
  return createHash('sha256').update(replies.join('\n')).digest('base64url').slice(0, 12);
}

/** « Où en est-on ? », « jen suis ou », « c'est quoi la prochaine étape ? », or the choice of that name. */
function isStatusQuestion(text: string): boolean {
  return intentOfLabel(text, ['ask_now_status']) !== undefined || asksStatus(text);
}
