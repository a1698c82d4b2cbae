import {
  ChoicePrompt,
  ComponentDialog,
  type DialogTurnResult,
  type FoundChoice,
  ListStyle,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { suggestLogin } from '../src/domain/accounts/login-suggestion';
import { t } from '../src/i18n';
import { learnAcademie } from './academie';
import { loginFr, webmailFr } from './answers/academie-fr';
import { rendersSuggestedActions } from './channel';
import { LOCALE, NAME_PROMPT, WEBMAIL_DIALOG, WEBMAIL_NEXT_PROMPT, WEBMAIL_WATERFALL } from './ids';
import { choice, choiceValidator } from './prompts';
import type { DialogDeps } from './types';

interface WebmailOptions {
  /** The explanation was already given: only offer the next choices again. */
  readonly explained?: boolean;
}

/**
 * How to activate the professional webmail (leaflet step 1). Ends when the teacher says it is done;
 * until then the dialog waits, in Redis, so the teacher can come back later to the same point.
 */
export class WebmailDialog extends ComponentDialog {
  constructor(private readonly deps: Pick<DialogDeps, 'webmailUrl' | 'academies'>) {
    super(WEBMAIL_DIALOG);
    const next = new ChoicePrompt(WEBMAIL_NEXT_PROMPT, choiceValidator, LOCALE);
    // botbuilder's French number and ordinal recognisers take seconds on some sentences (« Quand se termine le vote ? »);
    // the choices list their numbers and ordinals as synonyms instead.
    next.recognizerOptions = { recognizeNumbers: false, recognizeOrdinals: false };
    this.addDialog(next);
    this.addDialog(new TextPrompt(NAME_PROMPT));
    this.addDialog(
      new WaterfallDialog(WEBMAIL_WATERFALL, [
        this.explainStep.bind(this),
        this.nextStep.bind(this),
        this.loginStep.bind(this),
      ]),
    );
    this.initialDialogId = WEBMAIL_WATERFALL;
  }

  private async explainStep(step: WaterfallStepContext<WebmailOptions>): Promise<DialogTurnResult> {
    if (!step.options?.explained) {
      // The académie's webmail and login rule when the conversation knows it (or the Teams profile tells).
      const academie = await learnAcademie(step.context, this.deps);
      await step.context.sendActivity(
        t('bot.webmail.explain', { url: webmailFr(this.deps, academie), login: loginFr(academie) }),
      );
    }
    const buttons = rendersSuggestedActions(step.context.activity.channelId);
    return step.prompt(WEBMAIL_NEXT_PROMPT, {
      prompt: t('bot.webmail.next'),
      // Numbers only where the choices are shown numbered (the list of text-only channels).
      retryPrompt: t(buttons ? 'bot.webmail.retryButtons' : 'bot.webmail.retry'),
      // botbuilder's automatic style falls back to text when a label exceeds 20 characters.
      style: buttons ? ListStyle.suggestedAction : ListStyle.list,
      choices: [
        choice('done', 'bot.webmail.done', 'bot.webmail.doneSynonyms'),
        choice('findLogin', 'bot.webmail.findLogin', 'bot.webmail.findLoginSynonyms'),
        choice('later', 'bot.webmail.later', 'bot.webmail.laterSynonyms'),
      ],
    });
  }

  private async nextStep(step: WaterfallStepContext<WebmailOptions>): Promise<DialogTurnResult> {
    switch ((step.result as FoundChoice).value) {
      case 'done':
        return step.endDialog();
      case 'findLogin':
        return step.prompt(NAME_PROMPT, { prompt: t('bot.webmail.askName') });
      default:
        await step.context.sendActivity(t('bot.webmail.laterAck'));
        return step.replaceDialog(WEBMAIL_WATERFALL, { explained: true } satisfies WebmailOptions);
    }
  }

  private async loginStep(step: WaterfallStepContext<WebmailOptions>): Promise<DialogTurnResult> {
    // The name is used for this one answer and not kept: the prompt result is not persisted.
    const login = suggestLogin(String(step.result ?? ''));
    await step.context.sendActivity(
      login ? t('bot.webmail.loginSuggestion', { login }) : t('bot.webmail.loginUnknown'),
    );
    return step.replaceDialog(WEBMAIL_WATERFALL, { explained: true } satisfies WebmailOptions);
  }
}
