import type { PasswordPolicy } from '../domain/accounts/password-policy';
import { describeRules } from '../domain/accounts/password-rules-fr';
import type { ClosedLinkState, OpenLink } from '../domain/accounts/ports';
import { formatDateTimeFr } from '../domain/calendar/format';
import { t, tList } from '../i18n';
import { escapeHtml, PAGE_CSS_URL, renderPage, renderShell } from './html';
import { PASSWORD_ENTRY_CSS } from './password-entry/styles';

/** The form's stylesheet (the page also uses /static/page.css). */
export const CONFIRMATION_CSS_PATH = '/static/confirmation.css';

/**
 * The password page's form styles (one source for both forms), plus the warning box. Served as a
 * stylesheet: the page policy refuses inline styles. Contrast checked against WCAG AA.
 */
export const CONFIRMATION_CSS = `${PASSWORD_ENTRY_CSS}.warning {
  border-left: 0.375rem solid #b34000;
  padding: 0.5rem 1rem;
  margin: 1rem 0;
  background: #fff4ed;
}
.warning h2 {
  font-size: 1.125rem;
  margin: 0 0 0.25rem;
}
.hint {
  margin: 0.25rem 0 0.5rem;
  color: #3a3a3a;
}
h2 {
  font-size: 1.25rem;
  margin: 1.75rem 0 0.5rem;
}
`;

/** Field names of the form: what the POST body carries. */
export const FIELD_TOKEN = 'jeton';
export const FIELD_PASSWORD = 'password';

/** Where the closed pages and the form send the teacher next: the chat page. */
const NEXT = { href: '/', text: () => t('pages.confirmation.next') };

export type FormProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'wrong'; readonly attemptsLeft: number };

/** The reference time of the elections: request times are said « heure de Paris ». */
const PARIS = 'Europe/Paris';

/**
 * The confirmation form of an open link: when and from which channel the request was made, a warning when
 * the address had several requests lately, one masked field for the password chosen in the chat, and what
 * to do without a request or without the password. The hint recalls the election's rules, so that the
 * teacher tells the voter password from the webmail one. No script; the token travels in a hidden field (the
 * page is never cached, framed nor referred). After a refused submit the problem comes first in the form
 * (role="alert", tied to the field) and the field is empty: what was typed is never sent back.
 */
export function renderConfirmationForm(
  token: string,
  link: OpenLink,
  policy: PasswordPolicy,
  problem?: FormProblem,
): string {
  const e = escapeHtml;
  const requestedAt = formatDateTimeFr(new Date(link.requestedAt), PARIS);
  const channel = link.channel ? channelLabel(link.channel) : undefined;
  const requested = channel
    ? t('pages.confirmation.form.requestedVia', { requestedAt, channel })
    : t('pages.confirmation.form.requested', { requestedAt });
  const warning =
    link.recentRequests >= 2
      ? `
      <div class="warning" role="note" aria-labelledby="attention">
        <h2 id="attention">${e(t('pages.confirmation.form.warningTitle'))}</h2>
        <p>${e(t('pages.confirmation.form.warning', { count: link.recentRequests }))}</p>
      </div>`
      : '';
  const message = problem ? problemText(problem) : undefined;
  const errorBlock = message
    ? `
        <div class="error" id="erreur" role="alert">
          <h2>${e(t('pages.confirmation.form.errorTitle'))}</h2>
          <p>${e(message)}</p>
        </div>`
    : '';
  const describedBy = message ? 'erreur aide-mot-de-passe' : 'aide-mot-de-passe';
  const invalid = message ? ' aria-invalid="true"' : '';
  const extra = `${warning}
      <p>${e(t('pages.confirmation.form.instruction'))}</p>
      <form method="post" action="/confirmation">${errorBlock}
        <input type="hidden" name="${FIELD_TOKEN}" value="${e(token)}">
        <div class="field">
          <label for="mot-de-passe">${e(t('pages.confirmation.form.password'))}</label>
          <p class="hint" id="aide-mot-de-passe">${e(t('pages.confirmation.form.hint', { rules: describeRules(policy) }))}</p>
          <input type="password" id="mot-de-passe" name="${FIELD_PASSWORD}" autocomplete="current-password" required aria-describedby="${describedBy}"${invalid}>
        </div>
        <button type="submit">${e(t('pages.confirmation.form.submit'))}</button>
      </form>
      <p>${e(t('pages.confirmation.form.never'))}</p>
      <h2>${e(t('pages.confirmation.form.notYouTitle'))}</h2>
      <p>${e(t('pages.confirmation.form.notYou'))}</p>
      <h2>${e(t('pages.confirmation.form.forgottenTitle'))}</h2>
      <p>${e(t('pages.confirmation.form.forgotten'))}</p>`;
  const title = t('pages.confirmation.form.title');
  const siteName = t('pages.siteName');
  // The page of renderPage, with a document title of its own: after a refused submit it starts with the
  // problem, which is what a screen reader announces when the page loads; the heading stays the same.
  return renderShell({
    title: message ? `${t('pages.confirmation.form.errorTitle')} – ${title}` : title,
    siteName,
    stylesheets: [PAGE_CSS_URL, CONFIRMATION_CSS_PATH],
    banner: `<p class="site">${e(siteName)}</p>`,
    main: {
      className: message ? 'problem' : 'success',
      html: `      <h1>${e(title)}</h1>
      <p>${e(requested)}</p>${extra}
      <p><a href="${NEXT.href}">${e(NEXT.text())}</a></p>`,
    },
  });
}

