/** Courtesy titles people put before their name, which are not part of the login. */
const TITLES = new Set(['m', 'mr', 'mme', 'mlle', 'monsieur', 'madame', 'mademoiselle']);

/**
 * The usual webmail login: first letter of the first name + last name (« jdupont »). Only a likely
 * guess: homonyms get a number and some académies differ, so the caller must ask the teacher to check.
 *
 * « DUPONT Jean », as administrative forms write it, is understood as last name first.
 */
export function suggestLogin(fullName: string): string | null {
  const words = fullName
    .normalize('NFC')
    .split(/[\s\u00a0\u202f,]+/u)
    .filter((word) => word !== '' && !TITLES.has(word.toLowerCase().replace(/\.$/, '')));
  if (words.length < 2) return null;

  const { first, last } = splitName(words);
  const initial = lettersOnly(first).charAt(0);
  const lastName = last.map(lettersOnly).join('');
  if (initial === '' || lastName === '') return null;
  return `${initial}${lastName}`;
}

function splitName(words: string[]): { first: string; last: string[] } {
  const upper = words.map(isUpperCaseName);
  const leadingUpper = upper.indexOf(false);
  if (leadingUpper > 0 && upper.slice(leadingUpper).every((u) => !u)) {
    return { first: words[leadingUpper] ?? '', last: words.slice(0, leadingUpper) };
  }
  return { first: words[0] ?? '', last: words.slice(1) };
}

function isUpperCaseName(word: string): boolean {
  return /\p{L}.*\p{L}/u.test(word) && word === word.toUpperCase() && word !== word.toLowerCase();
}

/** Lowercase ASCII letters only: accents folded, hyphens, apostrophes and the rest dropped. */
function lettersOnly(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');
}
