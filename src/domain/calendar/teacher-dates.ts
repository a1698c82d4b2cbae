import * as chrono from 'chrono-node';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';

/** A part of the day named without an hour (« demain soir »): the answer must cover all of it. */
export type DayPart = 'morning' | 'afternoon' | 'evening' | 'night';

export interface TeacherMoment {
  /** The instant named; without an hour, the start of the day or of the part of the day meant. */
  readonly instant: Date;
  readonly hasTime: boolean;
  /**
   * True when the message names a day (« le 4 », « dimanche », « demain », « ce soir »); false when only
   * an hour or a part of the day was given (« à 23 h ? »), which is then read on today's date.
   */
  readonly dayNamed: boolean;
  /** Without an hour: the end (exclusive) of that day or part of the day. */
  readonly end?: Date;
  readonly part?: DayPart;
}

interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Local hours covered by each part of the day; the night runs into the next morning. */
const PART_HOURS: Record<DayPart, readonly [number, number]> = {
  morning: [6, 12],
  afternoon: [12, 18],
  evening: [18, 24],
  night: [22, 30],
};

const PARTS: ReadonlyArray<readonly [DayPart, RegExp]> = [
  ['afternoon', /\b(?:apres[- ]?midi|aprem)\b/],
  ['morning', /\bmatin(?:ee)?\b/],
  ['evening', /\bsoir(?:ee)?\b/],
  ['night', /\bnuit\b/],
];

/**
 * « 17 h 30 », « 17h », « 17 heures 30 », « 17:30 »; never a bare « à 8 » (« 8 caractères »), nor a
 * duration (« il me reste 2 h »; « dans 3 heures » is left to chrono, which counts it from now).
 */
const TIME =
  /(?<![\d/.:])(?<!(?:dans|pendant|depuis|reste|restent|encore|plus de|moins de) )(\d{1,2})\s*(?:h|heures?|:)\s*([0-5]\d)?(?:\s*min(?:utes?)?)?(?![a-z\d])/;
const NOON = /\bmidi\b/;
const MIDNIGHT = /\bminuit\b/;

const MONTHS = 'janv|fevr|mars|avr|mai|juin|juil|aout|sept|oct|nov|dec';
const WEEKDAY = '(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)';
/** « le 27 », « samedi 29 »: a day of the month alone, which chrono's French parser does not read. */
const DAY_ALONE = new RegExp(
  `(?:\\b(?:le|du|au|ce)|${WEEKDAY})\\s+(1er|\\d{1,2})(?!\\s*(?:er\\b|[/.:h\\d]|(?:${MONTHS})))`,
);
const DAY_AFTER_TOMORROW = /\bapres[- ]demain\b/;
const DAY_BEFORE_YESTERDAY = /\bavant[- ]hier\b/;
/**
 * Only the start of a message is read for a date, as the recogniser reads only its start: a question
 * names its date in far less, and chrono-node's parsers grow faster than linearly on long runs of words
 * and spaced digits (« le 4 décembre » repeated: 2 ms at 2,000 characters, 7 ms at 4,000).
 */
export const MAX_DATE_CHARS = 500;

/**
 * Habits, not dates (issue 11): « 24h/24 », « 7j/7 », « jour et nuit », « en semaine », « le week-end »,
 * « un dimanche », « le dimanche », « les samedis », « à toute heure ». « dimanche », « ce dimanche » and
 * « le dimanche 30 » stay dates. Matched on the folded text, with the spaces fold() puts at both ends.
 */
const WEEKDAYS = 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche';
const HABITS = new RegExp(
  [
    '24 ?h(?:eures?)? ?(?:/|sur) ?24',
    '7 ?j(?:ours?)? ?(?:/|sur) ?7',
    'jour et nuit',
    'nuit et jour',
    'de jour comme de nuit',
    "(?:a|a n'importe) (?:toute|quelle) heure",
    'a toute heure',
    'en semaine',
    '(?:le|les|un|des|chaque|tous les) (?:week-?ends?|we|jours? feries?)',
    `(?:le|les|un|chaque|tous les) (?:${WEEKDAYS})s?(?! ?(?:1er|\\d))(?: (?:matin|matinee|soir|soiree|apres[- ]?midi|aprem|nuit))?`,
  ]
    .map((h) => `(?<= )${h}(?= |[?!.,;:])`)
    .join('|'),
  'g',
);
/**
 * « la nuit », « le soir », « le matin » with a definite article are habits too (« on peut voter la
 * nuit ? »), but only when nothing else in the message names a day: « le 4, le soir » is a date.
 */
