import { t } from '../../i18n';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordRule } from './password-policy';

/**
 * « il compte moins de 8 caractères, il manque une majuscule et un chiffre »: the same words in the chat
 * and on the password page.
 */
export function describeUnmet(unmet: readonly PasswordRule[]): string {
  const parts: string[] = [];
  if (unmet.includes('minLength')) parts.push(t('bot.password.tooShort', { min: PASSWORD_MIN_LENGTH }));
  if (unmet.includes('maxLength')) parts.push(t('bot.password.tooLong', { max: PASSWORD_MAX_LENGTH }));
  const missing = (['uppercase', 'lowercase', 'digit'] as const)
    .filter((r) => unmet.includes(r))
    .map((r) => t(`bot.password.rule.${r}`));
  if (missing.length > 0) parts.push(t('bot.password.missing', { items: joinFr(missing) }));
  return parts.join(t('bot.password.comma'));
}

function joinFr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(t('bot.password.comma'))}${t('bot.password.and')}${items.at(-1)}`;
}
