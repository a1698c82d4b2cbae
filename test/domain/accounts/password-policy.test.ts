import assert from 'node:assert/strict';
import {
  checkPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordSchema,
} from '../../../src/domain/accounts/password-policy';

describe('password policy', () => {
  it('follows the leaflet: at least 8 characters, at most 128', () => {
    assert.equal(PASSWORD_MIN_LENGTH, 8);
    assert.equal(PASSWORD_MAX_LENGTH, 128);
  });

  it('accepts 8 characters with an uppercase letter, a lowercase letter and a digit', () => {
    assert.deepEqual(checkPassword('Abcdefg1'), { ok: true });
    assert.equal(passwordSchema.safeParse('Abcdefg1').success, true);
  });

  it('lists every unmet rule at once', () => {
    assert.deepEqual(checkPassword(''), {
      ok: false,
      unmet: ['minLength', 'uppercase', 'lowercase', 'digit'],
    });
    assert.deepEqual(checkPassword('abc'), { ok: false, unmet: ['minLength', 'uppercase', 'digit'] });
  });

  it('requires each rule on its own', () => {
    assert.deepEqual(checkPassword('Abcdef1'), { ok: false, unmet: ['minLength'] });
    assert.deepEqual(checkPassword('abcdefg1'), { ok: false, unmet: ['uppercase'] });
    assert.deepEqual(checkPassword('ABCDEFG1'), { ok: false, unmet: ['lowercase'] });
    assert.deepEqual(checkPassword('Abcdefgh'), { ok: false, unmet: ['digit'] });
  });

  it('bounds the length at 128 characters', () => {
    const max = `Ab1${'x'.repeat(PASSWORD_MAX_LENGTH - 3)}`;
    assert.deepEqual(checkPassword(max), { ok: true });
    assert.deepEqual(checkPassword(`${max}x`), { ok: false, unmet: ['maxLength'] });
    assert.deepEqual(checkPassword('x'.repeat(200)), {
      ok: false,
      unmet: ['maxLength', 'uppercase', 'digit'],
    });
  });

  it('counts accented capitals and small letters as letters of their case', () => {
    assert.deepEqual(checkPassword('Élodie2014'), { ok: true });
    assert.deepEqual(checkPassword('ÉLODIE2014'), { ok: false, unmet: ['lowercase'] });
    assert.deepEqual(checkPassword('élodie2014'), { ok: false, unmet: ['uppercase'] });
    assert.deepEqual(checkPassword('ÉCOLEé12'), { ok: true });
  });

  it('counts characters, not UTF-16 units nor combining marks', () => {
    // Seven characters, eight UTF-16 units: « é » decomposed (e + U+0301).
    assert.deepEqual(checkPassword('Abcde\u0301f1'), { ok: false, unmet: ['minLength'] });
    // Seven characters with an emoji (two UTF-16 units).
    assert.deepEqual(checkPassword('Abcd1\u{1F600}x'), { ok: false, unmet: ['minLength'] });
  });

  it('does not count spaces or symbols as letters or digits', () => {
    assert.deepEqual(checkPassword('        '), { ok: false, unmet: ['uppercase', 'lowercase', 'digit'] });
    assert.deepEqual(checkPassword('!!!!!!!!'), { ok: false, unmet: ['uppercase', 'lowercase', 'digit'] });
  });
});
