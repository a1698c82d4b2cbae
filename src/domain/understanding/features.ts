import { maskCandidatePasswords } from './candidate-password';
import { CONCEPT_TOKENS, conceptsOf, joinPhrases } from './lexicon';
import { memoByText } from './memo';
import { maskNumen } from './numen';
import { expandSms } from './sms';

/**
 * Text → tokens → sparse features for the intent recognizer.
 *
 * The normaliser folds what varies without changing the meaning (case, accents, apostrophes, elisions,
 * SMS spellings, stretched letters, « ??? ») and keeps what carries it: stopwords such as « quand »,
 * « jusque », « combien », digits (« le 27 », « 16 h »), and one « ? » token for questions.
 */

/** Stands for a NUMEN-shaped string: the recognizer never sees (nor returns) the NUMEN itself. */
export const NUMEN_TOKEN = '_numen_';
/** Stands for a password the teacher asks about (« Soleil2014 ça passe ? »): its shape, never its text. */
export const CANDIDATE_TOKEN = '_motdepasse_';
/** The mask the NUMEN guard middleware writes before the recognizer runs (src/bot/middleware). */
const GUARD_MASK = /\[\s*masqu[eé]\s*\]/giu;

/**
 * The lookbehind makes a match start only where a run of address characters starts: without it, V8 tries
 * every position of a long run without « @ » again, which is quadratic.
 */
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@([\p{L}\p{N}-]+)(?:\.[\p{L}\p{N}.-]+)?/gu;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
/** « 16h », « 16 h 30 », « 17:00 », « 20heures »: the words stay, and a class token is added. */
const TIME = /(?<![\d])(\d{1,2})\s?(?:h|hr|hrs|heures?|:)\s?(\d{2})?(?![a-z\d])/g;
/** « 4/12 », « 04.12.2014 », « 27-11 ». */
const NUMERIC_DATE = /(?<![\d])\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?(?![\d])/g;

const WEEKDAYS = new Set(['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']);
const MONTHS: Readonly<Record<string, string>> = {
  janvier: 'janvier',
  fevrier: 'fevrier',
  mars: 'mars',
  avril: 'avril',
  mai: 'mai',
  juin: 'juin',
  juillet: 'juillet',
  aout: 'aout',
  septembre: 'septembre',
  octobre: 'octobre',
  oct: 'octobre',
  novembre: 'novembre',
  nov: 'novembre',
  decembre: 'decembre',
  dec: 'decembre',
  decmbre: 'decembre',
};

/** Elided words (l', d', j', qu', c', m', t', s', n') are written in full so « j'ai » and « jai » meet. */
const ELISIONS: Readonly<Record<string, string>> = {
  l: 'le',
  d: 'de',
  j: 'je',
  c: 'ce',
  m: 'me',
  t: 'te',
  s: 'se',
  n: 'ne',
};

/**
 * The folded, expanded text as tokens. Placeholder tokens (`_numen_`, `_email_`, `_heure_`, …) are
 * wrapped in underscores, which no word of the folded text contains. A message is tokenized once per
 * turn, however many readers it has (the recogniser, the statements: memo.ts); each gets its own copy.
 */
export function tokenize(text: string): string[] {
  return tokensOfText(text).slice();
}

const tokensOfText = memoByText(splitIntoTokens, { maxEntries: 256, maxLength: 2_000 });

