import { fr } from 'date-fns/locale';
import { formatInTimeZone } from 'date-fns-tz';

/**
 * French date-times as the style guide wants them: « jeudi 4 décembre 2014 à 16 h », « 17 h 30 ».
 * The caller adds which time it is (« heure de Paris ») from locales/.
 */
export function formatDateTimeFr(instant: Date, timeZone: string): string {
  return `${formatDayFr(instant, timeZone)} à ${formatHourFr(instant, timeZone)}`;
}

/**
 * What was already written, by instant and zone: the dates the answers give are the calendar's few
 * moments, formatted on every turn (each one five time-zone conversions). Bounded: emptied when full.
 */
const written = new Map<string, string>();
const MAX_WRITTEN = 2_000;

function remembered(kind: string, instant: Date, timeZone: string, write: () => string): string {
  const key = `${kind}|${instant.getTime()}|${timeZone}`;
  let text = written.get(key);
  if (text === undefined) {
    if (written.size >= MAX_WRITTEN) written.clear();
    text = write();
    written.set(key, text);
  }
  return text;
}

/** « lundi 22 septembre 2014 » (« 1er » for the first of the month, as French writes it). */
export function formatDayFr(instant: Date, timeZone: string): string {
  return remembered('day', instant, timeZone, () => writeDayFr(instant, timeZone));
}

function writeDayFr(instant: Date, timeZone: string): string {
  const day = formatInTimeZone(instant, timeZone, 'd', { locale: fr });
  const rest = formatInTimeZone(instant, timeZone, 'MMMM yyyy', { locale: fr });
  const weekday = formatInTimeZone(instant, timeZone, 'EEEE', { locale: fr });
  return `${weekday} ${day === '1' ? '1er' : day} ${rest}`;
}

/** « 16 h », « 17 h 30 », « 0 h 05 ». */
export function formatHourFr(instant: Date, timeZone: string): string {
  return remembered('hour', instant, timeZone, () => writeHourFr(instant, timeZone));
}

function writeHourFr(instant: Date, timeZone: string): string {
  const hours = formatInTimeZone(instant, timeZone, 'H');
  const minutes = formatInTimeZone(instant, timeZone, 'mm');
  return minutes === '00' ? `${hours}\u00a0h` : `${hours}\u00a0h\u00a0${minutes}`;
}

/** An opening moment: « lundi 22 septembre 2014 » at midnight, otherwise with the hour. */
export function formatOpeningFr(instant: Date, timeZone: string): string {
  return remembered('opening', instant, timeZone, () =>
    formatInTimeZone(instant, timeZone, 'HH:mm') === '00:00'
      ? formatDayFr(instant, timeZone)
      : formatDateTimeFr(instant, timeZone),
  );
}
