import { getTimezoneOffset } from 'date-fns-tz';
import { isParis } from '../../src/domain/calendar/places';
import { t } from '../../src/i18n';
import { academieAbout, contactFr } from './academie-fr';
import { momentFr } from './moments-fr';
import type { AnswerContext } from './types';

/**
 * The questions of issue 14 that depend on where the teacher is: whom to contact (the académie's
 * helpdesk when its profile has one), and in which time the dates are given (Paris, and the teacher's).
 */

/** « Qui contacter ? », « le numéro de l’assistance ? »: the académie's helpdesk, never a made-up one. */
export function contactAnswer(text: string, ctx: AnswerContext): string[] {
  const academie = academieAbout(text, ctx);
  const contact = contactFr(academie);
  if (contact)
    return [`${contact}\n${t('answers.academie.contact.safe')}`, t('answers.academie.contact.here')];
  const unknown = academie
    ? t('answers.academie.contact.unknownNamed', { name: academie.name })
    : t('answers.academie.contact.unknown');
  return [unknown, t('answers.academie.contact.here')];
}

/**
 * « Les heures sont en heure de Paris ? », « quel décalage pour nous ? »: the official time is Paris's;
 * where the teacher is (a place named, the académie, the channel's zone) the gap and the key moments in
 * both times; otherwise how to get them.
 */
export function localTimeAnswer(ctx: AnswerContext): string[] {
  const { place, calendar, academie } = ctx;
  if (place === undefined || isParis(place)) {
    const second =
      academie && academie.timeZone === calendar.timeZone
        ? t('answers.academie.localTime.academieParis', { name: academie.name })
        : t('answers.academie.localTime.askPlace');
    return [t('answers.academie.localTime.paris'), second];
  }
  const at = place.at.startsWith('(') ? t('answers.academie.localTime.atYou') : place.at;
  const when = calendar.vote.closes;
  const minutes = Math.round(
    (getTimezoneOffset(place.timeZone, when) - getTimezoneOffset(calendar.timeZone, when)) / 60_000,
  );
  const dates = t('answers.academie.localTime.dates', {
    accountCloses: momentFr(calendar.accountCreation.closes, ctx),
    voteOpens: momentFr(calendar.vote.opens, ctx),
    voteCloses: momentFr(calendar.vote.closes, ctx),
  });
  if (minutes === 0) return [t('answers.academie.localTime.paris'), dates];
  const gap = gapFr(Math.abs(minutes));
  const first = t(minutes > 0 ? 'answers.academie.localTime.ahead' : 'answers.academie.localTime.behind', {
    gap,
    at,
  });
  return [first, dates];
}

/** « 3 h », « 10 h 30 »: a gap between two clocks. */
function gapFr(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours}\u00a0h` : `${hours}\u00a0h\u00a0${String(rest).padStart(2, '0')}`;
}
