import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { containsNumen, maskNumen } from '../../../src/domain/understanding/numen';

describe('NUMEN detection', () => {
  const NUMENS = [
    '01E9501234ABC',
    '17EA950123ABC',
    '01 E 95 01234 ABC',
    '12 AB 123 456 XYZ',
    '12 A 1234 567 XYZ',
    '12 AB 12 34 56 XYZ',
    '12-AB-123456-XYZ',
    '12.AB.123456.XYZ',
    '12  AB  123456  XYZ',
    '01e9501234abc',
  ];
  for (const numen of NUMENS) {
    it(`finds and masks « ${numen} » inside a sentence`, () => {
      const text = `mon numen est ${numen}, merci`;
      assert.equal(containsNumen(text), true);
      assert.equal(maskNumen(text, '[masqué]'), 'mon numen est [masqué], merci');
    });
  }

  for (const text of [
    'Electeur2014',
    'Motdepasse12',
    'le 4 décembre 2014 à 17 h 30',
    'tel 01 23 45 67 89',
    '01E95012345ABCD',
    'jean.dupont2@ac-paris.fr',
  ]) {
    it(`leaves « ${text} » alone`, () => {
      assert.equal(containsNumen(text), false);
      assert.equal(maskNumen(text, '[masqué]'), text);
    });
  }

  it('masks a NUMEN glued to the words around it, and only the NUMEN', () => {
    assert.equal(maskNumen('x01E9501234ABCx', '[masqué]'), 'x[masqué]x');
    assert.equal(maskNumen('numen:34/CD/567890/QRSmerci', '[masqué]'), 'numen:[masqué]merci');
  });
});
