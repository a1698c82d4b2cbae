import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressProblem } from '../src/domain/accounts/address';
import type { PasswordRule } from '../src/domain/accounts/password-policy';
import { INTENTS } from '../src/domain/understanding/intents';
import { ERROR_CODES } from '../src/errors';
import type { AccessibilityStatus } from '../src/http/html';

const ACCESSIBILITY_STATUSES: AccessibilityStatus[] = [
  'non-conforme',
  'partiellement-conforme',
  'totalement-conforme',
];

import { allKeys, t, tList } from '../src/i18n';
import { LOCALES_DIR } from '../src/infra/files/locales';

const ROOT = path.resolve(__dirname, '..');

/**
 * User vocabulary (what teachers type), plain ASCII on purpose: not prose; and the one line written in
 * English on purpose, for a teacher who wrote in English (`inEnglish`).
 */
const VOCABULARY = /(^|\.)(keywords|commands)(\.|$)|Synonyms$|\.inEnglish$/;

interface Prose {
  readonly key: string;
  readonly text: string;
}

function proseOf(node: unknown, key: string): Prose[] {
  if (VOCABULARY.test(key)) return [];
  if (typeof node === 'string') return [{ key, text: node }];
  if (Array.isArray(node)) return node.flatMap((item, i) => proseOf(item, `${key}[${i}]`));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => proseOf(v, key ? `${key}.${k}` : k));
  return [];
}

/** training.json holds what teachers type (the recogniser's examples), not what the bot writes. */
const FILES = fs.readdirSync(LOCALES_DIR).filter((f) => f.endsWith('.json') && f !== 'training.json');
const PROSE: Prose[] = FILES.flatMap((file) =>
  proseOf(JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, file), 'utf8')), path.basename(file, '.json')),
);

/** Every string breaking `rule`, with its key and the offending passage, for a readable failure. */
function offences(rule: RegExp): string[] {
  return PROSE.flatMap(({ key, text: raw }) => {
    // Placeholder names are code, not prose: « {deadline} » is neither English nor a word to check.
    const text = raw.replace(/\{\w+\}/g, '{…}');
    return [...text.matchAll(new RegExp(rule.source, `${rule.flags.replace('g', '')}g`))].map((m) => {
      const at = m.index ?? 0;
      return `${key}: …${JSON.stringify(text.slice(Math.max(0, at - 20), at + m[0].length + 20))}…`;
    });
  });
}