const PART_HABITS =
  /(?<= )(?:la|les) nuits?(?= |[?!.,;:])|(?<= )(?:le|les) (?:soirs?|soirees?|matins?|matinees?)(?= |[?!.,;:])/g;
const NAMES_A_DAY = new RegExp(
  `\\d|\\b(?:${WEEKDAYS}|demain|hier|aujourd|ce soir|cette nuit|ce matin|cet apres|janv|fevr|mars|avril|mai|juin|juil|aout|sept|oct|nov|dec)`,
);

/** Words that only mean « now »: the question is then about the present, not a date. */
const NOW_ONLY = /^(?:maintenant|aujourd'hui|actuellement|en ce moment)$/;

/**
 * The date and time a teacher gives (« le 4 décembre à 17 h 30 », « et samedi à 20 h ? », « demain soir »),
 * read as wall-clock time in `timeZone` (the teacher's zone; Paris when unknown), relative to `now` (the
 * app clock). Days without a year or a month are the next ones from today; undefined when the message
 * names no date or time, or only « maintenant » / « aujourd’hui ».
 */
export function parseTeacherDate(text: string, now: Date, timeZone: string): TeacherMoment | undefined {
  const today = localDate(now, timeZone);
  let rest = fold(text.length > MAX_DATE_CHARS ? text.slice(0, MAX_DATE_CHARS) : text).replace(HABITS, ' ');
  if (!NAMES_A_DAY.test(rest)) rest = rest.replace(PART_HABITS, ' ');
  // « ce soir » and « cette nuit » name today as much as « aujourd’hui » does.
  const saysToday = /\b(?:ce soir|cette nuit|ce matin|cet apres)/.test(rest);

  // Parts of the day first: « après-midi » holds a « midi » that is not noon.
  const part = PARTS.find(([, pattern]) => pattern.test(rest))?.[0];
  for (const [, pattern] of PARTS) rest = rest.replace(pattern, ' ');
  const time = takeTime(rest);
  rest = time.rest;

  // chrono's French parser reads « demain » but not « après-demain » (it finds « demain » inside it).
  rest = rest
    .replace(DAY_AFTER_TOMORROW, ` ${numeric(addDays(today, 2))} `)
    .replace(DAY_BEFORE_YESTERDAY, ` ${numeric(addDays(today, -2))} `)
    .replace(DAY_ALONE, (whole: string, day: string) => {
      const date = nextDayOfMonth(today, Number.parseInt(day, 10));
      return date === undefined ? whole : ` ${numeric(date)} `;
    });

  const found = findDate(rest, now, timeZone);
  if (found === undefined && time.hour === undefined && part === undefined) return undefined;
  if (found?.nowOnly && time.hour === undefined && part === undefined) return undefined;
  if (found?.fromNow?.hasTime && time.hour === undefined) {
    return { instant: new Date(now.getTime() + found.fromNow.ms), hasTime: true, dayNamed: true };
  }
  const date = found?.date ?? today;
  const dayNamed = found !== undefined || saysToday;

  if (time.hour !== undefined) {
    let hour = time.hour;
    // « 8 h du soir » is 20 h; « 3 h du matin » stays 3 h.
    if (hour < 12 && (part === 'afternoon' || part === 'evening')) hour += 12;
    return { instant: at(date, hour, time.minute, timeZone), hasTime: true, dayNamed };
  }
  const [from, to] = part === undefined ? [0, 24] : PART_HOURS[part];
  return {
    instant: at(date, from, 0, timeZone),
    hasTime: false,
    dayNamed,
    end: at(date, to, 0, timeZone),
    ...(part === undefined ? {} : { part }),
  };
}

function fold(text: string): string {
  return ` ${text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\s\u00a0\u202f]+/g, ' ')} `;
}

function takeTime(text: string): { rest: string; hour?: number; minute: number } {
  const match = TIME.exec(text);
  const hour = match ? Number.parseInt(match[1] ?? '', 10) : Number.NaN;
  if (match && hour <= 24) {
    const minute = Number.parseInt(match[2] ?? '0', 10);
    return { rest: text.replace(match[0], ' '), hour, minute };
  }
  if (NOON.test(text)) return { rest: text.replace(NOON, ' '), hour: 12, minute: 0 };
  // « le 4 à minuit » is the end of the 4th, as in « jusqu’à minuit ».
  if (MIDNIGHT.test(text)) return { rest: text.replace(MIDNIGHT, ' '), hour: 24, minute: 0 };
  return { rest: text, minute: 0 };
}

interface FoundDate {
  readonly date: LocalDate;
  /** « maintenant », « aujourd’hui »: no date beyond the present. */
  readonly nowOnly: boolean;
  /** « dans 3 heures »: an instant counted from now. */
  readonly fromNow?: { readonly ms: number; readonly hasTime: boolean };
}

/** The date chrono finds, with an implied year moved back when it lands more than six months ahead. */
function findDate(text: string, now: Date, timeZone: string): FoundDate | undefined {
  // chrono reads components in the process's zone: a reference built from the teacher's wall clock makes
  // them the teacher's wall-clock date, whatever zone the server runs in.
  const wall = formatInTimeZone(now, timeZone, 'yyyy-M-d-H-m-s').split('-').map(Number);
  const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0] = wall;
  const reference = new Date(y, mo - 1, d, h, mi, se);
  const today: LocalDate = { year: y, month: mo, day: d };
  const dated = chrono.fr
    .parse(text, reference, { forwardDate: true })
    // « la semaine prochaine », « le mois prochain » are periods, not a day to check.
    .filter((r) => !/\b(?:semaine|mois|an|annee)\b/.test(r.text))
    .find((r) => r.start.isCertain('day') || r.start.isCertain('weekday'));
  if (dated === undefined) return undefined;
  const { start } = dated;
  let date: LocalDate = {
    year: start.get('year') ?? today.year,
    month: start.get('month') ?? today.month,
    day: start.get('day') ?? today.day,
  };
  if (!start.isCertain('year') && serial(date) - serial(today) > 183) date = { ...date, year: date.year - 1 };
  const nowOnly = NOW_ONLY.test(dated.text.trim());
  if (!/^dans\b/.test(dated.text.trim())) return { date, nowOnly };
  return {
    date,
    nowOnly,
    fromNow: { ms: dated.start.date().getTime() - reference.getTime(), hasTime: start.isCertain('hour') },
  };
}

