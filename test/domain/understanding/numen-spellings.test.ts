import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MASK } from '../../../src/domain/mask';
import { redactText } from '../../../src/domain/transcripts/redaction';
import { containsNumen, maskNumen, maskNumenInHtml } from '../../../src/domain/understanding/numen';
import { maskLogText } from '../../../src/log';

/**
 * NUMENs spelled every way a teacher may type or paste them, built combinatorially: separators (between
 * the four parts, between every character, none) × case × character widths × words glued before and
 * after. Each spelling must be found and masked from its first digit to its last letter, leaving the
 * words around it as typed — by the detector, the transcript redaction and the log masking alike.
 */

/** The parts: 2 digits, 1–2 letters, 6–7 digits, 3 letters (domain brief §3). */
const NUMENS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['34', 'CD', '567890', 'QRS'],
  ['01', 'E', '9501234', 'ABC'],
  ['17', 'EA', '950123', 'XYZ'],
];

const SEPARATORS = [
  ' ',
  '  ',
  '.',
  '-',
  '/',
  ' / ',
  '_',
  '\u2013', // –
  '\u2014', // —
  ' \u2014 ',
  '\u00a0',
  '\u202f',
  '\t',
  ',',
  ':',
  '\u2011', // non-breaking hyphen
  '\uff0d', // full-width hyphen
  '\uff0f', // full-width slash
  '\u3000', // ideographic space
];

type Placement = 'none' | 'parts' | 'every';
const PLACEMENTS: readonly Placement[] = ['none', 'parts', 'every'];

const CASES: Record<string, (s: string) => string> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  mixed: (s) => [...s].map((c, i) => (i % 2 ? c.toLowerCase() : c.toUpperCase())).join(''),
};

const fullWidth = (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0);
const WIDTHS: Record<string, (s: string) => string> = {
  ascii: (s) => s,
  fullWidthDigits: (s) => s.replace(/[0-9]/g, fullWidth),
  fullWidthAll: (s) => s.replace(/[0-9A-Za-z]/g, fullWidth),
};

/** Words before and after; a prefix never ends with a digit (« 2014 17E… » is not a NUMEN's start). */
const PREFIXES = ['', 'numen', 'NUMEN:', 'mon numen est ', 'n°', '« ', 'voici\n'];
const SUFFIXES = ['', 'merci', ', merci', '.', ' ?', ' »', 'ABC'];

function spell(parts: readonly string[], separator: string, placement: Placement): string {
  if (placement === 'none') return parts.join('');
  if (placement === 'parts') return parts.join(separator);
  return [...parts.join('')].join(separator);
}

/** Letters and digits only, in ASCII upper case: how a NUMEN would be recognised in whatever was kept. */
function core(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase();
}