function problemText(problem: FormProblem): string {
  if (problem.kind === 'missing') return t('pages.confirmation.form.missingPassword');
  return problem.attemptsLeft === 1
    ? t('pages.confirmation.form.wrongPasswordOne')
    : t('pages.confirmation.form.wrongPasswordMany', { count: problem.attemptsLeft });
}

/** The channel of a request in words; an unknown id is not shown as such (it could be anything). */
export function channelLabel(channel: string): string {
  switch (channel) {
    case 'msteams':
      return t('pages.confirmation.channels.msteams');
    case 'webchat':
      return t('pages.confirmation.channels.webchat');
    case 'directline':
      return t('pages.confirmation.channels.directline');
    case 'emulator':
      return t('pages.confirmation.channels.emulator');
    default:
      return t('pages.confirmation.channels.other');
  }
}

export type ClosedPage = ClosedLinkState | 'confirmed' | 'unavailable' | 'tooMany' | 'badForm';

/** Literal keys, so that the locale tests see each of them. */
const PAGES: Record<ClosedPage, { readonly title: string; readonly paragraphs: string }> = {
  confirmed: {
    title: 'pages.confirmation.confirmed.title',
    paragraphs: 'pages.confirmation.confirmed.paragraphs',
  },
  unknown: { title: 'pages.confirmation.unknown.title', paragraphs: 'pages.confirmation.unknown.paragraphs' },
  expired: { title: 'pages.confirmation.expired.title', paragraphs: 'pages.confirmation.expired.paragraphs' },
  used: { title: 'pages.confirmation.used.title', paragraphs: 'pages.confirmation.used.paragraphs' },
  replaced: {
    title: 'pages.confirmation.replaced.title',
    paragraphs: 'pages.confirmation.replaced.paragraphs',
  },
  superseded: {
    title: 'pages.confirmation.superseded.title',
    paragraphs: 'pages.confirmation.superseded.paragraphs',
  },
  cancelled: {
    title: 'pages.confirmation.cancelled.title',
    paragraphs: 'pages.confirmation.cancelled.paragraphs',
  },
  spent: { title: 'pages.confirmation.spent.title', paragraphs: 'pages.confirmation.spent.paragraphs' },
  unavailable: {
    title: 'pages.confirmation.unavailable.title',
    paragraphs: 'pages.confirmation.unavailable.paragraphs',
  },
  tooMany: { title: 'pages.confirmation.tooMany.title', paragraphs: 'pages.confirmation.tooMany.paragraphs' },
  badForm: { title: 'pages.confirmation.badForm.title', paragraphs: 'pages.confirmation.badForm.paragraphs' },
};

/** A page that closes the flow (or asks to come back later), with the way on to the chat page. */
export function renderClosedPage(page: ClosedPage, params: Readonly<Record<string, string>>): string {
  return renderPage(
    {
      title: t(PAGES[page].title),
      paragraphs: tList(PAGES[page].paragraphs, params),
      tone: page === 'confirmed' || page === 'used' ? 'success' : 'problem',
      link: { href: NEXT.href, text: NEXT.text() },
    },
    t('pages.siteName'),
  );
}
