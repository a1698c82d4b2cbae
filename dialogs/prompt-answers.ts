import { matchesPhrase } from '../src/domain/understanding/normalise';
import { tList } from '../src/i18n';
import {
  ADDRESS_PROMPT,
  NAME_PROMPT,
  PASSWORD_CONFIRM_PROMPT,
  PASSWORD_PROMPT,
  WEBMAIL_NEXT_PROMPT,
  YES_NO_PROMPT,
} from './ids';
import { isResend, PASSWORD_LINK_PROMPT } from './password-link-dialog';
import { yesNoOf } from './prompts';

/**
 * Whether a message has the shape of an answer to the prompt that waits, so that it goes to the prompt
 * rather than to the question recogniser. When in doubt, the prompt wins: a wrong answer gets the prompt's
 * own explanation, a question taken for an answer would not.
 */
export function expectsThisAnswer(promptId: string | undefined, text: string): boolean {
  const words = text.trim().split(/\s+/).length;
  switch (promptId) {
    case ADDRESS_PROMPT:
      // « oui » to a suggested correction, or an address (even a wrong one: the prompt explains).
      return text.includes('@') || (words <= 2 && !text.includes('?'));
    case YES_NO_PROMPT:
      return /^\s*[12]\s*$/.test(text) || yesNoOf(text) !== undefined;
    case WEBMAIL_NEXT_PROMPT:
      return (
        /^\s*[123]\s*$/.test(text) ||
        matchesPhrase(text, [
          ...tList('bot.webmail.done'),
          ...tList('bot.webmail.findLogin'),
          ...tList('bot.webmail.later'),
          ...tList('bot.webmail.doneSynonyms'),
          ...tList('bot.webmail.findLoginSynonyms'),
          ...tList('bot.webmail.laterSynonyms'),
        ])
      );
    case NAME_PROMPT:
      return words <= 4 && !text.includes('?');
    case PASSWORD_PROMPT:
    case PASSWORD_CONFIRM_PROMPT:
      // A password is one word; a question has spaces.
      return words === 1;
    case PASSWORD_LINK_PROMPT:
      // « Renvoyer le lien » has spaces but is this step's own command, never a question or a password.
      return words === 1 || isResend(text);
    default:
      return false;
  }
}

/** Prompts whose answer is a secret: their text must not reach a trace even when it is a question. */
export function isSecretPrompt(promptId: string | undefined): boolean {
  return (
    promptId === PASSWORD_PROMPT || promptId === PASSWORD_CONFIRM_PROMPT || promptId === PASSWORD_LINK_PROMPT
  );
}
