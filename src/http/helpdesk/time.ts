import { formatInTimeZone } from 'date-fns-tz';
import { escapeHtml } from '../html';

/**
 * `<time>` with the French words as its text (« 9 h 02 », what a screen reader reads) and the instant in
 * the zone shown, with its offset (`2014-11-20T09:02:00+01:00`): a reader or tool that reads the attribute
 * gets the same hour as the text, not the UTC one. An unreadable instant is shown as its words only.
 */
export function timeElement(iso: string, words: string, zone: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return escapeHtml(words);
  const local = formatInTimeZone(instant, zone, "yyyy-MM-dd'T'HH:mm:ssXXX");
  return `<time datetime="${escapeHtml(local)}">${escapeHtml(words)}</time>`;
}
