import { t } from '../../src/i18n';
import { mentions } from './keywords';

/** Small talk: the teacher should always know a real person exists elsewhere, and what to do next. */
export function smalltalkAnswer(text: string): string[] {
  if (mentions(text, 'robot')) return [t('answers.smalltalk.robot')];
  if (mentions(text, 'goodbye')) return [t('answers.smalltalk.goodbye')];
  if (mentions(text, 'thanks')) return [t('answers.smalltalk.thanks')];
  if (mentions(text, 'howAreYou')) return [t('answers.smalltalk.howAreYou')];
  return [t('answers.smalltalk.other')];
}

/**
 * Outside the bot's scope. Which union or list to vote for gets a strictly neutral answer (domain.md §0.6):
 * no name, no opinion, only where the candidates' own texts are.
 */
export function offTopicAnswer(text: string): string[] {
  if (mentions(text, 'union')) return [t('answers.offTopic.neutral'), t('answers.offTopic.neutralNext')];
  return [t('answers.offTopic.scope'), t('answers.offTopic.can'), t('answers.offTopic.elsewhere')];
}
