import { matchesPhrase, normaliseText } from '../src/domain/understanding/normalise';
import { tList } from '../src/i18n';

export type Command = 'help' | 'cancel' | 'restart' | 'greeting';

/** The words a teacher can type at any moment (« aide », « annuler », « recommencer », a greeting). */
export function commandOf(text: string | undefined): Command | undefined {
  if (!text) return undefined;
  if (matchesPhrase(text, tList('bot.commands.help'))) return 'help';
  if (matchesPhrase(text, tList('bot.commands.cancel'))) return 'cancel';
  if (matchesPhrase(text, tList('bot.commands.restart'))) return 'restart';
  if (matchesPhrase(text, tList('bot.menu.keywords.greeting'))) return 'greeting';
  return undefined;
}

export type MenuChoice = 'create' | 'dates' | 'mailNotReceived' | 'help' | 'greeting';

const MENU: readonly MenuChoice[] = ['create', 'dates', 'mailNotReceived', 'help', 'greeting'];

/**
 * Menu routing until the recogniser arrives: the button label, its number, or a known phrase. A phrase
 * inside a longer sentence also counts for the longer keywords (« je voudrais créer mon compte »).
 */
export function menuChoiceOf(
  text: string | undefined,
  options: { exact?: boolean } = {},
): MenuChoice | undefined {
  if (!text) return undefined;
  const normalised = normaliseText(text);
  for (const choice of MENU) {
    const phrases = [
      tList(`bot.menu.${choice === 'greeting' ? 'keywords.greeting' : choice}`),
      tList(`bot.menu.keywords.${choice}`),
    ].flat();
    if (matchesPhrase(normalised, phrases)) return choice;
  }
  // A question that mentions a keyword asks about it (« Jusqu’à quand puis-je créer mon compte ? » wants the
  // deadline, not the activation): the recogniser decides.
  if (text.includes('?') || options.exact) return undefined;
  for (const choice of MENU) {
    const phrases = tList(`bot.menu.keywords.${choice}`).map(normaliseText);
    if (phrases.some((p) => p.length >= 8 && normalised.includes(p))) return choice;
  }
  return undefined;
}
