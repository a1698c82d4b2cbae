/**
 * NUMEN detection (domain brief §3): 2 digits, 1–2 letters, 6–7 digits, 3 letters, 13 characters in all,
 * often typed with spaces, dots or hyphens anywhere (« 12 AB 123 456 XYZ », « 12-AB-123456-XYZ »).
 * Teachers sometimes paste it by mistake; it must never be stored or repeated.
 */
const SEP = '[\\s.\\-]*';
const NUMEN_SHAPE = new RegExp(
  `(?<![A-Za-z0-9])(?:\\d${SEP}){2}(?:[A-Za-z]${SEP}){1,2}(?:\\d${SEP}){6,7}[A-Za-z](?:${SEP}[A-Za-z]){2}(?![A-Za-z0-9])`,
  'g',
);

function isNumen(candidate: string): boolean {
  return candidate.replace(/[\s.-]/g, '').length === 13;
}

export function containsNumen(text: string): boolean {
  for (const match of text.matchAll(NUMEN_SHAPE)) if (isNumen(match[0])) return true;
  return false;
}

/** Replaces every NUMEN-shaped part by `mask`, keeping the rest of the message readable. */
export function maskNumen(text: string, mask: string): string {
  return text.replace(NUMEN_SHAPE, (m) => (isNumen(m) ? mask : m));
}