describe('NUMEN spellings (generated)', () => {
  let total = 0;
  for (const separator of SEPARATORS) {
    for (const placement of PLACEMENTS) {
      if (placement === 'none' && separator !== SEPARATORS[0]) continue;
      const label =
        placement === 'none' ? 'no separator' : `${JSON.stringify(separator)} between ${placement}`;
      it(`finds and masks every case, width and glued word with ${label}`, () => {
        const failures: string[] = [];
        let checked = 0;
        for (const parts of NUMENS) {
          const clear = parts.join('');
          for (const cased of Object.values(CASES)) {
            for (const widened of Object.values(WIDTHS)) {
              const numen = widened(cased(spell(parts, separator, placement)));
              for (const prefix of PREFIXES) {
                for (const suffix of SUFFIXES) {
                  const text = `${prefix}${numen}${suffix}`;
                  const expected = `${prefix}${MASK}${suffix}`;
                  checked += 1;
                  if (!containsNumen(text)) failures.push(`not found: ${JSON.stringify(text)}`);
                  const masked = maskNumen(text, MASK);
                  if (masked !== expected)
                    failures.push(`${JSON.stringify(text)} → ${JSON.stringify(masked)}`);
                  const redacted = redactText(text);
                  if (core(redacted).includes(clear)) failures.push(`redaction kept ${JSON.stringify(text)}`);
                  const logged = maskLogText(text);
                  if (core(logged).includes(clear)) failures.push(`log kept ${JSON.stringify(text)}`);
                }
              }
            }
          }
        }
        total += checked;
        assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${checked} spellings failed`);
        assert.ok(checked >= 1000, 'the generator built the spellings');
      });
    }
  }

  it('covered tens of thousands of spellings', () => {
    assert.ok(total > 40_000, `only ${total} spellings`);
  });

  it('masks them in the HTML copy Teams attaches, through tags and entities', () => {
    const html = (numen: string) => numen.replace(/ /g, '&nbsp;').replace(/-/g, '&#8211;');
    const wrappers: ReadonlyArray<(numen: string) => string> = [
      (n) => `<p>mon numen ${html(n)} merci</p>`,
      (n) => `<div>${html(n).replace(/([0-9])([A-Za-z])/, '$1<b>$2')}</b></div>`,
      (n) => `<p>2014<br>${html(n)}</p>`,
      (n) => `<p><span style="color:red">${html(n.slice(0, 3))}</span>${html(n.slice(3))}&nbsp;!</p>`,
    ];
    let checked = 0;
    for (const parts of NUMENS) {
      for (const separator of [' ', '-', '/', '', ' - ']) {
        for (const cased of Object.values(CASES)) {
          for (const wrap of wrappers) {
            const source = wrap(cased(parts.join(separator)));
            const masked = maskNumenInHtml(source, MASK);
            const visible = masked.replace(/<[^>]*>/g, ' ').replace(/&#?\w+;/g, ' ');
            assert.ok(!core(visible).includes(parts.join('')), `${source} → ${masked}`);
            assert.ok(masked.includes(MASK), masked);
            assert.ok(masked.startsWith(source.slice(0, 3)) && masked.endsWith(source.slice(-4)), masked);
            checked += 1;
          }
        }
      }
    }
    assert.equal(checked, 180);
  });

  it('leaves HTML without a NUMEN as it was, hostile or not', () => {
    for (const html of [
      '<p>le 04/12/2014 à 17&nbsp;h&nbsp;30, tél. 06&nbsp;12&nbsp;34&nbsp;56&nbsp;78</p>',
      '<<<<<<<<<< 1 2 3 4 5 6 7 8 9',
      '&&&&&&&&&&&&&& 12345678 &nbsp &#xZZ; &#99999999; &constructor; &__proto__;',
    ])
      assert.equal(maskNumenInHtml(html, MASK), html);
  });

  it('masks two NUMENs of different spellings in one message, and the text between them stays', () => {
    const text = 'ancien : 34/cd/567890/qrs, nouveau : ０１Ｅ９５０１２３４ＡＢＣ !';
    assert.equal(maskNumen(text, MASK), `ancien : ${MASK}, nouveau : ${MASK} !`);
  });
});

describe('NUMEN look-alikes that are ordinary teacher text (never masked)', () => {
  const ORDINARY = [
    // Dates and times.
    '04/12/2014',
    '04.12.2014 à 17h30',
    'le 4 décembre 2014 à 17 h 30',
    'le 27/11/2014 de 10 h à 17 h',
    '2014-12-04T17:00:00+01:00',
    'jeudi 4 déc. 2014, 16 h 00',
    'entre le 22/09 et le 04/12',
    // Phone numbers.
    '06 12 34 56 78',
    '+33 6 12 34 56 78',
    '01-23-45-67-89',
    '0612345678',
    'tél. 04 73 36 01 67 poste 12',
    // Addresses, postal and mail.
    '12 rue de la Paix, 75002 Paris',
    '3 bis avenue Foch 75116 Paris',
    '24 av. Jean Jaurès 94000 Créteil',
    'BP 12 AB 75002 Paris Cedex 07',
    'jean.dupont2@ac-paris.fr',
    'j.dupont12@ac-creteil.fr',
    // Passwords teachers choose.
    'Soleil2014',
    'Electeur2014!',
    'Motdepasse12',
    'AB12cd34',
    'Paris75002Nov',
    'Vote2014Dec04',
    'Azerty123456',
    'Ab12345678Cde',
    // Other numbers of a teacher's life.
    'INSEE 1 84 12 75 123 456 78',
    'IBAN FR76 3000 6000 0112 3456 7890 189',
    'classe de 4e B, 28 élèves, salle 12',
    'dossier n° 2014-123456',
    'f47ac10b-58cc-4372-a567-0e02b2c3d479',
  ];
  for (const text of ORDINARY) {
    it(`leaves « ${text} » alone`, () => {
      assert.equal(containsNumen(text), false);
      assert.equal(maskNumen(text, MASK), text);
    });
  }

  /**
   * One character off the NUMEN shape, in every separator style: still not a NUMEN. (A word right after
   * a NUMEN short of a final letter would complete it, since spaces may separate its letters: masking a
   * mistyped NUMEN is the safe side.)
   */
  const NEAR_MISSES: ReadonlyArray<readonly string[]> = [
    ['34', 'CD', '5678901', 'QRS'], // 7 digits after 2 letters: 14 characters
    ['34', 'CD', '56789', 'QRS'], // 5 digits
    ['01', 'E', '950123', 'ABC'], // 6 digits after 1 letter: 12 characters
    ['01', 'E', '95012345', 'ABC'], // 8 digits
    ['3', 'CD', '567890', 'QRS'], // 1 leading digit
    ['34', 'CDE', '567890', 'QRS'], // 3 letters in the middle
    ['34', 'CD', '567890', 'QR'], // 2 final letters
  ];
  for (const parts of NEAR_MISSES) {
    it(`does not take ${JSON.stringify(parts.join(' '))} for a NUMEN, however it is spelled`, () => {
      for (const separator of ['', ' ', '/', '_', '\u2013', '.']) {
        for (const cased of Object.values(CASES)) {
          for (const suffix of ['', '!', ' 2014', ', 06 12 34 56 78']) {
            const text = `mon code ${cased(parts.join(separator))}${suffix}`;
            assert.equal(containsNumen(text), false, JSON.stringify(text));
          }
        }
      }
    });
  }

  it('does not join a NUMEN to digits glued before it, nor across a character that is no separator', () => {
    for (const text of ['2914E9501234ABC', '12 AB 123€456 XYZ', '12 AB 123é456 XYZ', '12 AB 12345😀6 XYZ'])
      assert.equal(containsNumen(text), false, text);
  });
});
