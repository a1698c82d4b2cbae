import { formatDateTimeFr, formatDayFr } from '../src/domain/calendar/format';
import { isParis } from '../src/domain/calendar/places';
import { t } from '../src/i18n';
import { learnAcademie } from './academie';
import { contactFr } from './answers/academie-fr';
import { memoryOf } from './memory';
import { mainMenu } from './replies';
import type { DialogDeps, TurnContext } from './types';
import { teacherPlace } from './understanding';

/** Short answers that do not need a conversation: shared by the menu and the interruptions. */
/**
 * The welcome: the introduction the first time; a greeting later in the conversation gets a short
 * answer and the choices, not the whole introduction again.
 */
export async function sendWelcome(context: TurnContext, deps: Pick<DialogDeps, 'calendar'>): Promise<void> {
  const memory = memoryOf(context);
  if (memory.welcomed) {
    await context.sendActivity(mainMenu(context, t('bot.welcome.again')));
    return;
  }
  memory.welcomed = true;
  await context.sendActivity(t('bot.welcome.intro', { election: deps.calendar.name }));
  await context.sendActivity(mainMenu(context, t('bot.welcome.choose')));
}

/** What the assistant can do; the académie's helpdesk too, when its profile has one. */
export async function sendHelp(context: TurnContext, deps?: Pick<DialogDeps, 'academies'>): Promise<void> {
  await context.sendActivity(t('bot.help'));
  const contact = deps ? contactFr(await learnAcademie(context, deps)) : undefined;
  if (contact) await context.sendActivity(contact);
}

/**
 * The calendar in Paris time, then in the teacher's own time when it differs (a place named, the
 * académie, the channel's zone): « Soit, à La Réunion : … ».
 */
export async function sendDates(
  context: TurnContext,
  deps: Pick<DialogDeps, 'calendar'> & Partial<Pick<DialogDeps, 'academies'>>,
): Promise<void> {
  const { calendar } = deps;
  const zone = calendar.timeZone;
  await context.sendActivity(
    t('bot.dates', {
      accountOpens: formatDayFr(calendar.accountCreation.opens, zone),
      accountCloses: formatDateTimeFr(calendar.accountCreation.closes, zone),
      voteOpens: formatDateTimeFr(calendar.vote.opens, zone),
      voteCloses: formatDateTimeFr(calendar.vote.closes, zone),
      resultsFrom: formatDayFr(calendar.resultsFrom, zone),
    }),
  );
  const place = teacherPlace(context, await learnAcademie(context, deps));
  if (place === undefined || isParis(place)) return;
  const local = place.timeZone;
  await context.sendActivity(
    t('bot.datesLocal', {
      at: place.at.startsWith('(') ? t('bot.datesLocalHere') : place.at,
      accountCloses: formatDateTimeFr(calendar.accountCreation.closes, local),
      voteOpens: formatDateTimeFr(calendar.vote.opens, local),
      voteCloses: formatDateTimeFr(calendar.vote.closes, local),
    }),
  );
}
