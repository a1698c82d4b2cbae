import type { AcademieProfile } from './profiles';

/** Only the start of a long message is read: an académie is named in far less. */
const MAX_CHARS = 2_000;

/** What comes before the place in an académie's name: « Académie de », « Vice-rectorat de »… */
const TITLE = /^(?:academie|vice rectorat|rectorat|service de l education)\s+(?:de |d |du )?/;

/**
 * How a teacher names each académie, lowercase, without accents, words separated by one space: its name
 * without the title, article kept (« la reunion », « aix marseille »), and the extra `names` of its
 * profile (« guadeloupe », « noumea », « tahiti »). Bare « reunion » is also « a meeting »: it is never
 * made up from the name.
 */
export function namesOf(profile: Pick<AcademieProfile, 'name' | 'names'>): string[] {
  const base = fold(profile.name).replace(TITLE, '');
  return [...new Set([base, ...(profile.names ?? []).map(fold)].filter(Boolean))];
}

/**
 * The académie a message names (« le webmail de l’académie de Lyon », « mes mails ac-noumea »), or
 * undefined: the longest name (an `ac-…` domain counts as one: « ac reunion »), then the first one. One pass over the words of
 * the message, looking each run of up to a few words up in a map: linear in the message.
 */
export function academieNamed(
  text: string,
  academies: readonly AcademieProfile[],
): AcademieProfile | undefined {
  const index = indexOf(academies);
  const words = fold(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text)
    .split(' ')
    .filter(Boolean);
  let best: { profile: AcademieProfile; length: number } | undefined;
  for (let i = 0; i < words.length; i += 1) {
    let key = '';
    for (let j = i; j < Math.min(words.length, i + index.maxWords); j += 1) {
      key = j === i ? (words[j] ?? '') : `${key} ${words[j] ?? ''}`;
      const profile = index.names.get(key);
      if (profile && (best === undefined || key.length > best.length)) best = { profile, length: key.length };
    }
  }
  return best?.profile;
}

interface NameIndex {
  readonly names: ReadonlyMap<string, AcademieProfile>;
  readonly maxWords: number;
}

/** Built once per list of profiles (the list in force is built once at start-up). */
const INDEXES = new WeakMap<readonly AcademieProfile[], NameIndex>();

function indexOf(academies: readonly AcademieProfile[]): NameIndex {
  const cached = INDEXES.get(academies);
  if (cached) return cached;
  const names = new Map<string, AcademieProfile>();
  for (const profile of academies) {
    const domainNames = profile.domains
      .map((domain) => domain.split('.')[0] ?? '')
      .filter((label) => label.startsWith('ac-'))
      .map(fold);
    for (const name of [...namesOf(profile), ...domainNames]) if (!names.has(name)) names.set(name, profile);
  }
  const maxWords = Math.max(1, ...[...names.keys()].map((n) => n.split(' ').length));
  const index = { names, maxWords };
  INDEXES.set(academies, index);
  return index;
}

/** Lowercase, without accents, words of letters and digits separated by one space. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
