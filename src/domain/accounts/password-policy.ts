import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordRule = 'minLength' | 'maxLength' | 'uppercase' | 'lowercase' | 'digit';

const RULE_ORDER: readonly PasswordRule[] = ['minLength', 'maxLength', 'uppercase', 'lowercase', 'digit'];

/** Code points, not UTF-16 units, so that « é » or an emoji counts as one character, as people count. */
function length(password: string): number {
  return [...password.normalize('NFC')].length;
}

/**
 * The voter password policy of the 2014 leaflet (≥ 8 characters, an uppercase letter, a lowercase letter,
 * a digit), plus an upper bound that keeps argon2 work bounded. Each issue message is the rule's code,
 * so that checkPassword reads the rules back from zod instead of restating them.
 */
export const passwordSchema = z
  .string()
  .refine((p) => length(p) >= PASSWORD_MIN_LENGTH, 'minLength')
  .refine((p) => length(p) <= PASSWORD_MAX_LENGTH, 'maxLength')
  .regex(/\p{Lu}/u, 'uppercase')
  .regex(/\p{Ll}/u, 'lowercase')
  .regex(/\p{Nd}/u, 'digit');

function isRule(value: string): value is PasswordRule {
  return (RULE_ORDER as readonly string[]).includes(value);
}

/** Every unmet rule at once, so that the teacher can fix the password in one go. */
export function checkPassword(password: string): { ok: true } | { ok: false; unmet: PasswordRule[] } {
  const result = passwordSchema.safeParse(password);
  if (result.success) return { ok: true };
  const found = new Set(result.error.issues.map((issue) => issue.message).filter(isRule));
  return { ok: false, unmet: RULE_ORDER.filter((rule) => found.has(rule)) };
}