function splitIntoTokens(text: string): string[] {
  // Underscores mark placeholders: a teacher's own « _ » must not forge one.
  let s = maskNumen(text.replace(/_/g, ' '), ` ${NUMEN_TOKEN} `).replace(GUARD_MASK, ` ${NUMEN_TOKEN} `);
  s = maskCandidatePasswords(s, ` ${CANDIDATE_TOKEN} `);
  // An address names the kind of mailbox (académique or personal): that part matters, not the person.
  s = s.replace(EMAIL, (_m, domain: string) =>
    /^ac-/i.test(domain) ? ' _email_ academique ' : ` _email_ ${domain} `,
  );
  s = s.replace(URL, ' _url_ ');
  s = s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'");
  s = s.replace(TIME, (_m, h: string, min: string | undefined) => ` ${h} h ${min ?? ''} _heure_ `);
  s = s.replace(NUMERIC_DATE, ' _date_ ');
  s = s
    .replace(/\be-?mails?\b/g, 'mail')
    .replace(/\baujourd'?\s?hui\b/g, 'aujourd hui')
    // « jusqu'à », « lorsqu'il », « quelqu'un »: the « qu' » is inside the word. (Not `([a-z]*)qu'`,
    // which rescans a long word from each of its letters.)
    .replace(/qu'/g, 'que ')
    .replace(/\b([ldjcmtsn])'/g, (_m, letter: string) => `${ELISIONS[letter] ?? letter} `)
    .replace(/\?+/g, ' ? ')
    .replace(/[^a-z0-9_?]+/g, ' ');
  const raw = s.split(' ').filter((tok) => tok !== '');
  // « merciiiii », « nooon »: three or more identical letters are one; French doubles (« elle ») stay.
  const squeezed = raw.map((tok) => (tok.startsWith('_') ? tok : tok.replace(/([a-z])\1{2,}/g, '$1')));
  const tokens: string[] = [];
  for (const tok of joinPhrases(expandSms(squeezed))) {
    // Several « ? » in a row are one question; a lone « _ » is noise left by the punctuation pass.
    if (tok === '?' && tokens[tokens.length - 1] === '?') continue;
    if (/^_+$/.test(tok)) continue;
    const month = Object.hasOwn(MONTHS, tok) ? MONTHS[tok] : undefined;
    tokens.push(month ?? tok);
    // Class tokens let « et samedi ? » learn from « et jeudi ? », and « le 3 » from « le 27 ».
    if (month !== undefined) tokens.push('_mois_');
    else if (WEEKDAYS.has(tok)) tokens.push('_jour_');
    else if (/^\d+$/.test(tok)) tokens.push('_nombre_');
    tokens.push(...conceptsOf(month ?? tok));
  }
  return tokens;
}

/** True for the tokens tokenize adds beside a word (`_mois_`, `_heure_`, `_fin_`, …), not in its place. */
export function isClassToken(token: string): boolean {
  return CLASS_TOKENS.has(token);
}

/**
 * The folded words of a message, without the class tokens: « Jusqu’à QUAND ?? » → « jusque a quand ? ».
 * For reports, tests and comparing phrasings.
 */
export function normaliseForMatching(text: string): string {
  return tokenize(text)
    .filter((token) => !isClassToken(token))
    .join(' ');
}

export interface FeatureWeights {
  /** Word unigrams: the bulk of the meaning. */
  readonly words: number;
  /** Word bigrams, with start and end markers: « jusque a », « ^ quand », « voter ? ». */
  readonly bigrams: number;
  /** Character n-grams inside each word (with its boundaries): typos and inflections. */
  readonly chars: number;
  /** Class tokens (`_mois_`, `_heure_`, and the concepts of lexicon.ts): synonyms met once. */
  readonly classes: number;
}

export const DEFAULT_WEIGHTS: FeatureWeights = { words: 1, bigrams: 0.7, chars: 1, classes: 1 };
const CHAR_MIN = 3;
/** Tokens added beside a word (not in its place), see tokenize. */
const CLASS_TOKENS: ReadonlySet<string> = new Set([
  '_mois_',
  '_jour_',
  '_nombre_',
  '_heure_',
  ...CONCEPT_TOKENS,
]);
const CHAR_MAX = 4;

function isPlaceholder(token: string): boolean {
  return token.startsWith('_') || token === '?';
}

/** Adds `names`, as a set, to `out` with a total L2 norm of `weight` for the group. */
function addGroup(out: Map<string, number>, names: Set<string>, weight: number): void {
  if (names.size === 0 || weight === 0) return;
  const value = weight / Math.sqrt(names.size);
  for (const name of names) out.set(name, value);
}

/**
 * Sparse features of a token list. Each group is normalised on its own, so that a long message is not
 * scored as more certain than a short one, and the many character n-grams do not drown the words.
 */
export function extractFeatures(
  tokens: readonly string[],
  weights: FeatureWeights = DEFAULT_WEIGHTS,
): Map<string, number> {
  if (tokens.length === 0) return new Map();
  const words = new Set<string>();
  const bigrams = new Set<string>();
  const chars = new Set<string>();
  const classes = new Set<string>();
  // Class tokens sit right after the word they describe: bigrams skip them to keep the real word pairs.
  const bounded = ['^', ...tokens.filter((tok) => !CLASS_TOKENS.has(tok)), '$'];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    if (CLASS_TOKENS.has(token)) {
      classes.add(`k:${token}`);
      continue;
    }
    words.add(`w:${token}`);
    if (isPlaceholder(token)) continue;
    const padded = ` ${token} `;
    for (let n = CHAR_MIN; n <= CHAR_MAX; n += 1)
      for (let at = 0; at + n <= padded.length; at += 1) chars.add(`c:${padded.slice(at, at + n)}`);
  }
  for (let i = 0; i + 1 < bounded.length; i += 1) bigrams.add(`b:${bounded[i]} ${bounded[i + 1]}`);
  const out = new Map<string, number>();
  addGroup(out, words, weights.words);
  addGroup(out, bigrams, weights.bigrams);
  addGroup(out, chars, weights.chars);
  addGroup(out, classes, weights.classes);
  return out;
}
