import { academieNamed } from '../../src/domain/academies/names';
import { checkPassword, type PasswordPolicy } from '../../src/domain/accounts/password-policy';
import { describeRules, describeUnmet } from '../../src/domain/accounts/password-rules-fr';
import { formatDayFr } from '../../src/domain/calendar/format';
import { candidatePasswordIn } from '../../src/domain/understanding/candidate-password';
import { normaliseText } from '../../src/domain/understanding/normalise';
import { containsNumen } from '../../src/domain/understanding/numen';
import { t, tList } from '../../src/i18n';
import { addressDomain, contactFr, loginFr, webmailFr } from './academie-fr';
import { CREATE_ACCOUNT_HINT, onceHint } from './dates';
import { mentions } from './keywords';
import type { AnswerContext } from './types';

/**
 * The help topics of domain.md §2–§5. None of them repeats the message: a teacher may have pasted a
 * NUMEN or a password into it.
 */

export function webmailAnswer(text: string, ctx: AnswerContext): string[] {
  const password = mentions(text, 'password');
  if (password && mentions(text, 'webmailForgot')) return [t('answers.webmail.forgotPassword')];
  const withNext = (...lines: string[]) => {
    // « écrivez « créer mon compte » pour continuer » is the account hint: once, and not while creating it.
    const next = onceHint(ctx, CREATE_ACCOUNT_HINT, t('answers.webmail.next'));
    return next === undefined ? lines : [...lines, next];
  };
  // « le webmail de l’académie de Lyon ? » is about Lyon, whatever académie the conversation knows.
  const named = ctx.academies ? academieNamed(text, ctx.academies) : undefined;
  const academie = named ?? ctx.academie;
  // « c'est quoi » asks for the initial password only when nothing else is asked: not « c'est quoi le lien
  // du webmail ? », nor « mon identifiant c'est quoi ? ».
  const initial =
    mentions(text, 'initial') &&
    !mentions(text, 'webmailSite') &&
    !mentions(text, 'login') &&
    !mentions(text, 'address');
  if (password || initial) return withNext(t('answers.webmail.initialPassword'));
  if (mentions(text, 'accents')) return withNext(t('answers.webmail.accents'));
  if (named && mentions(text, 'otherAcademie') && !ctx.webmailUrl)
    return withNext(
      t('answers.academie.webmail.of', { name: named.name, webmail: webmailFr(ctx, named) }),
      t('answers.webmail.otherAcademie'),
    );
  if (mentions(text, 'otherAcademie')) return withNext(t('answers.webmail.otherAcademie'));
  if (mentions(text, 'fullMailbox')) return withNext(t('answers.webmail.fullMailbox'));
  if (mentions(text, 'login'))
    return withNext(
      academie?.login
        ? t('answers.academie.login.rule', { name: academie.name, rule: academie.login })
        : t('answers.webmail.login'),
    );
  // « l’adresse du webmail » asks where the webmail is, not how the mail address is made.
  if (mentions(text, 'address') && !mentions(text, 'webmailSite'))
    return withNext(t('answers.webmail.address', { domain: addressDomain(academie) }));
  const general = t('answers.webmail.general', {
    url: webmailFr(ctx, academie),
    login: loginFr(academie),
    domain: addressDomain(academie),
  });
  // Nothing says which académie: the teacher can tell, and gets its webmail.
  const ask = academie || ctx.webmailUrl ? [] : [t('answers.academie.webmail.askAcademie')];
  return withNext(general, ...ask, t('answers.webmail.neverReceived'));
}

export function mailNotReceivedAnswer(text: string, ctx: Pick<AnswerContext, 'academie'> = {}): string[] {
  const next = t('answers.mail.next');
  // The académie's helpdesk, when its profile has one: the next step if the mail still does not come.
  const contact = contactFr(ctx.academie);
  const tail = contact ? [next, contact] : [next];
  if (mentions(text, 'personalAddress'))
    return [t('answers.mail.personalAddress', { domain: addressDomain(ctx.academie) }), ...tail];
  if (mentions(text, 'lostMail')) return [t('answers.mail.lost'), ...tail];
  return [t('answers.mail.general'), ...tail];
}