describe('locales/fr', () => {
  it('has prose to check in every file', () => {
    assert.deepEqual(FILES.sort(), [
      'answers.json',
      'bot.json',
      'cli.json',
      'directline.json',
      'errors.json',
      'handoff.json',
      'helpdesk.json',
      'legal.json',
      'mail.json',
      'pages.json',
      'password-entry.json',
      'reminders.json',
      'webchat.json',
    ]);
    for (const file of FILES) {
      const prefix = path.basename(file, '.json');
      assert.ok(
        PROSE.some((p) => p.key.startsWith(`${prefix}.`)),
        `${file} has no prose`,
      );
    }
  });

  describe('typography', () => {
    it('no plain space before « ? », « ! », « : », « ; » (U+00A0 or U+202F)', () => {
      assert.deepEqual(offences(/ [?!:;]/), []);
    });

    it('a non-breaking space before « ? », « ! », « : », « ; » that follow a word', () => {
      // « https://… » and « {n}. {label} » have nothing before the sign; a word glued to it is a mistake.
      assert.deepEqual(offences(/[\p{L}\p{N}»)}][?!;]|[\p{L}»)][:](?!\/\/)/u), []);
    });

    it('no plain space just inside « guillemets »', () => {
      assert.deepEqual(offences(/« | »/), []);
    });

    it('a non-breaking space just inside « guillemets »', () => {
      assert.deepEqual(offences(/«[^\u00a0\u202f]|[^\u00a0\u202f]»/), []);
    });

    it('the typographic apostrophe ’, never the straight one', () => {
      assert.deepEqual(offences(/'/), []);
    });

    it('hours as « 16 h », never « 16h00 », « 16h » or « 16:00 »', () => {
      assert.deepEqual(
        offences(/\b\d{1,2} ?h ?\d{2}\b|\b\d{1,2}h\b|\b\d{1,2}:\d{2}\b|\b\d{1,2} ?(am|pm)\b/i),
        [],
      );
    });

    it('capital À, not A, at the start of a sentence', () => {
      assert.deepEqual(offences(/(^|[.!?…]\s+|\n)A\s+\p{Ll}/u), []);
    });
  });

  describe('tone', () => {
    it('vouvoiement: no « tu », « te », « toi », « ton », « ta », « tes »', () => {
      assert.deepEqual(offences(/(?<![\p{L}\p{N}’'-])(tu|te|toi|ton|ta|tes)(?![\p{L}\p{N}])/iu), []);
    });

    it('no English left in the prose the teachers read', () => {
      assert.deepEqual(offences(/\b(please|click here|error|deadline|password)\b/i), []);
    });
  });

  describe('the self-checks can fail', () => {
    // The rules above are regular expressions: make sure each one catches what it is meant to catch.
    const catches = (rule: RegExp, sample: string) => new RegExp(rule.source, rule.flags).test(sample);
    it('detects the mistakes it looks for', () => {
      assert.ok(catches(/ [?!:;]/, 'Que faire ?'));
      assert.ok(!catches(/ [?!:;]/, 'Que faire\u00a0? Ouvrez https://webmail.ac-paris.fr'));
      assert.ok(catches(/« | »/, '« aide »'));
      assert.ok(catches(/\b\d{1,2}h\b|\b\d{1,2}:\d{2}\b/, 'à 16:00'));
      assert.ok(
        catches(/(?<![\p{L}\p{N}’'-])(tu|te|toi|ton|ta|tes)(?![\p{L}\p{N}])/iu, 'Choisis ton mot de passe'),
      );
      assert.ok(
        !catches(
          /(?<![\p{L}\p{N}’'-])(tu|te|toi|ton|ta|tes)(?![\p{L}\p{N}])/iu,
          'Votre compte et toutes les étapes',
        ),
      );
    });
  });

  describe('keys used by the code', () => {
    const KEYS = new Set(allKeys());
    const SOURCE_DIRS = ['src', 'dialogs', 'scripts'];

    function sourceFiles(dir: string): string[] {
      return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(full);
        return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) ? [full] : [];
      });
    }

    const FILES_SCANNED = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)));
    const SOURCES = FILES_SCANNED.map((file) => ({
      file: path.relative(ROOT, file),
      text: fs.readFileSync(file, 'utf8'),
    }));

    /** The first argument of t(...) / tList(...) when it is a plain string literal. */
    const LITERAL_CALL = /(?<![\w$.])(t|tList)\(\s*(['"])([^'"`\n]+)\2/g;
    /** Keys passed by name to choice(value, labelKey, synonymsKey), and the messageKey of errors. */
    const CHOICE_CALL = /(?<![\w$.])choice\(\s*'[^']*'\s*,\s*'([^']+)'\s*,\s*'([^']+)'/g;
    const MESSAGE_KEY = /messageKey:\s*'([^']+)'/g;

    const literal = SOURCES.flatMap(({ file, text }) => [
      ...[...text.matchAll(LITERAL_CALL)].map((m) => ({ file, key: m[3] ?? '' })),
      ...[...text.matchAll(CHOICE_CALL)].flatMap((m) => [
        { file, key: m[1] ?? '' },
        { file, key: m[2] ?? '' },
      ]),
      ...[...text.matchAll(MESSAGE_KEY)].map((m) => ({ file, key: m[1] ?? '' })),
    ]);

    it('finds the calls it checks (the scan itself works)', () => {
      assert.ok(FILES_SCANNED.length > 20, `${FILES_SCANNED.length} files`);
      assert.ok(literal.length > 50, `${literal.length} keys`);
      const keys = new Set(literal.map((l) => l.key));
      for (const expected of [
        'bot.welcome.intro',
        'bot.webmail.doneSynonyms',
        'errors.internal',
        'mail.common.greeting',
      ])
        assert.ok(keys.has(expected), expected);
    });

    it('every key passed as a literal exists', () => {
      const missing = literal.filter(({ key }) => !KEYS.has(key)).map(({ file, key }) => `${file}: ${key}`);
      assert.deepEqual(missing, []);
    });

    it('every key built from a template exists for every value it can take', () => {
      const reasons: AddressProblem[] = [
        'empty',
        'spaces',
        'accents',
        'notAnAddress',
        'personalDomain',
        'nearMissDomain',
        'unknownDomain',
        'localPartFormat',
      ];
      const rules: Array<Exclude<PasswordRule, 'minLength' | 'maxLength'>> = [
        'uppercase',
        'lowercase',
        'digit',
        'special',
      ];
      const menu = ['create', 'dates', 'mailNotReceived', 'help'] as const;
      const built = [
        ...reasons.map((r) => `bot.address.problems.${r}`),
        'bot.address.problems.spacesSuggestion',
        ...INTENTS.map((i) => `bot.intentLabels.${i}`),
        ...rules.map((r) => `bot.password.rule.${r}`),
        ...menu.flatMap((c) => [`bot.menu.${c}`, `bot.menu.keywords.${c}`]),
        'bot.menu.keywords.greeting',
        ...['teacher', 'agent', 'bot'].map((who) => `helpdesk.handoffs.from.${who}`),
        ...Object.values(ERROR_CODES).flatMap((e) => [e.messageKey, e.titleKey]),
        ...ACCESSIBILITY_STATUSES.flatMap((s) => [`legal.status.${s}`, `legal.accessibility.status.${s}`]),
      ];
      assert.deepEqual(
        built.filter((key) => !KEYS.has(key)),
        [],
      );
    });

    it('knows every template key of the code (a new one must be added above)', () => {
      const templates = SOURCES.flatMap(({ file, text }) =>
        [...text.matchAll(/(?<![\w$.])(?:t|tList)\(\s*`([^`]*)`/g)].map(
          (m) => `${file}: ${(m[1] ?? '').replace(/\$\{[^}]*\}/g, '*')}`,
        ),
      );
      assert.deepEqual(templates.sort(), [
        'dialogs/address-dialog.ts: bot.address.problems.*',
        'dialogs/commands.ts: bot.menu.*',
        'dialogs/commands.ts: bot.menu.keywords.*',
        'dialogs/commands.ts: bot.menu.keywords.*',
        'src/domain/accounts/password-rules-fr.ts: bot.password.rule.*',
        'src/domain/accounts/password-rules-fr.ts: bot.password.rule.*',
        'src/domain/understanding/intent-labels.ts: bot.intentLabels.*',
        'src/http/helpdesk/handoff-pages.ts: helpdesk.handoffs.from.*',
        'src/http/helpdesk/handoffs.ts: helpdesk.handoffs.from.*',
        'src/http/html.ts: legal.status.*',
        'src/http/legal/index.ts: legal.accessibility.status.*',
        'src/http/password-entry/page.ts: bot.password.rule.*',
      ]);
    });
  });

  describe('placeholders', () => {
    it('every {placeholder} of a prose string is filled by t() when given', () => {
      const names = new Map<string, Set<string>>();
      for (const { key, text } of PROSE) {
        const base = key.replace(/\[\d+\]$/, '');
        for (const m of text.matchAll(/\{(\w+)\}/g)) {
          const set = names.get(base) ?? new Set<string>();
          set.add(m[1] ?? '');
          names.set(base, set);
        }
      }
      assert.ok(names.size > 10, `${names.size} strings with placeholders`);
      for (const [key, set] of names) {
        const params = Object.fromEntries([...set].map((n) => [n, `<${n}>`]));
        const filled = tList(key, params).join('\n');
        assert.doesNotMatch(filled, /\{\w+\}/, key);
        for (const n of set) assert.ok(filled.includes(`<${n}>`), `${key}: {${n}}`);
      }
    });

    it('a missing placeholder value is an error, not a « {name} » shown to a teacher', () => {
      assert.throws(() => t('bot.account.sent', { email: 'x' }), /expires/);
    });
  });
});
