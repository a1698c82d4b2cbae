import { t } from '../../i18n';
import { type PasswordPolicy, type PasswordRule, requiredCharacters } from './password-policy';

/**
 * « au moins 12 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial (par
 * exemple ! ? # ou @) »: the rules of the election's policy, in the words every surface uses (chat
 * prompt, card, refusals, the rules answer, the password and confirmation pages).
 */
export function describeRules(policy: PasswordPolicy): string {
  const items = requiredCharacters(policy).map((rule) => t(`bot.password.rule.${rule}`));
  if (items.length === 0) return t('bot.password.atLeast', { min: policy.minLength });
  return t('bot.password.atLeastWith', { min: policy.minLength, items: joinFr(items) });
}

/**
 * « il compte moins de 12 caractères, il manque une majuscule et un caractère spécial (…) »: the same
 * words in the chat and on the password page.
 */
export function describeUnmet(unmet: readonly PasswordRule[], policy: PasswordPolicy): string {
  const parts: string[] = [];
  if (unmet.includes('minLength')) parts.push(t('bot.password.tooShort', { min: policy.minLength }));
  if (unmet.includes('maxLength')) parts.push(t('bot.password.tooLong', { max: policy.maxLength }));
  const missing = requiredCharacters(policy)
    .filter((r) => unmet.includes(r))
    .map((r) => t(`bot.password.rule.${r}`));
  if (missing.length > 0) parts.push(t('bot.password.missing', { items: joinFr(missing) }));
  return parts.join(t('bot.password.comma'));
}

function joinFr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(t('bot.password.comma'))}${t('bot.password.and')}${items.at(-1)}`;
}
