import { formatInTimeZone } from 'date-fns-tz';
import { type ElectionCalendar, timeLeft, type Window, type WindowStatus, windowStatus } from './calendar';
import type { DurationParts } from './duration';
import { formatDateTimeFr, formatDayFr, formatHourFr } from './format';
import { isParis, type Place } from './places';

/** The two windows of the calendar, by the names ElectionCalendar gives them. */
export type WindowName = 'accountCreation' | 'vote';
export const WINDOW_NAMES: readonly WindowName[] = ['accountCreation', 'vote'];

export interface WindowMoment {
  readonly window: WindowName;
  readonly status: WindowStatus;
  /** The edge that matters now: the opening before it, the close while open, the (past) close after. */
  readonly edge: Date;
  /** Time until `edge`; zero once the window has closed. */
  readonly left: DurationParts;
}

/** Where each window stands at `now`, with the time left to its next edge. */
export function windowMoments(calendar: ElectionCalendar, now: Date): Record<WindowName, WindowMoment> {
  return {
    accountCreation: windowMoment('accountCreation', calendar.accountCreation, now),
    vote: windowMoment('vote', calendar.vote, now),
  };
}

export function windowMoment(window: WindowName, w: Window, now: Date): WindowMoment {
  const status = windowStatus(w, now);
  const edge = status === 'before' ? w.opens : w.closes;
  return { window, status, edge, left: timeLeft(now, edge) };
}

export interface InstantCheck {
  readonly accountCreation: WindowStatus;
  readonly vote: WindowStatus;
  readonly resultsAvailable: boolean;
  /** The windows open at that instant, in calendar order. */
  readonly open: readonly WindowName[];
}

/** Which windows are open at `instant` (a date the teacher asks about, or now). */
export function checkInstant(calendar: ElectionCalendar, instant: Date): InstantCheck {
  const accountCreation = windowStatus(calendar.accountCreation, instant);
  const vote = windowStatus(calendar.vote, instant);
  return {
    accountCreation,
    vote,
    resultsAvailable: instant.getTime() >= calendar.resultsFrom.getTime(),
    open: WINDOW_NAMES.filter((name) => (name === 'vote' ? vote : accountCreation) === 'open'),
  };
}

/**
 * How a span of time (a day, an evening: what the teacher meant without an hour) meets a window:
 * entirely before or after it, entirely inside, or cut by its opening or its close.
 */
export type SpanOverlap = 'before' | 'after' | 'inside' | 'opensDuring' | 'closesDuring';

/** `from` inclusive, `to` exclusive, like the windows. */
export function spanOverlap(w: Window, from: Date, to: Date): SpanOverlap {
  if (to.getTime() <= w.opens.getTime()) return 'before';
  if (from.getTime() >= w.closes.getTime()) return 'after';
  if (from.getTime() < w.opens.getTime()) return 'opensDuring';
  if (to.getTime() > w.closes.getTime()) return 'closesDuring';
  return 'inside';
}

export interface LocalMoment {
  /** « vendredi 5 décembre 2014 à 3 h » in the place's zone. */
  readonly dateTime: string;
  /** « 3 h »: enough when the local day is the Paris day (« soit 20 h à La Réunion »). */
  readonly hour: string;
  readonly sameDayAsParis: boolean;
  /** « à Nouméa », « (heure locale) ». */
  readonly at: string;
}

export interface RenderedMoment {
  /** « jeudi 4 décembre 2014 à 17 h » in the calendar's zone (heure de Paris). */
  readonly paris: string;
  /** Absent without a place, or when the place reads the same wall-clock time as Paris. */
  readonly local?: LocalMoment;
}

/** An instant in Paris time and, when it differs, in the teacher's local time. */
export function renderMoment(instant: Date, calendar: ElectionCalendar, place?: Place): RenderedMoment {
  const paris = formatDateTimeFr(instant, calendar.timeZone);
  if (place === undefined || isParis(place)) return { paris };
  const dateTime = formatDateTimeFr(instant, place.timeZone);
  if (dateTime === paris) return { paris };
  return {
    paris,
    local: {
      dateTime,
      hour: formatHourFr(instant, place.timeZone),
      sameDayAsParis: formatDayFr(instant, place.timeZone) === formatDayFr(instant, calendar.timeZone),
      at: place.at,
    },
  };
}

/** The local day and hour of `instant` in `timeZone`, e.g. for tables of local deadlines. */
export function localDateTime(instant: Date, timeZone: string): string {
  return formatDateTimeFr(instant, timeZone);
}

/** True when `instant` falls on a local midnight: a date without an hour, such as the results day. */
export function isMidnight(instant: Date, timeZone: string): boolean {
  return formatInTimeZone(instant, timeZone, 'HH:mm') === '00:00';
}