/** The next day numbered `day` from today (today included), skipping months too short for it. */
function nextDayOfMonth(today: LocalDate, day: number): LocalDate | undefined {
  if (day < 1 || day > 31) return undefined;
  const first = day < today.day ? today.month + 1 : today.month;
  for (let month = first; month < first + 3; month += 1) {
    const candidate = new Date(Date.UTC(today.year, month - 1, day));
    if (candidate.getUTCDate() === day) return fromUtc(candidate);
  }
  return undefined;
}

function localDate(instant: Date, timeZone: string): LocalDate {
  const [year, month, day] = formatInTimeZone(instant, timeZone, 'yyyy-MM-dd').split('-').map(Number);
  return { year: year ?? 1970, month: month ?? 1, day: day ?? 1 };
}

/** Wall-clock `hour:minute` of `date` in `timeZone`; hours past 24 run into the next day. */
function at(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const wall = new Date(Date.UTC(date.year, date.month - 1, date.day, hour, minute));
  return fromZonedTime(wall.toISOString().slice(0, 16), timeZone);
}

function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtc(new Date(Date.UTC(date.year, date.month - 1, date.day + days)));
}

function fromUtc(d: Date): LocalDate {
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function serial(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / 86_400_000;
}

/** dd/mm/yyyy, a form chrono's French parser always reads. */
function numeric(date: LocalDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.day)}/${pad(date.month)}/${date.year}`;
}
