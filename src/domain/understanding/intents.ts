/**
 * The intents of the dev corpus (../shared/corpus/utterances-dev.tsv), with their names as labelled there,
 * then the everyday questions about voting added for issue 11 (domain.md §2.1), what happens to the
 * teacher's data (the privacy notice of issue 12), and the académie's helpdesk and local time (issue 14).
 */
export const INTENTS = [
  'ask_account_open',
  'ask_deadline_account',
  'ask_vote_open',
  'ask_vote_close',
  'ask_results_date',
  'ask_now_status',
  'start_activation',
  'webmail_help',
  'mail_not_received',
  'password_rules',
  'forgot_password',
  'numen_question',
  'ask_vote_credentials',
  'ask_eligibility',
  'greeting',
  'help',
  'smalltalk',
  'off_topic',
  'vote_compulsory',
  'vote_hours',
  'vote_abroad',
  'voting_site',
  'privacy',
  'ask_contact',
  'ask_local_time',
] as const;

export type Intent = (typeof INTENTS)[number];

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}
