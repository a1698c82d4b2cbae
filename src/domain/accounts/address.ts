export type AddressProblem =
  | 'empty'
  | 'spaces'
  | 'accents'
  | 'notAnAddress'
  | 'personalDomain'
  | 'nearMissDomain'
  | 'unknownDomain'
  | 'localPartFormat';

/** A `suggestion`, when present, is a corrected address that itself passes the check. */
export type AddressCheck =
  | { ok: true; email: string }
  | { ok: false; reason: AddressProblem; suggestion?: string };

/** Longer input is not an address, and bounding it keeps the edit-distance work trivial. */
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

/**
 * Personal providers people type instead of their professional address. Matched on the provider's
 * label too (`gmail.*`, `hotmail.*`), so that `gmail.con` or `yahoo.co.uk` are recognised as well.
 */
const PERSONAL_DOMAINS = new Set([
  'me.com',
  'mac.com',
  'sfr.fr',
  'neuf.fr',
  'free.fr',
  'live.fr',
  'live.com',
  'msn.com',
  'aol.com',
  'aol.fr',
  'gmx.fr',
  'gmx.com',
  'gmx.de',
  'proton.me',
  'pm.me',
  'mail.com',
  'club-internet.fr',
  'numericable.fr',
  'voila.fr',
  'bbox.fr',
  'cegetel.net',
  'aliceadsl.fr',
  'dbmail.com',
  'libertysurf.fr',
  'tele2.fr',
  'nordnet.fr',
  'ymail.com',
]);
const PERSONAL_LABELS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'hotmail',
  'outlook',
  'orange',
  'wanadoo',
  'laposte',
  'icloud',
  'protonmail',
  'bbox',
  'sfr',
  'free',
  'neuf',
  'live',
  'msn',
  'aol',
  'gmx',
  'numericable',
]);

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const SPACE = /[\s\u00a0\u202f]/u;
const DOMAIN_CHARS = /^[a-z0-9.-]+$/;
const DOMAIN_SHAPE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;
/** prenom.nom, with hyphenated or dotted compound names and a homonym number at the end. */
const LOCAL_SHAPE = /^[a-z]+(?:['-][a-z]+)*(?:\.[a-z]+(?:['-][a-z]+)*)+\d*$/;
/** Anything that could be meant as a local part; the rest is not an address at all. */
const LOCAL_CHARS = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;

/**
 * Trims, lowercases and drops what copying from a mail client or Teams adds (`mailto:`, angle brackets,
 * zero-width characters, a typographic apostrophe).
 */
export function normaliseAddress(raw: string): string {
  let value = raw.normalize('NFC').replace(ZERO_WIDTH, '').trim().toLowerCase();
  if (value.startsWith('<') && value.endsWith('>')) value = value.slice(1, -1).trim();
  if (value.startsWith('mailto:')) value = value.slice('mailto:'.length).trim();
  return value.replace(/[\u2019\u02bc]/g, "'");
}

export function checkAddress(raw: string, domains: readonly string[]): AddressCheck {
  const email = normaliseAddress(raw);
  if (email === '') return { ok: false, reason: 'empty' };
  if (email.length > MAX_ADDRESS_LENGTH * 2 || !email.includes('@'))
    return { ok: false, reason: 'notAnAddress' };
  if (SPACE.test(email)) {
    const joined = checkAddress(email.replace(/[\s\u00a0\u202f]+/gu, ''), domains);
    return joined.ok
      ? { ok: false, reason: 'spaces', suggestion: joined.email }
      : { ok: false, reason: 'spaces' };
  }
  return checkSpaceless(
    email,
    domains.map((d) => d.toLowerCase()),
  );
}

