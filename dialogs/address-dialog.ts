import {
  ComponentDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { type AddressCheck, addressIn, checkAddress } from '../src/domain/accounts/address';
import { t } from '../src/i18n';
import { addressGiven, rememberAcademie, teacherAcademie } from './academie';
import { addressDomain } from './answers/academie-fr';
import { ADDRESS_DIALOG, ADDRESS_PROMPT, ADDRESS_WATERFALL, YES_NO_PROMPT } from './ids';
import { memoryOf } from './memory';
import { yesNoOf, yesNoOptions, yesNoPrompt } from './prompts';
import { withOptions } from './replies';
import { type DialogDeps, PROFILE_ADDRESS, type ProfileAddressLookup, type TurnContext } from './types';

/** Words that may surround an address typed at the prompt: letters, spaces, apostrophes, light punctuation. */
const PLAIN_WORDS = /^[\p{L} '’,.!-]*$/u;

/** Set on the turn when « en fait si » took back the address refused just before. */
const TAKEN_BACK = Symbol('addressTakenBack');

/** See ActivationOptions: an address given earlier, and whether the teacher already confirmed it. */
interface AddressOptions {
  readonly reask?: boolean;
  /** The address the teacher just said « non » to: « en fait si » takes it after all. */
  readonly previous?: string;
  readonly email?: string;
  readonly confirmed?: boolean;
}

interface AddressPromptState {
  /** The correction offered after a near miss, accepted by a plain « oui ». */
  suggestion?: string;
  /** The address refused at the confirmation question, taken back by « en fait si ». */
  previous?: string;
}

/** Collects the professional address, explains every refusal, and has the teacher confirm it. */
export class AddressDialog extends ComponentDialog {
  constructor(private readonly deps: Pick<DialogDeps, 'domains' | 'academies'>) {
    super(ADDRESS_DIALOG);
    this.addDialog(new TextPrompt(ADDRESS_PROMPT, this.validate.bind(this)));
    this.addDialog(yesNoPrompt(YES_NO_PROMPT));
    this.addDialog(
      new WaterfallDialog(ADDRESS_WATERFALL, [
        this.askStep.bind(this),
        this.confirmStep.bind(this),
        this.endStep.bind(this),
      ]),
    );
    this.initialDialogId = ADDRESS_WATERFALL;
  }

  private async askStep(step: WaterfallStepContext<AddressOptions>): Promise<DialogTurnResult> {
    const validations: AddressPromptState = step.options?.previous ? { previous: step.options.previous } : {};
    const given = step.options?.email;
    if (given) {
      const result = checkAddress(given, this.deps.domains);
      if (result.ok && step.options?.confirmed) {
        await step.context.sendActivity(t('bot.progress.addressTaken', { email: result.email }));
        addressGiven(step.context, this.deps, result.email);
        return step.endDialog(result.email);
      }
      if (result.ok) return step.next(result.email);
      await step.context.sendActivity(this.problemOf(result, validations));
      return step.prompt(ADDRESS_PROMPT, { prompt: t('bot.address.reask'), validations });
    }
    if (step.options?.reask)
      return step.prompt(ADDRESS_PROMPT, { prompt: t('bot.address.reask'), validations });
    const fromProfile = await this.profileAddress(step.context);
    // Offered, never assumed: the teacher clicks it or types it, and confirms it at the next step.
    const prompt = fromProfile
      ? withOptions(step.context, t('bot.address.fromProfile', { email: fromProfile }), [
          { label: fromProfile },
        ])
      : t('bot.address.ask', { domain: addressDomain(teacherAcademie(step.context, this.deps)) });
    return step.prompt(ADDRESS_PROMPT, { prompt, validations });
  }

  /** The Teams profile's e-mail when it is on an académie domain; nothing when unknown or unreachable. */
  private async profileAddress(context: TurnContext): Promise<string | undefined> {
    const lookup = context.turnState.get(PROFILE_ADDRESS) as ProfileAddressLookup | undefined;
    if (!lookup) return undefined;
    const email = await lookup().catch(() => undefined);
    if (!email) return undefined;
    const result = checkAddress(email, this.deps.domains);
    if (!result.ok) return undefined;
    // The profile's académie drives the answers until the teacher confirms an address of their own.
    const academie = this.deps.academies.ofAddress(result.email);
    if (academie) rememberAcademie(memoryOf(context), academie, 'teams');
    return result.email;
  }

  private async validate(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const state = prompt.options.validations as AddressPromptState;
    const text = prompt.recognized.value ?? '';
    const yes = yesNoOf(text) === true;
    if (state.suggestion && yes) {
      prompt.recognized.value = state.suggestion;
      return true;
    }
    if (state.previous && yes) {
      prompt.recognized.value = state.previous;
      prompt.context.turnState.set(TAKEN_BACK, true);
      return true;
    }
    const result = checkAddress(text, this.deps.domains);
    if (result.ok) {
      prompt.recognized.value = result.email;
      return true;
    }
    // « ah oui pardon jean.dupont@ac-paris.fr »: words around a good address, not an address with spaces.
    // Only plain words: a second address, a header or a control character makes the whole line refused.
    const embedded = addressIn(text);
    const around = embedded ? text.replace(embedded, ' ') : '';
    const plain = embedded !== undefined && embedded !== text.trim() && PLAIN_WORDS.test(around);
    const inside = plain ? checkAddress(embedded, this.deps.domains) : undefined;
    if (inside?.ok) {
      prompt.recognized.value = inside.email;
      return true;
    }
    await prompt.context.sendActivity(this.problemOf(result, state));
    return false;
  }

  /** Why the address is refused, remembering the correction offered so that « oui » accepts it. */
  private problemOf(result: Extract<AddressCheck, { ok: false }>, state: AddressPromptState): string {
    const key = result.reason === 'spaces' && result.suggestion ? 'spacesSuggestion' : result.reason;
    const message = t(`bot.address.problems.${key}`, { suggestion: result.suggestion ?? '' });
    // « oui » may only accept a correction the teacher was actually shown.
    state.suggestion =
      result.suggestion && message.includes(result.suggestion) ? result.suggestion : undefined;
    return message;
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = step.result as string;
    // « en fait si » to the question just asked: the answer is given, not asked for again.
    if (step.context.turnState.get(TAKEN_BACK)) {
      await step.context.sendActivity(t('bot.progress.addressTaken', { email }));
      addressGiven(step.context, this.deps, email);
      return step.endDialog(email);
    }
    (step.values as { email?: string }).email = email;
    return step.prompt(YES_NO_PROMPT, yesNoOptions(t('bot.address.confirm', { email })));
  }

  private async endStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === true) {
      const email = (step.values as { email: string }).email;
      addressGiven(step.context, this.deps, email);
      return step.endDialog(email);
    }
    const previous = (step.values as { email?: string }).email;
    return step.replaceDialog(ADDRESS_WATERFALL, {
      reask: true,
      ...(previous ? { previous } : {}),
    } satisfies AddressOptions);
  }
}
