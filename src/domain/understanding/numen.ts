/**
 * NUMEN detection (domain brief §3): 2 digits, 1–2 letters, 6–7 digits, 3 letters, 13 characters in all.
 * Teachers type or paste it in every way: separators anywhere (« 12 AB 123 456 XYZ », « 34/CD/567890/QRS »,
 * « 12_AB_123456_XYZ », en and em dashes), lower case, full-width characters from an IME, glued to the
 * words around it (« numen:01E9501234ABCmerci »). It must never be stored or repeated.
 *
 * A scan over the characters, not a regular expression: separator runs of any length between 13
 * significant characters made the pattern's cost depend on how a stranger spaced them. Each character is
 * classified once and each start is checked against 13 significant characters: linear in the text.
 */

const NUMEN_LENGTH = 13;
/** Fewer digits than this (ASCII or full-width) and the text cannot hold a NUMEN: most messages stop here. */
const MIN_DIGITS = 8;

const OTHER = 0;
const DIGIT = 1;
const LETTER = 2;
const SEPARATOR = 3;
type CharClass = typeof OTHER | typeof DIGIT | typeof LETTER | typeof SEPARATOR;

function classOf(code: number): CharClass {
  if (code >= 0x30 && code <= 0x39) return DIGIT;
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return LETTER;
  if (code >= 0xff10 && code <= 0xff19) return DIGIT; // ０–９
  if ((code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) return LETTER; // Ａ–Ｚ ａ–ｚ
  return isSeparator(code) ? SEPARATOR : OTHER;
}

/** What people put between the parts: spaces of every width, dots, dashes, slashes, underscores… */
function isSeparator(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  switch (code) {
    case 0x27: // '
    case 0x2a: // *
    case 0x2b: // +
    case 0x2c: // ,
    case 0x2d: // -
    case 0x2e: // .
    case 0x2f: // /
    case 0x3a: // :
    case 0x3b: // ;
    case 0x5c: // \
    case 0x5f: // _
    case 0x60: // `
    case 0x7c: // |
    case 0x7e: // ~
    case 0x85: // next line
    case 0xa0: // no-break space
    case 0xad: // soft hyphen
    case 0xb7: // ·
    case 0x1680:
    case 0x2018: // ‘
    case 0x2019: // ’
    case 0x2022: // •
    case 0x2028:
    case 0x2029:
    case 0x202f: // narrow no-break space
    case 0x2043: // ⁃
    case 0x205f:
    case 0x2060: // word joiner
    case 0x2212: // −
    case 0x3000: // ideographic space
    case 0x30fb: // ・
    case 0xfe58: // ﹘
    case 0xfe63: // ﹣
    case 0xfeff: // zero-width no-break space
    case 0xff0c: // ，
    case 0xff0d: // －
    case 0xff0e: // ．
    case 0xff0f: // ／
    case 0xff1a: // ：
    case 0xff3c: // ＼
    case 0xff3f: // ＿
    case 0xff5c: // ｜
    case 0xff65: // ･
      return true;
    default:
      // Spaces of every width, zero-width spaces, hyphens and dashes (‐ ‑ ‒ – — ―).
      return (code >= 0x2000 && code <= 0x200d) || (code >= 0x2010 && code <= 0x2015);
  }
}

/** The two shapes of 13: 2 digits, 1 letter, 7 digits, 3 letters; or 2 digits, 2 letters, 6 digits, 3 letters. */
const SHAPES: readonly (readonly CharClass[])[] = [
  [DIGIT, DIGIT, LETTER, ...Array<CharClass>(7).fill(DIGIT), LETTER, LETTER, LETTER],
  [DIGIT, DIGIT, LETTER, LETTER, ...Array<CharClass>(6).fill(DIGIT), LETTER, LETTER, LETTER],
];

function hasEnoughDigits(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code >= 0x30 && code <= 0x39) || (code >= 0xff10 && code <= 0xff19)) {
      digits += 1;
      if (digits >= MIN_DIGITS) return true;
    }
  }
  return false;
}

/**
 * Where NUMENs are in `text`, as [start, end) ranges from the first digit to the last letter. A NUMEN
 * starts at a digit that no digit immediately precedes (« 2014 17E… » is not « 1417E… », but
 * « numen17E… » glued to a word is a NUMEN); what follows the third letter does not matter.
 */