function checkSpaceless(email: string, domains: readonly string[]): AddressCheck {
  const at = email.indexOf('@');
  if (at !== email.lastIndexOf('@')) return { ok: false, reason: 'notAnAddress' };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).replace(/\.$/, '');
  const plainLocal = foldAccents(local);
  const plainDomain = foldAccents(domain);
  if (local === '' || domain === '' || email.length > MAX_ADDRESS_LENGTH || local.length > MAX_LOCAL_LENGTH) {
    return { ok: false, reason: 'notAnAddress' };
  }
  if (!DOMAIN_CHARS.test(plainDomain) || !LOCAL_CHARS.test(plainLocal))
    return { ok: false, reason: 'notAnAddress' };
  const exact = domains.includes(plainDomain);
  if (!exact && isPersonal(plainDomain)) return { ok: false, reason: 'personalDomain' };
  const resolved = exact ? plainDomain : nearestDomain(plainDomain, domains);
  if (resolved === undefined) {
    return { ok: false, reason: DOMAIN_SHAPE.test(plainDomain) ? 'unknownDomain' : 'notAnAddress' };
  }
  if (!LOCAL_SHAPE.test(plainLocal)) return { ok: false, reason: 'localPartFormat' };
  const corrected = `${plainLocal}@${resolved}`;
  if (plainLocal !== local || plainDomain !== domain)
    return { ok: false, reason: 'accents', suggestion: corrected };
  if (!exact) return { ok: false, reason: 'nearMissDomain', suggestion: corrected };
  return { ok: true, email: corrected };
}

/** « é » → « e », « œ » → « oe »: what académie addresses use, as far as anyone could check. */
function foldAccents(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

function isPersonal(domain: string): boolean {
  if (PERSONAL_DOMAINS.has(domain)) return true;
  // `gmail.con`, `yahoo.co.uk`, but not `live.ac-paris.fr`: the provider's name followed by a suffix only.
  const [name = '', ...suffix] = domain.split('.');
  return PERSONAL_LABELS.has(name) && suffix.length > 0 && suffix.every((label) => label.length <= 3);
}

/**
 * The configured domain the person most likely meant, or undefined. Scores, lowest wins and the list
 * order breaks ties (Paris first):
 *   1–2  edit distance (with transpositions) on the whole domain: `ac-pari.fr`, `ac-pairs.fr`;
 *   1    same name with another or no TLD, or under a sub-domain, or doubled: `ac-paris.com`,
 *        `ac-paris`, `webmail.ac-paris.fr`, `ac-paris.fr.fr`;
 *   3    the name without its `ac-` prefix: `paris.fr`. It is someone else's real domain (the City of
 *        Paris), but the teacher is only asked whether they meant the académie one.
 */
function nearestDomain(domain: string, domains: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of domains) {
    const score = nearMissScore(domain, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function nearMissScore(domain: string, candidate: string): number {
  const name = withoutTld(candidate);
  if (domain.endsWith(`.${candidate}`) || domain.startsWith(`${candidate}.`)) return 1;
  if (domain === name || withoutTld(domain) === name) return 1;
  const distance = editDistance(domain, candidate, 2);
  if (distance <= 2) return distance;
  if (name.startsWith('ac-') && withoutTld(domain) === name.slice(3)) return 3;
  return Number.POSITIVE_INFINITY;
}

function withoutTld(domain: string): string {
  const dot = domain.lastIndexOf('.');
  return dot < 0 ? domain : domain.slice(0, dot);
}

/** Optimal string alignment distance, giving up early once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1);
      }
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? limit + 1;
}

/** Quotes, brackets and punctuation around an address written inside a sentence. */
const AROUND = /^[\s«»"'“”‘’`<([{]+|[\s«»"'“”‘’`>)\]}.,;:!?]+$/g;

/**
 * The first thing shaped like an address in a sentence (« non, c'est marie.durand@ac-paris.fr ! »), as
 * written: the caller checks it with checkAddress, so that a mistyped one gets its explanation.
 */
export function addressIn(text: string): string | undefined {
  if (text.length > 2_000) return undefined;
  for (const word of text.split(/\s+/)) {
    if (word.length > MAX_ADDRESS_LENGTH + 8) continue;
    const candidate = word.replace(AROUND, '');
    const at = candidate.indexOf('@');
    if (at > 0 && candidate.indexOf('.', at) > at + 1) return candidate;
  }
  return undefined;
}
