import { t } from '../i18n';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const e = escapeHtml;

/** Where the legal pages are served (src/http/legal). */
export const PRIVACY_PATH = '/donnees-personnelles';
export const ACCESSIBILITY_PATH = '/accessibilite';

export type AccessibilityStatus = 'non-conforme' | 'partiellement-conforme' | 'totalement-conforme';

/**
 * The RGAA status every page's footer states (« Accessibilité : non conforme »). Set once by the
 * composition root from the configuration; every surface's pages carry it, so it is not threaded
 * through each renderer. Until then: « non conforme », what a service never audited declares.
 */
let accessibilityStatus: AccessibilityStatus = 'non-conforme';

export function setAccessibilityStatus(status: AccessibilityStatus): void {
  accessibilityStatus = status;
}

/** The mentions French public services show on every page: accessibility status, personal data. */
export function legalLinks(options: { newTab?: boolean } = {}): string {
  const status = t(`legal.status.${accessibilityStatus}`);
  // In the widget's frame, a link opened in place would replace the conversation.
  const target = options.newTab ? ' target="_blank" rel="noopener"' : '';
  return `<p class="legal"><a href="${ACCESSIBILITY_PATH}"${target}>${e(t('legal.footer.accessibility', { status }))}</a> · <a href="${PRIVACY_PATH}"${target}>${e(t('legal.footer.privacy'))}</a></p>`;
}

/** Where the shared stylesheet of the public pages is served. */
export const PAGE_CSS_URL = '/static/page.css';

export interface ShellInput {
  /** The document title (what the page is), before the site name. */
  readonly title: string;
  /** Appended to the title (« Page – Site »); absent when the title already names the site. */
  readonly siteName?: string;
  readonly stylesheets: readonly string[];
  /** More of <head>, already escaped: scripts, icon. */
  readonly head?: string;
  readonly bodyClass?: string;
  /** A skip link to the main content, first in the tab order. */
  readonly skipLink?: { readonly href: string; readonly text: string };
  /** The banner's inner HTML (already escaped); absent: no banner (the widget's frame). */
  readonly banner?: string;
  /** Navigation, already escaped (a <nav> element). */
  readonly nav?: string;
  readonly main: { readonly id?: string; readonly className?: string; readonly html: string };
  /** Footer's inner HTML, already escaped; the legal mentions are always added after it. */
  readonly footer?: string;
  /** Search engines never index a page of ours; the console also asks them not to follow its links. */
  readonly robots?: 'noindex' | 'noindex, nofollow';
}

/**
 * The one page shell of the product (public pages, the password page, the console, the chat page): French,
 * responsive viewport, not indexed, landmarks in the same order everywhere.
 */
export function renderShell(input: ShellInput): string {
  const styles = input.stylesheets.map((href) => `\n    <link rel="stylesheet" href="${e(href)}">`).join('');
  const skip = input.skipLink
    ? `\n    <a class="skip" href="${e(input.skipLink.href)}">${e(input.skipLink.text)}</a>`
    : '';
  const banner = input.banner === undefined ? '' : `\n    <header>${input.banner}</header>`;
  const nav = input.nav ? `\n    ${input.nav}` : '';
  const mainAttributes = [
    input.main.id ? ` id="${e(input.main.id)}" tabindex="-1"` : '',
    input.main.className ? ` class="${e(input.main.className)}"` : '',
  ].join('');
  const footer = `\n    <footer>${input.footer ?? ''}\n      ${legalLinks()}\n    </footer>`;
  const bodyClass = input.bodyClass ? ` class="${e(input.bodyClass)}"` : '';
  return `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="${input.robots ?? 'noindex'}">
    <title>${e(input.title)}${input.siteName ? ` – ${e(input.siteName)}` : ''}</title>${styles}${input.head ?? ''}
  </head>
  <body${bodyClass}>${skip}${banner}${nav}
    <main${mainAttributes}>
${input.main.html}
    </main>${footer}
  </body>
</html>
`;
}

export interface PageContent {
  readonly title: string;
  /** Paragraphs of plain text; escaped here. */
  readonly paragraphs: readonly string[];
  /** A link to the next action, if any. */
  readonly link?: { readonly href: string; readonly text: string };
  readonly tone: 'success' | 'problem';
  /** Escaped HTML after the paragraphs (a form). */
  readonly extra?: string;
  readonly stylesheets?: readonly string[];
}

/** A small accessible French public page: one heading, short paragraphs, a next step. */
export function renderPage(page: PageContent, siteName: string): string {
  const paragraphs = page.paragraphs.map((p) => `      <p>${e(p)}</p>`).join('\n');
  const link = page.link ? `\n      <p><a href="${e(page.link.href)}">${e(page.link.text)}</a></p>` : '';
  return renderShell({
    title: page.title,
    siteName,
    stylesheets: page.stylesheets ?? [PAGE_CSS_URL],
    banner: `<p class="site">${e(siteName)}</p>`,
    main: {
      className: page.tone,
      html: `      <h1>${e(page.title)}</h1>\n${paragraphs}${page.extra ?? ''}${link}`,
    },
  });
}