export function findNumens(text: string): Array<readonly [start: number, end: number]> {
  const found: Array<readonly [number, number]> = [];
  if (!hasEnoughDigits(text)) return found;
  // The significant characters of the current stretch (no OTHER character inside), with their places.
  const places: number[] = [];
  const kinds: CharClass[] = [];
  const flush = () => {
    scanStretch(text, places, kinds, found);
    places.length = 0;
    kinds.length = 0;
  };
  for (let i = 0; i < text.length; i += 1) {
    const kind = classOf(text.charCodeAt(i));
    if (kind === SEPARATOR) continue;
    if (kind === OTHER) {
      flush();
      continue;
    }
    places.push(i);
    kinds.push(kind);
  }
  flush();
  return found;
}

function scanStretch(
  text: string,
  places: readonly number[],
  kinds: readonly CharClass[],
  found: Array<readonly [number, number]>,
): void {
  let k = 0;
  while (k + NUMEN_LENGTH <= kinds.length) {
    const start = places[k] ?? 0;
    const startsHere = kinds[k] === DIGIT && (start === 0 || classOf(text.charCodeAt(start - 1)) !== DIGIT);
    if (startsHere && SHAPES.some((shape) => shape.every((kind, j) => kinds[k + j] === kind))) {
      found.push([start, (places[k + NUMEN_LENGTH - 1] ?? start) + 1]);
      k += NUMEN_LENGTH;
    } else {
      k += 1;
    }
  }
}

export function containsNumen(text: string): boolean {
  return findNumens(text).length > 0;
}

/** Replaces every NUMEN by `mask`, keeping the rest of the message readable. */
export function maskNumen(text: string, mask: string): string {
  const ranges = findNumens(text);
  if (ranges.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of ranges) {
    out += text.slice(from, start) + mask;
    from = end;
  }
  return out + text.slice(from);
}

/** Named entities a rich-text copy may hold between a NUMEN's characters (Teams writes runs of spaces so). */
const ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  ndash: '-',
  mdash: '-',
  shy: '-',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};
const LONGEST_ENTITY = 10;

/**
 * `maskNumen` for HTML (the `text/html` copy Teams attaches to each message): a NUMEN is found in the text
 * the HTML shows, whatever tags or entities (`&nbsp;`, `&#8211;`) sit between its characters, and the
 * whole stretch of HTML it covers is masked. One pass to build the visible text with the place of each
 * character, one scan: linear.
 */
export function maskNumenInHtml(html: string, mask: string): string {
  if (!hasEnoughDigits(html)) return html;
  let visible = '';
  const from: number[] = [];
  const to: number[] = [];
  const push = (text: string, start: number, end: number) => {
    for (let j = 0; j < text.length; j += 1) {
      from.push(start);
      to.push(end);
    }
    visible += text;
  };
  // Once no « > » is left, no later « < » opens a tag: looking again for each would be quadratic.
  let tagsLeft = true;
  let i = 0;
  while (i < html.length) {
    const c = html[i] as string;
    if (c === '<' && tagsLeft) {
      const close = html.indexOf('>', i + 1);
      if (close < 0) tagsLeft = false;
      else {
        // A tag separates like a space: « 2014<br>17E… » does not glue the year to the NUMEN.
        push(' ', i, close + 1);
        i = close + 1;
        continue;
      }
    } else if (c === '&') {
      const end = entityEnd(html, i);
      if (end > 0) {
        const decoded = decodeEntity(html.slice(i + 1, end));
        if (decoded !== undefined) {
          push(decoded, i, end + 1);
          i = end + 1;
          continue;
        }
      }
    }
    push(c, i, i + 1);
    i += 1;
  }
  const ranges = findNumens(visible);
  if (ranges.length === 0) return html;
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    const htmlStart = from[start] ?? at;
    out += html.slice(at, htmlStart) + mask;
    at = to[end - 1] ?? htmlStart;
  }
  return out + html.slice(at);
}

/** The « ; » closing the entity that starts at `at`, looked for within LONGEST_ENTITY characters only. */
function entityEnd(html: string, at: number): number {
  const last = Math.min(html.length, at + LONGEST_ENTITY + 1);
  for (let j = at + 2; j < last; j += 1) if (html.charCodeAt(j) === 0x3b) return j;
  return -1;
}

function decodeEntity(body: string): string | undefined {
  const name = body.toLowerCase();
  if (Object.hasOwn(ENTITIES, name)) return ENTITIES[name];
  const numeric = /^#(?:x([0-9a-f]{1,6})|([0-9]{1,7}))$/i.exec(body);
  if (!numeric) return undefined;
  const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
