import type { Request, Response } from 'restify';
import type { LegalNotice } from '../../config';
import { formatDayFr } from '../../domain/calendar/format';
import { t, tList } from '../../i18n';
import { ACCESSIBILITY_PATH, escapeHtml as e, PAGE_CSS_URL, PRIVACY_PATH, renderShell } from '../html';
import { sendHtml } from '../respond';
import type { Mount } from '../server';

/** How long each kind of data is kept, from the configuration and the stores' own constants. */
export interface Retention {
  readonly transcriptDays: number;
  readonly stateDays: number;
  readonly linkHours: number;
  readonly graceDays: number;
  readonly confirmedUntil: Date;
  readonly auditDays: number;
  readonly timeZone: string;
}

export interface LegalPagesOptions {
  readonly legal: LegalNotice;
  readonly retention: Retention;
  readonly version: string;
}

const CNIL_COMPLAINT = 'https://www.cnil.fr/fr/plaintes';
const DEFENSEUR_FORM = 'https://formulaire.defenseurdesdroits.fr/';
const DEFENSEUR_DELEGATES = 'https://www.defenseurdesdroits.fr/saisir/delegues';

/**
 * What French public services must show: the privacy notice (RGPD art. 13) at /donnees-personnelles and
 * the accessibility statement (RGAA) at /accessibilite, linked from the footer of every page. Operator
 * details come from the configuration; outside production a missing one shows a visible placeholder
 * (production refuses to start without them).
 */
export function legalPagesMount(options: LegalPagesOptions): Mount {
  const privacy = renderPrivacy(options);
  const accessibility = renderAccessibility(options);
  return (server) => {
    server.get(PRIVACY_PATH, async (_req: Request, res: Response) => sendHtml(res, 200, privacy));
    server.get(ACCESSIBILITY_PATH, async (_req: Request, res: Response) => sendHtml(res, 200, accessibility));
  };
}

function renderPrivacy({ legal, retention }: LegalPagesOptions): string {
  const title = t('legal.privacy.title');
  const days = (key: string, params: Record<string, string | number>) => tList(key, params);
  const body = [
    paragraph(t('legal.privacy.intro')),
    section(t('legal.privacy.controllerTitle'), [
      paragraphHtml(
        e(t('legal.privacy.controller', { controller: '\u0000' })).replace(
          '\u0000',
          e(legal.controller ?? placeholder('DATA_CONTROLLER')),
        ),
      ),
    ]),
    section(t('legal.privacy.purposeTitle'), [
      list(tList('legal.privacy.purposes')),
      paragraph(t('legal.privacy.basis')),
    ]),
    section(t('legal.privacy.dataTitle'), [
      list(tList('legal.privacy.data')),
      paragraph(t('legal.privacy.neverNumen')),
    ]),
    section(t('legal.privacy.retentionTitle'), [
      list(
        days('legal.privacy.retention', {
          transcriptDays: retention.transcriptDays,
          stateDays: retention.stateDays,
          linkHours: retention.linkHours,
          graceDays: retention.graceDays,
          confirmedUntil: formatDayFr(retention.confirmedUntil, retention.timeZone),
          auditDays: retention.auditDays,
        }),
      ),
    ]),
    section(t('legal.privacy.readersTitle'), [paragraph(t('legal.privacy.readers'))]),
    section(t('legal.privacy.rightsTitle'), [
      paragraphHtml(
        withContact(
          t('legal.privacy.rights', { rightsContact: '\u0000' }),
          legal.rightsContact,
          'RIGHTS_CONTACT',
        ),
      ),
    ]),
    section(t('legal.privacy.dpoTitle'), [
      paragraphHtml(
        withContact(t('legal.privacy.dpo', { dpoContact: '\u0000' }), legal.dpoContact, 'DPO_CONTACT'),
      ),
    ]),
    section(t('legal.privacy.complaintTitle'), [
      paragraphHtml(
        `${e(t('legal.privacy.complaint'))} <a href="${CNIL_COMPLAINT}">${e(t('legal.privacy.complaintLink'))}</a>.`,
      ),
    ]),
  ];
  return page(title, body);
}

function renderAccessibility({ legal, version }: LegalPagesOptions): string {
  const { status, audit, contact } = legal.accessibility;
  const title = t('legal.accessibility.title');
  const body = [
    paragraph(
      t('legal.accessibility.commitment', { controller: legal.controller ?? placeholder('DATA_CONTROLLER') }),
    ),
    paragraph(t('legal.accessibility.scope', { version })),
    section(t('legal.accessibility.statusTitle'), [
      paragraph(t(`legal.accessibility.status.${status}`)),
      ...(audit ? [paragraph(t('legal.accessibility.audit', { audit }))] : []),
    ]),
    section(t('legal.accessibility.checkedTitle'), [list(tList('legal.accessibility.checked'))]),
    section(t('legal.accessibility.gapsTitle'), [list(tList('legal.accessibility.gaps'))]),
    section(t('legal.accessibility.contactTitle'), [
      paragraphHtml(
        withContact(
          t('legal.accessibility.contact', { accessibilityContact: '\u0000' }),
          contact,
          'ACCESSIBILITY_CONTACT',
        ),
      ),
    ]),
    section(t('legal.accessibility.recourseTitle'), [
      paragraph(t('legal.accessibility.recourse')),
      `      <ul>
        <li><a href="${DEFENSEUR_FORM}">${e(t('legal.accessibility.recourseForm'))}</a></li>
        <li><a href="${DEFENSEUR_DELEGATES}">${e(t('legal.accessibility.recourseDelegates'))}</a></li>
        <li>${e(tList('legal.accessibility.recourseWays')[2] ?? '')}</li>
      </ul>`,
    ]),
  ];
  return page(title, body);
}

function page(title: string, body: readonly string[]): string {
  const siteName = t('pages.siteName');
  return renderShell({
    title,
    siteName,
    stylesheets: [PAGE_CSS_URL],
    banner: `<p class="site">${e(siteName)}</p>`,
    main: {
      className: 'notice',
      html: `      <h1>${e(title)}</h1>\n${body.join('\n')}\n      <p><a href="/">${e(t('legal.back'))}</a></p>`,
    },
  });
}

function placeholder(setting: string): string {
  return t('legal.placeholder', { setting });
}

/** The message with its contact as a link (mailto: or https), or the placeholder naming the setting. */
function withContact(message: string, contact: string | undefined, setting: string): string {
  const link = contact
    ? `<a href="${e(contact.includes('@') && !contact.startsWith('https:') ? `mailto:${contact}` : contact)}">${e(contact)}</a>`
    : e(placeholder(setting));
  return e(message).replace('\u0000', link);
}

function section(title: string, parts: readonly string[]): string {
  return `      <h2>${e(title)}</h2>\n${parts.join('\n')}`;
}

function paragraph(text: string): string {
  return `      <p>${e(text)}</p>`;
}

function paragraphHtml(html: string): string {
  return `      <p>${html}</p>`;
}

function list(items: readonly string[]): string {
  return `      <ul>\n${items.map((i) => `        <li>${e(i)}</li>`).join('\n')}\n      </ul>`;
}

export { ACCESSIBILITY_PATH, PRIVACY_PATH };
