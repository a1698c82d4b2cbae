import { memoByText } from './memo';

/**
 * Folds what teachers type into one comparable form: case, accents, typographic apostrophes,
 * repeated spaces and trailing punctuation (« Créer mon compte ! » → « creer mon compte »).
 *
 * Runs on the message and on every phrase it is compared with, a hundred times a turn: each text is
 * folded once (memo.ts). On text a stranger chose: every step is linear (see test/hostile).
 */
export const normaliseText: (text: string) => string = memoByText(foldText, {
  maxEntries: 4_096,
  maxLength: 500,
});

function foldText(text: string): string {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\s\u00a0\u202f]+/g, ' ');
  return trimEnds(folded, isEdgeNoise);
}

/** Spaces and the punctuation that does not change what a short answer means. */
function isEdgeNoise(code: number): boolean {
  switch (code) {
    case 0x20: // space (runs already collapsed)
    case 0x2e: // .
    case 0x21: // !
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3a: // :
    case 0xab: // «
    case 0xbb: // »
    case 0x22: // "
      return true;
    default:
      return false;
  }
}

/**
 * `text` without the characters `drop` accepts at either end. Index loops, not a `^[…]+|[…]+$` pattern:
 * V8 retries such a pattern at every position of a run that ends in a letter, which is quadratic.
 */
export function trimEnds(text: string, drop: (code: number) => boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && drop(text.charCodeAt(start))) start += 1;
  while (end > start && drop(text.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** True when the whole message is one of the phrases (already normalised). */
export function matchesPhrase(text: string, phrases: readonly string[]): boolean {
  const normalised = normaliseText(text);
  return normalised !== '' && phrases.some((p) => normaliseText(p) === normalised);
}
