import { academieNamed } from '../../src/domain/academies/names';
import type { AcademieProfile } from '../../src/domain/academies/profiles';
import { t } from '../../src/i18n';
import type { AnswerContext } from './types';

/**
 * What the answers say of the teacher's académie (issue 14): its webmail (hedged when only the common
 * pattern is known), its login rule when it published one, its helpdesk when the profile has one.
 */

/** The académie the message names (« le webmail de Lyon ? »), else the conversation's. */
export function academieAbout(text: string, ctx: Pick<AnswerContext, 'academie' | 'academies'>) {
  return (ctx.academies ? academieNamed(text, ctx.academies) : undefined) ?? ctx.academie;
}

/**
 * Where the webmail is: WEBMAIL_URL when the deployment serves one académie, else the académie's (with
 * « probablement …, à vérifier » for the unchecked pattern), else where to find it.
 */
export function webmailFr(ctx: Pick<AnswerContext, 'webmailUrl'>, academie?: AcademieProfile): string {
  if (ctx.webmailUrl) return ctx.webmailUrl;
  if (!academie) return t('answers.academie.webmail.unknown');
  const { url, confirmed } = academie.webmail;
  return t(confirmed ? 'answers.academie.webmail.confirmed' : 'answers.academie.webmail.unconfirmed', {
    url,
    name: academie.name,
  });
}

/** The login rule: the académie's own when published, else the general one (domain.md §5). */
export function loginFr(academie?: AcademieProfile): string {
  return academie?.login ? `${academie.login}.` : t('answers.academie.login.general');
}

/** The domain of the example address `prenom.nom@…`: the académie's own when known. */
export function addressDomain(academie?: AcademieProfile): string {
  return academie?.domains[0] ?? 'ac-paris.fr';
}

/** The académie's helpdesk, as its profile gives it; undefined when the profile has none. */
export function contactFr(academie?: AcademieProfile): string | undefined {
  const contact = academie?.contact;
  if (!academie || !contact) return undefined;
  const lines = [t('answers.academie.contact.intro', { name: academie.name })];
  if (contact.site) lines.push(t('answers.academie.contact.site', { site: contact.site }));
  if (contact.email) lines.push(t('answers.academie.contact.email', { email: contact.email }));
  if (contact.phone) lines.push(t('answers.academie.contact.phone', { phone: contact.phone }));
  if (contact.hours) lines.push(t('answers.academie.contact.hours', { hours: contact.hours }));
  return lines.join('\n');
}
