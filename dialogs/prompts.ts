import {
  type Choice,
  ConfirmPrompt,
  type FoundChoice,
  ListStyle,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidatorContext,
} from 'botbuilder-dialogs';
import { matchesPhrase, normaliseText } from '../src/domain/understanding/normalise';
import { t, tList } from '../src/i18n';
import { rendersSuggestedActions } from './channel';
import { LOCALE } from './ids';
import type { TurnContext } from './types';

/**
 * A French yes/no question. botbuilder's recogniser understands « oui », « non », « 1 », « 2 »; the
 * validator adds what teachers really type (« c'est ça », « pas encore »).
 */
export function yesNoPrompt(id: string): ConfirmPrompt {
  const prompt = new YesNoPrompt(id, yesNoValidator, LOCALE);
  prompt.confirmChoices = [t('bot.choices.yes'), t('bot.choices.no')];
  return prompt;
}

async function yesNoValidator(prompt: PromptValidatorContext<boolean>): Promise<boolean> {
  const answer = yesNoOf(prompt.context.activity.text ?? '');
  // Ours first: botbuilder reads « en fait si » as nothing, and « non, en fait si » as its first « non ».
  if (answer !== undefined) {
    prompt.recognized.value = answer;
    return true;
  }
  return prompt.recognized.succeeded;
}

/** Words around a yes or a no that change nothing: « euh en fait non », « ah si pardon », « finalement oui ». */
const AROUND_YES_NO =
  /^(?:(?:ah|oh|euh|heu|ben|bah|bon|zut|oups|pardon|non|oui|si) )*(?:en fait|finalement|au final|tout compte fait) |^(?:ah|oh|euh|heu|ben|bah|bon|zut|oups|pardon) | (?:pardon|merci|desole|desolee)$/g;

/**
 * A typed yes or no, as teachers write it (« oui », « c'est ça », « pas encore », « en fait si »,
 * « euh finalement non »), or undefined. The last yes or no said counts: « non, en fait si » is a yes.
 */
export function yesNoOf(text: string): boolean | undefined {
  if (text.length > MAX_YES_NO_CHARS) return undefined;
  const words = normaliseText(text)
    .replace(/[,;:!.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const core = words.replace(AROUND_YES_NO, '').replace(AROUND_YES_NO, '').trim();
  if (core === 'si') return true;
  if (matchesPhrase(core, tList('bot.choices.yesSynonyms'))) return true;
  if (matchesPhrase(core, tList('bot.choices.noSynonyms'))) return false;
  return undefined;
}

export function yesNoOptions(text: string): PromptOptions {
  return { prompt: text, retryPrompt: t('bot.choices.retryYesNo', { question: text }) };
}

/**
 * A yes or a no is a few words. Past this, botbuilder's recognisers are not run: its choice recogniser
 * reads numbers with recognizers-text, which is quadratic on a run of spaces (77 ms at 2,000 characters,
 * 306 ms at 4,000). The validator's own linear matching still runs, and the prompt asks again.
 */
export const MAX_YES_NO_CHARS = 100;

/**
 * ConfirmPrompt with the style chosen per channel: suggested actions where they show (explicitly, since
 * botbuilder's automatic style picks a card on Teams), « (1) Oui ou (2) Non » in the text elsewhere.
 * ConfirmPrompt itself ignores a per-call style.
 */
class YesNoPrompt extends ConfirmPrompt {
  protected override async onRecognize(
    context: TurnContext,
    state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<boolean>> {
    if ((context.activity.text?.length ?? 0) > MAX_YES_NO_CHARS) return { succeeded: false };
    return super.onRecognize(context, state, options);
  }

  protected override async onPrompt(
    context: TurnContext,
    _state: object,
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    const channelId = context.activity.channelId;
    const style = rendersSuggestedActions(channelId) ? ListStyle.suggestedAction : ListStyle.inline;
    const text = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    const inline = {
      inlineSeparator: t('bot.choices.inlineSeparator'),
      inlineOr: t('bot.choices.inlineOr'),
      inlineOrMore: t('bot.choices.inlineOrMore'),
      includeNumbers: true,
    };
    await context.sendActivity(
      this.appendChoices(text ?? '', channelId, this.confirmChoices ?? [], style, inline),
    );
  }
}

/**
 * Completes botbuilder's choice recognition with accent- and apostrophe-insensitive matching of the
 * labels and synonyms (« le deuxième » for the synonym « le deuxieme », « c’est fait » typed with ').
 */
export async function choiceValidator(prompt: PromptValidatorContext<FoundChoice>): Promise<boolean> {
  if (prompt.recognized.succeeded) return true;
  const text = prompt.context.activity.text ?? '';
  const choices = (prompt.options.choices ?? []) as Array<string | Choice>;
  const index = choices.findIndex((c) =>
    typeof c === 'string'
      ? matchesPhrase(text, [c])
      : matchesPhrase(text, [c.value, c.action?.title ?? '', ...(c.synonyms ?? [])]),
  );
  const found = choices[index];
  if (found === undefined) return false;
  prompt.recognized.value = { value: typeof found === 'string' ? found : found.value, index, score: 1 };
  return true;
}

/** Choices with the synonyms teachers may type, listed in locales/. */
export function choice(value: string, labelKey: string, synonymsKey: string): Choice {
  const label = t(labelKey);
  return { value, action: { type: 'imBack', title: label, value: label }, synonyms: tList(synonymsKey) };
}
