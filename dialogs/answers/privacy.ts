import { t } from '../../src/i18n';
import type { AnswerContext } from './types';

/** The privacy notice page (issue 12), served by the bot's web server: one path, linked from the answers. */
export const PRIVACY_NOTICE_PATH = '/donnees-personnelles';

/** « Que faites-vous de mes données ? »: one short message, ending with the page that says it all. */
export function privacyAnswer(ctx: Pick<AnswerContext, 'baseUrl'>): string[] {
  const url = `${ctx.baseUrl ?? ''}${PRIVACY_NOTICE_PATH}`;
  return [`${t('answers.privacy.what')} ${t('answers.privacy.where', { url })}`];
}