/** The rules of the election's policy; a special character is said to be allowed when not required. */
export function passwordRulesAnswer(text: string, ctx: Pick<AnswerContext, 'calendar'>): string[] {
  const policy = ctx.calendar.passwordPolicy;
  const candidate = candidatePasswordIn(text);
  if (candidate !== undefined) return candidateAnswer(candidate, policy);
  const required = t('answers.password.rules', { rules: describeRules(policy) });
  const rules = policy.special ? required : `${required} ${t('answers.password.specialAllowed')}`;
  const first = mentions(text, 'refused') ? `${t('answers.password.refused')} ${rules}` : rules;
  return [`${first} ${t('answers.password.notThese')}`, t('answers.password.next')];
}

/**
 * « Est-ce que Soleil2014 ça passe ? »: checked against the election's policy, the unmet rules named, and
 * never repeated. Whatever the check says, a password written in the chat is no longer secret: the
 * teacher is told to choose another one and to type it only where the bot asks for it.
 */
function candidateAnswer(candidate: string, policy: PasswordPolicy): string[] {
  const check = checkPassword(candidate, policy);
  const rules = describeRules(policy);
  const verdict = check.ok
    ? t('answers.password.candidate.ok', { rules })
    : t('answers.password.candidate.weak', { problems: describeUnmet(check.unmet, policy), rules });
  return [verdict, t('answers.password.candidate.written')];
}

/** The voter password; the webmail one is the académie's business (webmailAnswer). */
export function forgotPasswordAnswer(text: string): string[] {
  if (mentions(text, 'webmail')) return [t('answers.webmail.forgotPassword')];
  const lines = mentions(text, 'blocked')
    ? [t('answers.forgot.blocked'), t('answers.forgot.voter')]
    : [t('answers.forgot.voter')];
  return [lines.join(' '), `${t('answers.forgot.helpdesk')} ${t('answers.forgot.notice')}`];
}

/** Never echoes the NUMEN: when the message holds one, it says so without repeating it. */
export function numenAnswer(text: string): string[] {
  if (containsNumen(text)) {
    return [`${t('answers.numen.shared')} ${t('answers.numen.never')}`, t('answers.numen.where')];
  }
  if (mentions(text, 'numenWhere')) return [t('answers.numen.where'), t('answers.numen.never')];
  return [`${t('answers.numen.what')} ${t('answers.numen.never')}`, t('answers.numen.where')];
}

export function voteCredentialsAnswer(text: string, ctx: Pick<AnswerContext, 'calendar'>): string[] {
  const { voteNoticeBy, timeZone } = ctx.calendar;
  // The date comes from the calendar file: the next election brings its own.
  const noticeBy = voteNoticeBy
    ? t('answers.credentials.noticeBy', { day: formatDayFr(voteNoticeBy, timeZone) })
    : '';
  const intro = tList('answers.credentials.intro', { noticeBy }).join('\n');
  // A lost notice: the secretariat or the académie; the 2014 procedure is not confirmed (§2.1), so the
  // « réassort » of 2018 and 2022 is given as what happened then, not as this election's rule.
  // « elle devait arriver quand cette notice ? », « on reçoit les identifiants quand ? »: the day the
  // notice was due (the only « when » of the credentials), and what to do without it.
  if (/\b(quand|quel jour|quelle date)\b/i.test(normaliseText(text.slice(0, 500))))
    return [`${t('answers.credentials.noticeWhen', { noticeBy })} ${t('answers.credentials.missing')}`];
  if (mentions(text, 'missingNotice'))
    return [`${t('answers.credentials.missing')} ${t('answers.credentials.reassort')}`, intro];
  return [`${intro}\n${t('answers.credentials.different')}`, t('answers.credentials.next')];
}

/**
 * Usually yes, with the conditions the sources give for contractual staff (§1.5), never an absolute. A
 * situation named (stagiaire, contractuel or AESH, en congé) gets its own line first.
 */
export function eligibilityAnswer(text = ''): string[] {
  const check = t('answers.eligibility.check');
  if (mentions(text, 'contract')) return [t('answers.eligibility.contract'), check];
  if (mentions(text, 'onLeave')) return [t('answers.eligibility.onLeave'), check];
  if (mentions(text, 'trainee')) return [t('answers.eligibility.trainees'), check];
  return [
    `${t('answers.eligibility.who')} ${t('answers.eligibility.conditions')} ${t('answers.eligibility.leave')}`,
    check,
  ];
}
