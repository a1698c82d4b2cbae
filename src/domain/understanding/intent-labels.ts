import { t } from '../../i18n';
import type { Intent } from './intents';

/** The label of the choice offered for an intent when the bot is not sure (« Fin du vote »); also the console's. */
export function intentLabel(intent: Intent): string {
  return t(`bot.intentLabels.${intent}`);
}
