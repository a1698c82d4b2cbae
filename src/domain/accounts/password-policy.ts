import { z } from 'zod';

/**
 * The most characters any policy may allow: it keeps the argon2 work of one password bounded, and the
 * forms sized for it (MAX_FORM_BYTES). A link's password longer than this cannot be one we hashed.
 */
export const PASSWORD_LENGTH_CAP = 128;

/**
 * The voter password policy of an election, as its file states it (`passwordPolicy`). A value built at
 * start-up from the election file and handed down from the composition root: every check and every text
 * that states the rules reads the same one.
 */
export interface PasswordPolicy {
  /** In characters (code points after NFC), as people count. */
  readonly minLength: number;
  readonly maxLength: number;
  /** At least one lowercase letter (Unicode \p{Ll}: « é » counts). */
  readonly lowercase: boolean;
  /** At least one uppercase letter (\p{Lu}: « É » counts). */
  readonly uppercase: boolean;
  /** At least one decimal digit (\p{Nd}). */
  readonly digit: boolean;
  /** At least one special character: see SPECIAL_CHARACTER. */
  readonly special: boolean;
}

/**
 * The policy of the 2014 Paris leaflet (domain.md §1.2: at least 8 characters with an uppercase letter, a
 * lowercase letter and a digit), plus the upper bound: what an election file without `passwordPolicy` gets.
 */
export const LEAFLET_2014_POLICY: PasswordPolicy = Object.freeze({
  minLength: 8,
  maxLength: PASSWORD_LENGTH_CAP,
  lowercase: true,
  uppercase: true,
  digit: true,
  special: false,
});

/** The rules about which characters a password holds, in the order they are named. */
export const CHARACTER_RULES = ['uppercase', 'lowercase', 'digit', 'special'] as const;
export type CharacterRule = (typeof CHARACTER_RULES)[number];
export type PasswordRule = 'minLength' | 'maxLength' | CharacterRule;

const RULE_ORDER: readonly PasswordRule[] = ['minLength', 'maxLength', ...CHARACTER_RULES];

/**
 * A special character is one that is neither a letter, nor a digit, nor a space: a punctuation mark or a
 * symbol in Unicode's general categories (\p{P}, \p{S}): « ! ? # @ - _ . € + » and emoji count; letters of
 * any script (\p{L}) and their accents (\p{M}), digits and other numbers (\p{N}), spaces (\p{Z}) and
 * invisible control or format characters (\p{C}) do not. Those seven categories are all of Unicode, so
 * this is exactly « not a letter, a digit, a space or an invisible character ».
 */
export const SPECIAL_CHARACTER = /[\p{P}\p{S}]/u;

const CHARACTER_PATTERNS: Record<CharacterRule, RegExp> = {
  uppercase: /\p{Lu}/u,
  lowercase: /\p{Ll}/u,
  digit: /\p{Nd}/u,
  special: SPECIAL_CHARACTER,
};

/** The `passwordPolicy` object of an election file; every field is required, so nothing is implied. */
export const passwordPolicySchema = z
  .strictObject({
    // « au moins 1 caractères » would be wrong French, and a one-character password is none.
    minLength: z
      .int('nombre entier attendu')
      .min(2, 'au moins 2')
      .max(PASSWORD_LENGTH_CAP, `au plus ${PASSWORD_LENGTH_CAP}`),
    maxLength: z
      .int('nombre entier attendu')
      .min(1, 'au moins 1')
      .max(PASSWORD_LENGTH_CAP, `au plus ${PASSWORD_LENGTH_CAP} (borne le travail d’argon2)`),
    lowercase: z.boolean(),
    uppercase: z.boolean(),
    digit: z.boolean(),
    special: z.boolean(),
  })
  .refine((p) => p.minLength <= p.maxLength, {
    path: ['maxLength'],
    message: 'ne peut pas être inférieur à minLength',
  })
  .transform((p): PasswordPolicy => Object.freeze({ ...p }));

/** The character rules a policy requires, in their naming order. */
export function requiredCharacters(policy: PasswordPolicy): CharacterRule[] {
  return CHARACTER_RULES.filter((rule) => policy[rule]);
}

/** Code points, not UTF-16 units, so that « é » or an emoji counts as one character, as people count. */
function length(password: string): number {
  return [...password.normalize('NFC')].length;
}

const schemas = new WeakMap<PasswordPolicy, z.ZodType<string>>();

/**
 * The policy as one zod schema (built once per policy). Each issue message is the rule's code, so that
 * checkPassword reads the rules back from zod instead of restating them.
 */
export function passwordSchema(policy: PasswordPolicy): z.ZodType<string> {
  let schema = schemas.get(policy);
  if (!schema) {
    let built = z
      .string()
      .refine((p) => length(p) >= policy.minLength, 'minLength')
      .refine((p) => length(p) <= policy.maxLength, 'maxLength');
    for (const rule of requiredCharacters(policy)) built = built.regex(CHARACTER_PATTERNS[rule], rule);
    schema = built;
    schemas.set(policy, schema);
  }
  return schema;
}

function isRule(value: string): value is PasswordRule {
  return (RULE_ORDER as readonly string[]).includes(value);
}

/** Every unmet rule at once, so that the teacher can fix the password in one go. */
export function checkPassword(
  password: string,
  policy: PasswordPolicy,
): { ok: true } | { ok: false; unmet: PasswordRule[] } {
  const result = passwordSchema(policy).safeParse(password);
  if (result.success) return { ok: true };
  const found = new Set(result.error.issues.map((issue) => issue.message).filter(isRule));
  return { ok: false, unmet: RULE_ORDER.filter((rule) => found.has(rule)) };
}
