import { formatRemainingFr } from '../../src/domain/calendar/duration';
import { formatDayFr, formatHourFr, formatOpeningFr } from '../../src/domain/calendar/format';
import { isMidnight, renderMoment } from '../../src/domain/calendar/moments';
import { isParis } from '../../src/domain/calendar/places';
import type { DayPart, TeacherMoment } from '../../src/domain/calendar/teacher-dates';
import { t } from '../../src/i18n';
import type { AnswerContext } from './types';

/**
 * An instant as the answers write it: « jeudi 4 décembre 2014 à 17 h (heure de Paris) », then the
 * teacher's local time when it differs (« soit 20 h à La Réunion », « soit le vendredi 5 décembre 2014 à
 * 3 h à Nouméa »). A midnight in Paris is a date without an hour (account opening, results): it is written
 * as a day only, because its hour is not a published one and a local « 18 h la veille » would mislead.
 */
export function momentFr(
  instant: Date,
  ctx: Pick<AnswerContext, 'calendar' | 'place'>,
  midnightAsDay = true,
): string {
  const { calendar, place } = ctx;
  if (midnightAsDay && isMidnight(instant, calendar.timeZone)) {
    return formatOpeningFr(instant, calendar.timeZone);
  }
  const rendered = renderMoment(instant, calendar, place);
  const { local } = rendered;
  if (local === undefined) return t('answers.moment.paris', { paris: rendered.paris });
  return local.sameDayAsParis
    ? t('answers.moment.sameDay', { paris: rendered.paris, hour: local.hour, at: local.at })
    : t('answers.moment.otherDay', { paris: rendered.paris, local: local.dateTime, at: local.at });
}

/** « 23 h à Tahiti » or « 10 h (heure de Paris) »: the hour at which a window opens or closes that day. */
export function hourFr(instant: Date, ctx: Pick<AnswerContext, 'calendar' | 'place'>): string {
  const { calendar, place } = ctx;
  if (place === undefined || isParis(place)) {
    return t('answers.moment.hourParis', { hour: formatHourFr(instant, calendar.timeZone) });
  }
  return t('answers.moment.hourLocal', { hour: formatHourFr(instant, place.timeZone), at: place.at });
}

/** What the teacher asked about: an instant (Paris then local), or a day / part of a day in their zone. */
export function askedFr(asked: TeacherMoment, ctx: Pick<AnswerContext, 'calendar' | 'place'>): string {
  // « le 4 à minuit » is an hour the teacher chose: keep it, unlike the calendar's date-only midnights.
  if (asked.hasTime) return momentFr(asked.instant, ctx, false);
  const zone = teacherZone(ctx);
  const day = formatDayFr(asked.instant, zone);
  const part = asked.part === undefined ? '' : partFr(asked.part);
  const { place } = ctx;
  if (place === undefined || isParis(place)) return t('answers.moment.span', { day, part });
  return t('answers.moment.spanAt', { day, part, at: place.at });
}

export function teacherZone(ctx: Pick<AnswerContext, 'calendar' | 'place'>): string {
  return ctx.place?.timeZone ?? ctx.calendar.timeZone;
}

/** « 7 jours », « 1 jour et 5 heures », « 25 minutes » from `now` to `end`: see formatRemainingFr. */
export function leftFr(now: Date, end: Date): string {
  return formatRemainingFr(end.getTime() - now.getTime());
}

function partFr(part: DayPart): string {
  switch (part) {
    case 'morning':
      return t('answers.moment.part.morning');
    case 'afternoon':
      return t('answers.moment.part.afternoon');
    case 'evening':
      return t('answers.moment.part.evening');
    case 'night':
      return t('answers.moment.part.night');
  }
}
