import { formatDateTimeFr, formatDayFr } from '../src/domain/calendar/format';
import { t } from '../src/i18n';
import { memoryOf } from './memory';
import { mainMenu } from './replies';
import type { DialogDeps, TurnContext } from './types';

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

export async function sendHelp(context: TurnContext): Promise<void> {
  await context.sendActivity(t('bot.help'));
}

export async function sendDates(context: TurnContext, deps: Pick<DialogDeps, 'calendar'>): Promise<void> {
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
}
