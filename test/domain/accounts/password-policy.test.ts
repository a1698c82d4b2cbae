import assert from 'node:assert/strict';
import {
  checkPassword,
  LEAFLET_2014_POLICY,
  PASSWORD_LENGTH_CAP,
  type PasswordPolicy,
  passwordPolicySchema,
  passwordSchema,
  requiredCharacters,
  SPECIAL_CHARACTER,
} from '../../../src/domain/accounts/password-policy';
import { describeRules, describeUnmet } from '../../../src/domain/accounts/password-rules-fr';

/** The 2022 policy (domain.md §1.2), as calendars/elections-2022-example.json states it. */
const POLICY_2022: PasswordPolicy = passwordPolicySchema.parse({
  minLength: 12,
  maxLength: 128,
  lowercase: true,
  uppercase: true,
  digit: true,
  special: true,
});

const check2014 = (password: string) => checkPassword(password, LEAFLET_2014_POLICY);
const check2022 = (password: string) => checkPassword(password, POLICY_2022);

describe('password policy', () => {
  describe('the 2014 leaflet (an election file without passwordPolicy)', () => {
    it('at least 8 characters, at most 128, an uppercase, a lowercase letter and a digit, no special one', () => {
      assert.deepEqual(LEAFLET_2014_POLICY, {
        minLength: 8,
        maxLength: 128,
        lowercase: true,
        uppercase: true,
        digit: true,
        special: false,
      });
      assert.ok(Object.isFrozen(LEAFLET_2014_POLICY));
    });

    it('accepts 8 characters with an uppercase letter, a lowercase letter and a digit', () => {
      assert.deepEqual(check2014('Abcdefg1'), { ok: true });
      assert.equal(passwordSchema(LEAFLET_2014_POLICY).safeParse('Abcdefg1').success, true);
    });

    it('lists every unmet rule at once', () => {
      assert.deepEqual(check2014(''), {
        ok: false,
        unmet: ['minLength', 'uppercase', 'lowercase', 'digit'],
      });
      assert.deepEqual(check2014('abc'), { ok: false, unmet: ['minLength', 'uppercase', 'digit'] });
    });

    it('requires each rule on its own', () => {
      assert.deepEqual(check2014('Abcdef1'), { ok: false, unmet: ['minLength'] });
      assert.deepEqual(check2014('abcdefg1'), { ok: false, unmet: ['uppercase'] });
      assert.deepEqual(check2014('ABCDEFG1'), { ok: false, unmet: ['lowercase'] });
      assert.deepEqual(check2014('Abcdefgh'), { ok: false, unmet: ['digit'] });
    });

    it('bounds the length at 128 characters', () => {
      const max = `Ab1${'x'.repeat(128 - 3)}`;
      assert.deepEqual(check2014(max), { ok: true });
      assert.deepEqual(check2014(`${max}x`), { ok: false, unmet: ['maxLength'] });
      assert.deepEqual(check2014('x'.repeat(200)), {
        ok: false,
        unmet: ['maxLength', 'uppercase', 'digit'],
      });
    });

    it('counts accented capitals and small letters as letters of their case', () => {
      assert.deepEqual(check2014('Élodie2014'), { ok: true });
      assert.deepEqual(check2014('ÉLODIE2014'), { ok: false, unmet: ['lowercase'] });
      assert.deepEqual(check2014('élodie2014'), { ok: false, unmet: ['uppercase'] });
      assert.deepEqual(check2014('ÉCOLEé12'), { ok: true });
    });

    it('counts characters, not UTF-16 units nor combining marks', () => {
      // Seven characters, eight UTF-16 units: « é » decomposed (e + U+0301).
      assert.deepEqual(check2014('Abcde\u0301f1'), { ok: false, unmet: ['minLength'] });
      // Seven characters with an emoji (two UTF-16 units).
      assert.deepEqual(check2014('Abcd1\u{1F600}x'), { ok: false, unmet: ['minLength'] });
    });

    it('does not count spaces or symbols as letters or digits', () => {
      assert.deepEqual(check2014('        '), { ok: false, unmet: ['uppercase', 'lowercase', 'digit'] });
      assert.deepEqual(check2014('!!!!!!!!'), { ok: false, unmet: ['uppercase', 'lowercase', 'digit'] });
    });

    it('states its rules as the leaflet does', () => {
      assert.equal(
        describeRules(LEAFLET_2014_POLICY),
        'au moins 8 caractères, dont une majuscule, une minuscule et un chiffre',
      );
      assert.equal(
        describeUnmet(['minLength', 'uppercase', 'digit'], LEAFLET_2014_POLICY),
        'il compte moins de 8 caractères, il manque une majuscule et un chiffre',
      );
    });
  });

  describe('the 2022 policy: 12 characters and a special one', () => {
    it('accepts 12 characters with each kind', () => {
      assert.deepEqual(check2022('Electeur-2022'), { ok: true });
      assert.deepEqual(check2022('Électeur2022!'), { ok: true });
    });

    it('refuses what 2014 accepted, naming what is missing', () => {
      assert.deepEqual(check2014('Electeur22'), { ok: true });
      assert.deepEqual(check2022('Electeur22'), { ok: false, unmet: ['minLength', 'special'] });
      assert.deepEqual(check2022('Electeur2022x'), { ok: false, unmet: ['special'] });
      assert.deepEqual(check2022(''), {
        ok: false,
        unmet: ['minLength', 'uppercase', 'lowercase', 'digit', 'special'],
      });
    });

    it('says the rules and the refusals in French, the special character with examples', () => {
      assert.equal(
        describeRules(POLICY_2022),
        'au moins 12 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial (par exemple\u00a0!\u00a0? # ou @)',
      );
      assert.equal(
        describeUnmet(['minLength', 'special'], POLICY_2022),
        'il compte moins de 12 caractères, il manque un caractère spécial (par exemple\u00a0!\u00a0? # ou @)',
      );
    });

    it('names only the rules a policy has', () => {
      const lengthOnly = passwordPolicySchema.parse({
        minLength: 15,
        maxLength: 64,
        lowercase: false,
        uppercase: false,
        digit: false,
        special: false,
      });
      assert.deepEqual(requiredCharacters(lengthOnly), []);
      assert.equal(describeRules(lengthOnly), 'au moins 15 caractères');
      assert.deepEqual(checkPassword('tout en minuscules', lengthOnly), { ok: true });
      assert.deepEqual(checkPassword('x'.repeat(65), lengthOnly), { ok: false, unmet: ['maxLength'] });
      // A rule the policy does not have is never reported, even when the password lacks it.
      assert.deepEqual(checkPassword('court', lengthOnly), { ok: false, unmet: ['minLength'] });
    });
  });

  describe('special character: neither a letter, nor a digit, nor a space', () => {
    const special = (c: string) => SPECIAL_CHARACTER.test(c);
    it('punctuation and symbols of any kind', () => {
      for (const c of ['!', '?', '#', '@', '-', '_', '.', '*', '€', '§', '«', '+', '=', '~', '\u{1F600}'])
        assert.ok(special(c), JSON.stringify(c));
    });

    it('never a letter of any script, an accent, a digit, a space or an invisible character', () => {
      for (const c of [
        'a',
        'Z',
        'é',
        'ß',
        'Ω',
        'ж',
        '中',
        '\u0301',
        '7',
        '٣',
        '²',
        ' ',
        '\u00a0',
        '\t',
        '\u200b',
        '\u0000',
      ])
        assert.ok(!special(c), JSON.stringify(c));
    });

    it('a password with only a space or an accent apart is still missing one', () => {
      assert.deepEqual(check2022('Electeur 2022'), { ok: false, unmet: ['special'] });
      assert.deepEqual(check2022('Électeurs2022'), { ok: false, unmet: ['special'] });
    });
  });

  describe('the passwordPolicy of an election file', () => {
    const valid = {
      minLength: 12,
      maxLength: 128,
      lowercase: true,
      uppercase: true,
      digit: true,
      special: true,
    };
    const issues = (value: unknown) => {
      const result = passwordPolicySchema.safeParse(value);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')} : ${i.message}`);
    };

    it('is read as given, and frozen', () => {
      const policy = passwordPolicySchema.parse(valid);
      assert.deepEqual(policy, valid);
      assert.ok(Object.isFrozen(policy));
    });

    it('refuses, naming the field: a missing or unknown rule, a length beyond the cap, min over max', () => {
      const { special: _, ...withoutSpecial } = valid;
      assert.match(issues(withoutSpecial).join('\n'), /^special : /m);
      assert.match(issues({ ...valid, symbols: true }).join('\n'), /symbols/);
      assert.match(
        issues({ ...valid, maxLength: PASSWORD_LENGTH_CAP + 1 }).join('\n'),
        /^maxLength : au plus 128/m,
      );
      assert.match(issues({ ...valid, minLength: 1 }).join('\n'), /^minLength : au moins 2/m);
      assert.match(issues({ ...valid, minLength: 8.5 }).join('\n'), /^minLength : nombre entier/m);
      assert.match(
        issues({ ...valid, minLength: 20, maxLength: 16 }).join('\n'),
        /^maxLength : ne peut pas être inférieur/m,
      );
      assert.match(issues({ ...valid, digit: 'oui' }).join('\n'), /^digit : /m);
    });
  });
});
