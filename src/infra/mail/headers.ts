/**
 * A value safe for a mail header: CR and LF would let a crafted value start a new header (Bcc: …), and
 * other control characters have no business there either.
 */
export function headerValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}
