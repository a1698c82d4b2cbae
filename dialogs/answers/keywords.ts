import { normaliseText } from '../../src/domain/understanding/normalise';
import { tList } from '../../src/i18n';

/**
 * Picks the variant of an answer from words of the message (« bloqué », « gmail »…), once the intent is
 * known. The lists live in locales/fr/answers.json under `keywords`: whole words or phrases, a final « * »
 * for a word start (« inscri* » matches « inscrire », « inscription »).
 */
export type KeywordList =
  | 'createAccount'
  | 'vote'
  | 'results'
  | 'openQuestion'
  | 'webmailForgot'
  | 'password'
  | 'webmail'
  | 'webmailSite'
  | 'initial'
  | 'accents'
  | 'otherAcademie'
  | 'fullMailbox'
  | 'address'
  | 'login'
  | 'personalAddress'
  | 'lostMail'
  | 'refused'
  | 'blocked'
  | 'numenWhere'
  | 'missingNotice'
  | 'thanks'
  | 'goodbye'
  | 'robot'
  | 'howAreYou'
  | 'union'
  | 'closedAsk'
  | 'compulsory'
  | 'missedAsk'
  | 'stillAsk'
  | 'notice'
  | 'closing'
  | 'opening'
  | 'trainee'
  | 'contract'
  | 'onLeave'
  | 'night'
  | 'saturday'
  | 'sunday'
  | 'weekend'
  | 'weekdays'
  | 'always';

const KEYS: Record<KeywordList, string> = {
  createAccount: 'answers.keywords.createAccount',
  vote: 'answers.keywords.vote',
  results: 'answers.keywords.results',
  openQuestion: 'answers.keywords.openQuestion',
  webmailForgot: 'answers.keywords.webmailForgot',
  password: 'answers.keywords.password',
  webmail: 'answers.keywords.webmail',
  webmailSite: 'answers.keywords.webmailSite',
  initial: 'answers.keywords.initial',
  accents: 'answers.keywords.accents',
  otherAcademie: 'answers.keywords.otherAcademie',
  fullMailbox: 'answers.keywords.fullMailbox',
  address: 'answers.keywords.address',
  login: 'answers.keywords.login',
  personalAddress: 'answers.keywords.personalAddress',
  lostMail: 'answers.keywords.lostMail',
  refused: 'answers.keywords.refused',
  blocked: 'answers.keywords.blocked',
  numenWhere: 'answers.keywords.numenWhere',
  missingNotice: 'answers.keywords.missingNotice',
  thanks: 'answers.keywords.thanks',
  goodbye: 'answers.keywords.goodbye',
  robot: 'answers.keywords.robot',
  howAreYou: 'answers.keywords.howAreYou',
  union: 'answers.keywords.union',
  closedAsk: 'answers.keywords.closedAsk',
  compulsory: 'answers.keywords.compulsory',
  missedAsk: 'answers.keywords.missedAsk',
  stillAsk: 'answers.keywords.stillAsk',
  notice: 'answers.keywords.notice',
  closing: 'answers.keywords.closing',
  opening: 'answers.keywords.opening',
  trainee: 'answers.keywords.trainee',
  contract: 'answers.keywords.contract',
  onLeave: 'answers.keywords.onLeave',
  night: 'answers.keywords.night',
  saturday: 'answers.keywords.saturday',
  sunday: 'answers.keywords.sunday',
  weekend: 'answers.keywords.weekend',
  weekdays: 'answers.keywords.weekdays',
  always: 'answers.keywords.always',
};

const patterns = new Map<KeywordList, RegExp>();

/** Words only: « c’est-à-dire », « mot-de-passe » and « mot de passe » compare alike. */
function words(text: string): string {
  return ` ${normaliseText(text)
    .replace(/[^a-z0-9']+/g, ' ')
    .trim()} `;
}

function pattern(list: KeywordList): RegExp {
  const cached = patterns.get(list);
  if (cached) return cached;
  const alternatives = tList(KEYS[list]).map((keyword) => {
    const prefix = keyword.endsWith('*');
    const body = words(prefix ? keyword.slice(0, -1) : keyword)
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return prefix ? `${body}` : `${body}(?=[ '])`;
  });
  const built = new RegExp(`[ '](?:${alternatives.join('|')})`);
  patterns.set(list, built);
  return built;
}

/** True when the message contains one of the words of `list`. */
export function mentions(text: string, list: KeywordList): boolean {
  return pattern(list).test(words(text));
}
