/**
 * Folds what teachers type into one comparable form: case, accents, typographic apostrophes,
 * repeated spaces and trailing punctuation (« Créer mon compte ! » → « creer mon compte »).
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .replace(/^[\s.!,;:«»"]+|[\s.!,;:«»"]+$/g, '')
    .trim();
}

/** True when the whole message is one of the phrases (already normalised). */
export function matchesPhrase(text: string, phrases: readonly string[]): boolean {
  const normalised = normaliseText(text);
  return normalised !== '' && phrases.some((p) => normaliseText(p) === normalised);
}
