import { type Activity, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { t } from '../../i18n';
import type { Logger } from '../../log';

/**
 * Teams activities from a Microsoft 365 tenant outside `allowed` (the académies' tenants, TEAMS_TENANTS) get
 * a short French refusal and go no further: first in the pipeline, so that no turn guard, state, stats or
 * transcript ever sees them. `undefined`: every tenant is served (start-up warns about it).
 */
export function teamsTenantMiddleware(allowed: readonly string[] | undefined, logger: Logger): Middleware {
  const tenants = allowed ? new Set(allowed.map((id) => id.toLowerCase())) : undefined;
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const activity = context.activity;
      if (!tenants || activity.channelId !== 'msteams') return next();
      const claimed = tenantIdsOf(activity);
      // Both places Teams writes the tenant must agree with the list; an activity naming none is refused too.
      if (claimed.length > 0 && claimed.every((id) => tenants.has(id))) return next();
      logger.info({ tenants: claimed, type: activity.type }, 'activité Teams refusée : tenant non autorisé');
      if (expectsAnswer(activity))
        await context.sendActivity({
          type: ActivityTypes.Message,
          text: t('bot.teamsTenantRefused'),
          locale: 'fr-FR',
        });
    },
  };
}

/** `conversation.tenantId` and `channelData.tenant.id`, lower-cased, where present. */
export function tenantIdsOf(activity: Partial<Activity>): string[] {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  return [activity.conversation?.tenantId, channelData?.tenant?.id]
    .filter((id): id is string => typeof id === 'string' && id.trim() !== '')
    .map((id) => id.trim().toLowerCase());
}

/** A message, or the app being added: the teacher sees something. Reactions, typing and removals get nothing. */
function expectsAnswer(activity: Partial<Activity>): boolean {
  if (activity.type === ActivityTypes.Message) return true;
  if (activity.type === ActivityTypes.InstallationUpdate) return activity.action?.startsWith('add') === true;
  if (activity.type === ActivityTypes.ConversationUpdate) return (activity.membersAdded?.length ?? 0) > 0;
  return false;
}
