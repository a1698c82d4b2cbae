import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domain/accounts/password-policy';
import { t, tList } from '../../i18n';
import { escapeHtml } from '../html';

/** Where the form's stylesheet is served (the page also uses /static/page.css). */
export const PASSWORD_ENTRY_CSS_PATH = '/static/mot-de-passe.css';

/** Field names of the form: what the POST body carries. */
export const FIELD_PASSWORD = 'password';
export const FIELD_CONFIRMATION = 'confirmation';

export interface FormProblem {
  /** « il manque une majuscule… », or empty. */
  readonly unmet: string;
  readonly mismatch: boolean;
}

/**
 * The password form: two masked fields, the rules listed and tied to the first field, no script. After a
 * refused submit, the problems come first (role="alert") and the fields are empty: what was typed is never
 * sent back.
 */
export function renderPasswordForm(problem?: FormProblem): string {
  const esc = escapeHtml;
  const rules = tList('password-entry.page.rules', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })
    .map((rule) => `          <li>${esc(rule)}</li>`)
    .join('\n');
  const paragraphs = tList('password-entry.page.paragraphs')
    .map((p) => `      <p>${esc(p)}</p>`)
    .join('\n');
  const errors: string[] = [];
  if (problem?.unmet) errors.push(t('password-entry.page.weak', { problems: problem.unmet }));
  if (problem?.mismatch) errors.push(t('password-entry.page.mismatch'));
  const errorBlock =
    errors.length > 0
      ? `
      <div class="error" id="erreurs" role="alert">
        <h2>${esc(t('password-entry.page.errorTitle'))}</h2>
${[...errors, t('password-entry.page.retry')].map((e) => `        <p>${esc(e)}</p>`).join('\n')}
      </div>`
      : '';
  const invalid = errors.length > 0 ? ' aria-invalid="true"' : '';
  const describedBy = errors.length > 0 ? 'erreurs regles' : 'regles';
  const title = t('password-entry.page.title');
  return `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>${errors.length > 0 ? `${esc(t('password-entry.page.errorTitle'))} – ` : ''}${esc(title)} – ${esc(t('pages.siteName'))}</title>
    <link rel="stylesheet" href="/static/page.css">
    <link rel="stylesheet" href="${PASSWORD_ENTRY_CSS_PATH}">
  </head>
  <body>
    <header><p class="site">${esc(t('pages.siteName'))}</p></header>
    <main class="success">
      <h1>${esc(title)}</h1>
${paragraphs}${errorBlock}
      <form method="post">
        <p id="regles-titre">${esc(t('password-entry.page.rulesTitle'))}</p>
        <ul id="regles" aria-labelledby="regles-titre">
${rules}
        </ul>
        <div class="field">
          <label for="mot-de-passe">${esc(t('password-entry.page.password'))}</label>
          <input type="password" id="mot-de-passe" name="${FIELD_PASSWORD}" autocomplete="new-password" required aria-describedby="${describedBy}"${invalid}>
        </div>
        <div class="field">
          <label for="confirmation">${esc(t('password-entry.page.confirmation'))}</label>
          <input type="password" id="confirmation" name="${FIELD_CONFIRMATION}" autocomplete="new-password" required${invalid}>
        </div>
        <button type="submit">${esc(t('password-entry.page.submit'))}</button>
      </form>
    </main>
  </body>
</html>
`;
}
