import { type PasswordPolicy, requiredCharacters } from '../../domain/accounts/password-policy';
import { t, tList } from '../../i18n';
import { escapeHtml, PAGE_CSS_URL, renderShell } from '../html';

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
 * « au moins 12 caractères (128 au plus), », « une majuscule, », … « un caractère spécial (…). »: the
 * election's rules, one list item each, in the words of the chat.
 */
export function ruleItems(policy: PasswordPolicy): string[] {
  const rules = [
    t('password-entry.page.rulesLength', { min: policy.minLength, max: policy.maxLength }),
    ...requiredCharacters(policy).map((rule) => t(`bot.password.rule.${rule}`)),
  ];
  return rules.map((rule, i) =>
    i === rules.length - 1
      ? t('password-entry.page.ruleLast', { rule })
      : t('password-entry.page.ruleItem', { rule }),
  );
}

/**
 * The password form: two masked fields, the election's rules listed and tied to the first field, no
 * script. After a refused submit, the problems come first (role="alert") and the fields are empty: what
 * was typed is never sent back.
 */
export function renderPasswordForm(policy: PasswordPolicy, problem?: FormProblem): string {
  const esc = escapeHtml;
  const rules = ruleItems(policy)
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
  const form = `${errorBlock}
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
      </form>`;
  const siteName = t('pages.siteName');
  return renderShell({
    title: errors.length > 0 ? `${t('password-entry.page.errorTitle')} – ${title}` : title,
    siteName,
    stylesheets: [PAGE_CSS_URL, PASSWORD_ENTRY_CSS_PATH],
    banner: `<p class="site">${esc(siteName)}</p>`,
    // After a refused submit the page is an error page, and looks like one (page.css: main.problem).
    main: {
      className: errors.length > 0 ? 'problem' : 'success',
      html: `      <h1>${esc(title)}</h1>\n${paragraphs}${form}`,
    },
  });
}
