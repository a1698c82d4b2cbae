/**
 * A password the teacher writes in the chat to ask about it (issue 14): « est-ce que Soleil2014 ça
 * passe ? », « Bonjour2024 c’est bon comme mot de passe ? », « mon mdp serait azerty12, ok ? ». The bot
 * checks it against the policy and never repeats it; the transcript, the Emulator trace and the statistics
 * get it masked, like a NUMEN.
 *
 * A candidate is a word shaped like a password — letters mixed with digits or symbols (« azerty12 »,
 * « Soleil#2014 »), or any word after « mot de passe : » or « mdp serait » — in a message that speaks of a
 * password or asks whether something « passe » (« c bon ? », « ça va ? », « j’hésite entre »). Times, ordinals, dates, addresses, links and the masks
 * and placeholders of other secrets are not candidates. Everything is linear: no pattern backtracks on a
 * long word (see test/hostile).
 */

/** The message speaks of a password, or asks whether something fits: only then is a word a candidate. */
const CUE =
  /(?:mot[s]?[\s-]+de[\s-]+passe|motdepasse|\bmdps?\b|\bpass?words?\b|\bpwd\b|\bpasse\b|\bpasse[- ]?t[- ]?il\b|\bmettre\b|\bmets\b|\bchoisi[rs]?\b|\bvalide\b|\bconvien[ts]?\b|\bconforme\b|\bacceptée?\b|\bsuffi[ts]\b|\bc(?:[' ]?(?:est|e))? (?:bon|ok)\b|(?<![a-z])[cç]a va\b|\bh[ée]site\b)/i;

/** An explicit introduction: « mot de passe : X », « mdp serait X », « je voulais mettre X ». */
const INTRODUCED =
  /(?:mot[s]?[\s-]+de[\s-]+passe|\bmdp|\bpass?word|\bpwd)\s*(?:(?:serait|sera|ce serait|ça serait|ca serait)\s*:?|[:=])\s*[«"“]?[\s\u00a0\u202f]*$/i;

/** What the teacher names as their login or address is not a password: « mon identifiant c’est jdupont4 ». */
const OTHER_NAMED =
  /(?:identifiant|login|numen|adresse|nom d[’']utilisateur|\bid)\s*(?:(?:serait|sera|est|c[’']est)\s*:?|[:=])?\s*[«"“]?[\s\u00a0\u202f]*$/i;

/** Words that are never a password, whatever their shape. */
const NOT_A_PASSWORD = [
  // « 16h », « 16h30 », « 17:00 », « 8h-18h », « 24h/24 », « h24 »
  /^\d{1,2}(?:h|:)\d{0,2}(?:[-/–]\d{0,2}h?\d{0,2})?$/i,
  /^h24$/i,
  // « 1er », « 2e », « 3ème », « 12ème », « 8caractères » is a length, not a password
  /^\d+(?:er|ère|ere|e|è|ème|eme|ieme|ième|nd|nde|caract[eè]res?|car|min|mn|j|jours?|fois|x)$/i,
  // « 4/12 », « 04.12.2014 », « 27-11 »
  /^\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?$/,
  // Addresses, links, the académie's domain
  /@|^https?:|^www\.|\.(?:fr|com|org|net)$|^ac-/i,
  // « n°12 », « 2x », « 100% »
  /^n°|^\d+%$/i,
];

export interface CandidateSpan {
  readonly start: number;
  readonly end: number;
}

/** Where the message's candidate passwords are, in order (usually none, at most a few). */
export function candidatePasswordSpans(text: string): CandidateSpan[] {
  const sample = text.length > 2_000 ? text.slice(0, 2_000) : text;
  if (!CUE.test(sample)) return [];
  const spans: CandidateSpan[] = [];
  const word = /\S+/g;
  for (let match = word.exec(sample); match !== null; match = word.exec(sample)) {
    const raw = match[0];
    const { inner, offset } = unwrap(raw);
    if (inner === '') continue;
    const before = sample.slice(Math.max(0, match.index - 40), match.index);
    if (OTHER_NAMED.test(before)) continue;
    if (isCandidate(inner, INTRODUCED.test(before))) {
      const start = match.index + offset;
      spans.push({ start, end: start + inner.length });
    }
  }
  return spans;
}

/** The first candidate password of the message, or undefined. */
export function candidatePasswordIn(text: string): string | undefined {
  const [first] = candidatePasswordSpans(text);
  return first && text.slice(first.start, first.end);
}

/** The message with each candidate password replaced by `mask`. */
export function maskCandidatePasswords(text: string, mask: string): string {
  const spans = candidatePasswordSpans(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + mask;
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * The word without the quotes around it and the punctuation that ends a clause (« azerty12, ok ? »). A
 * final « ! » stays: French sets it apart with a space, so one stuck to the word is part of it.
 */
function unwrap(raw: string): { inner: string; offset: number } {
  const open = /^[«"“”‘’'`(\u00a0\u202f]+/u.exec(raw)?.[0].length ?? 0;
  let end = raw.length;
  while (end > open && /[»"“”‘’'`),;:?.\u00a0\u202f]/u.test(raw.charAt(end - 1))) end -= 1;
  return { inner: raw.slice(open, end), offset: open };
}

function isCandidate(word: string, named: boolean): boolean {
  if (word.length < 4 || word.length > 64) return false;
  // The placeholders of the recogniser (`_numen_`) and the masks of other secrets (« [masqué] »).
  if (word.includes('_numen_') || /\[|\]/.test(word)) return false;
  if (NOT_A_PASSWORD.some((pattern) => pattern.test(word))) return false;
  const letters = /\p{L}/u.test(word);
  const digits = /\p{Nd}/u.test(word);
  // Hyphens and apostrophes join French words (« peut-être », « aujourd’hui »): they are no symbol.
  // A final « ! » (« Hello! ») is an exclamation more often than a symbol of the password.
  const symbols = /[\p{P}\p{S}]/u.test(word.replace(/[-'’]/g, '').replace(/!+$/, ''));
  if (letters && (digits || symbols)) return true;
  // A word named as the password (« mot de passe : soleil », « mdp = 12345678 ») whatever its shape — but
  // not a French word with an apostrophe (« mot de passe : c’est celui… »).
  if (/['’]/.test(word)) return false;
  return named && (letters || (digits && word.length >= 6));
}
