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

export interface PageContent {
  readonly title: string;
  /** Paragraphs of plain text; escaped here. */
  readonly paragraphs: readonly string[];
  /** A link to the next action, if any. */
  readonly link?: { readonly href: string; readonly text: string };
  readonly tone: 'success' | 'problem';
}

/** A small accessible French page: one heading, short paragraphs, a next step. */
export function renderPage(page: PageContent, siteName: string): string {
  const paragraphs = page.paragraphs.map((p) => `      <p>${escapeHtml(p)}</p>`).join('\n');
  const link = page.link
    ? `\n      <p><a href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.text)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>${escapeHtml(page.title)} – ${escapeHtml(siteName)}</title>
    <link rel="stylesheet" href="/static/page.css">
  </head>
  <body>
    <header><p class="site">${escapeHtml(siteName)}</p></header>
    <main class="${page.tone}">
      <h1>${escapeHtml(page.title)}</h1>
${paragraphs}${link}
    </main>
  </body>
</html>
`;
}
