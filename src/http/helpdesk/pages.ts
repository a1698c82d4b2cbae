import {
  type AuditAction,
  type AuditPage,
  type AuditRecord,
  HOUR_MS,
  OTHER_ADDRESSES,
  UNKNOWN_ADDRESS,
} from '../../domain/audit/ports';
import { formatDateTimeFr, formatDayFr, formatHourFr } from '../../domain/calendar/format';
import { t } from '../../i18n';
import { escapeHtml, renderShell } from '../html';
import { type AccountView, type ConversationRow, frenchDayInput } from './search';
import { timeElement } from './time';

export const CSS_URL = '/helpdesk/static/helpdesk.css';

/** Everything interpolated below goes through escapeHtml: this helper keeps the call sites short. */
const e = escapeHtml;

export interface Link {
  readonly href: string;
  readonly text: string;
}

/**
 * The console's layout: banner, navigation, main content; no script at all. `problem`: the page answers a
 * form with an error, which the title says first (the first thing a screen reader reads of the page).
 */
export function layout(title: string, body: string, options: { readonly problem?: boolean } = {}): string {
  const siteName = t('helpdesk.siteName');
  return renderShell({
    title: options.problem ? t('helpdesk.errorTitle', { title }) : title,
    siteName,
    stylesheets: [CSS_URL],
    robots: 'noindex, nofollow',
    skipLink: { href: '#contenu', text: t('helpdesk.skipLink') },
    banner: `<p class="site">${e(siteName)}</p>`,
    nav: `<nav aria-label="${e(t('helpdesk.nav.label'))}">
      <ul>
        <li><a href="/helpdesk">${e(t('helpdesk.nav.search'))}</a></li>
        <li><a href="/helpdesk/handoffs">${e(t('helpdesk.nav.handoffs'))}</a></li>
        <li><a href="/helpdesk/stats">${e(t('helpdesk.nav.stats'))}</a></li>
        <li><a href="/helpdesk/audit">${e(t('helpdesk.nav.audit'))}</a></li>
      </ul>
    </nav>`,
    main: { id: 'contenu', html: `      <h1>${e(title)}</h1>\n${body}` },
  });
}

/** A short page: a message and the ways onward (refusals and action results never end the visit). */
export function messagePage(title: string, message: string, links: readonly Link[]): string {
  const onward =
    links.length === 0
      ? ''
      : `\n      <ul class="onward">\n${links.map((l) => `        <li><a href="${e(l.href)}">${e(l.text)}</a></li>`).join('\n')}\n      </ul>`;
  return layout(title, `      <p>${e(message)}</p>${onward}`);
}

/**
 * A table in its own scrolling region: on a phone or at 200 % zoom a wide table scrolls inside it rather
 * than the page (WCAG 1.4.10). The region is focusable so that a keyboard can scroll it, and named by the
 * table's caption.
 */
export function tableRegion(id: string, caption: string, table: string, className = ''): string {
  const classes = className ? ` class="${e(className)}"` : '';
  return `        <div class="table-region" role="region" tabindex="0" aria-labelledby="${e(id)}">
        <table${classes}>
          <caption id="${e(id)}">${e(caption)}</caption>
${table}
        </table>
        </div>`;
}

export interface SearchPageInput {
  readonly email?: string;
  /** What was typed in the day field (shown back as typed), or the day searched (`YYYY-MM-DD`). */
  readonly day?: string;
  /** The French message of a refused search, and the field(s) it is about. */
  readonly problem?: { readonly message: string; readonly field: 'email' | 'day' | 'both' };
  readonly results?: { readonly criterion: 'email' | 'day'; readonly rows: readonly ConversationRow[] };
  readonly timeZone: string;
  /** The domains a scoped agent serves, said under the intro; absent: every académie. */
  readonly scope?: readonly string[];
}

/** Which field a refused search is about, from the key of its message. */
export function problemField(messageKey: string): 'email' | 'day' | 'both' {
  if (messageKey.startsWith('helpdesk.errors.day')) return 'day';
  return messageKey === 'helpdesk.errors.email' ? 'email' : 'both';
}

/**
 * The two search forms. They are validated here, not by the browser (`novalidate`): its bubbles speak
 * the browser's language, ours French. A refused field is marked invalid, described by its message and
 * focused when the page opens, so a screen reader reads label, « invalide » and the message at once.
 */
export function searchPage(input: SearchPageInput): string {
  const problem = input.problem;
  const shared =
    problem?.field === 'both'
      ? `      <p class="problem" role="alert" id="probleme">${e(problem.message)}</p>\n`
      : '';
  const field = (name: 'email' | 'day', control: (attributes: string) => string) => {
    const invalid = problem !== undefined && (problem.field === name || problem.field === 'both');
    const own = invalid && problem.field === name;
    const errorId = problem?.field === 'both' ? 'probleme' : `${name}-erreur`;
    const message = own
      ? `\n          <p class="problem" role="alert" id="${errorId}">${e(problem.message)}</p>`
      : '';
    const first = problem?.field === 'both' ? name === 'email' : own;
    const attributes = `aria-describedby="${name}-aide${invalid ? ` ${errorId}` : ''}"${invalid ? ' aria-invalid="true"' : ''}${first ? ' autofocus' : ''}`;
    return { message, control: control(attributes) };
  };
  const email = field(
    'email',
    (a) =>
      `<input type="email" id="email" name="email" autocomplete="off" spellcheck="false" ${a} value="${e(input.email ?? '')}">`,
  );
  const dayValue =
    input.day && /^\d{4}-\d{2}-\d{2}$/.test(input.day) && input.results
      ? frenchDayInput(input.day)
      : (input.day ?? '');
  const day = field(
    'day',
    (a) =>
      `<input type="text" id="day" name="day" autocomplete="off" spellcheck="false" size="12" ${a} value="${e(dayValue)}">`,
  );
  const scope = input.scope
    ? `\n      <p>${e(t('helpdesk.search.scope', { domains: input.scope.join(', ') }))}</p>`
    : '';
  const form = `${shared}      <p>${e(t('helpdesk.search.intro'))}</p>${scope}
      <div class="searches">
      <form method="get" action="/helpdesk" class="search" novalidate>
        <fieldset>
          <legend>${e(t('helpdesk.search.byEmail'))}</legend>
          <label for="email">${e(t('helpdesk.search.emailLabel'))}</label>
          <p class="hint" id="email-aide">${e(t('helpdesk.search.emailHint'))}</p>${email.message}
          <div class="field">
            ${email.control}
            <button type="submit">${e(t('helpdesk.search.submit'))}</button>
          </div>
        </fieldset>
      </form>
      <form method="get" action="/helpdesk" class="search" novalidate>
        <fieldset>
          <legend>${e(t('helpdesk.search.byDay'))}</legend>
          <label for="day">${e(t('helpdesk.search.dayLabel'))}</label>
          <p class="hint" id="day-aide">${e(t('helpdesk.search.dayHint'))}</p>${day.message}
          <div class="field">
            ${day.control}
            <button type="submit">${e(t('helpdesk.search.submit'))}</button>
          </div>
        </fieldset>
      </form>
      </div>`;
  return layout(t('helpdesk.search.title'), `${form}\n${input.results ? resultsTable(input) : ''}`, {
    problem: problem !== undefined,
  });
}

function resultsTable(input: SearchPageInput): string {
  const results = input.results;
  if (!results) return '';
  const heading =
    results.criterion === 'email'
      ? t('helpdesk.search.resultsForEmail', { email: input.email ?? '' })
      : t('helpdesk.search.resultsForDay', {
          day: formatDayFr(new Date(`${input.day}T12:00:00Z`), 'UTC'),
        });
  if (results.rows.length === 0)
    return `      <section aria-labelledby="resultats"><h2 id="resultats">${e(heading)}</h2>
        <p role="status">${e(t('helpdesk.search.none'))}</p></section>`;
  const zone = input.timeZone;
  // Each cell names its column too: on a phone the rows are stacked as cards, whose cells show it.
  const cell = (key: string, html: string) => `<td data-label="${e(t(key))}">${html}</td>`;
  const rows = results.rows
    .map((row) => {
      const href = transcriptPath(row.channelId, row.conversationId);
      const email = row.email
        ? `<a href="/helpdesk?email=${e(encodeURIComponent(row.email))}"><code>${e(row.email)}</code></a>`
        : e(t('helpdesk.search.noEmail'));
      return `          <tr>
            ${cell('helpdesk.search.columns.created', timeElement(row.created, formatDateTimeFr(new Date(row.created), zone), zone))}
            ${cell('helpdesk.search.columns.lastActivity', timeElement(row.lastActivity, formatDateTimeFr(new Date(row.lastActivity), zone), zone))}
            ${cell('helpdesk.search.columns.channel', e(row.channelId))}
            ${cell('helpdesk.search.columns.email', email)}
            ${cell('helpdesk.search.columns.account', e(shortAccountStatus(row, zone)))}
            ${cell('helpdesk.search.columns.open', `<a href="${e(href)}">${e(t('helpdesk.search.open'))}</a>`)}
          </tr>`;
    })
    .join('\n');
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  return `      <section aria-labelledby="resultats">
        <h2 id="resultats">${e(heading)}</h2>
${tableRegion(
  'resultats-legende',
  t('helpdesk.search.count', { count: results.rows.length }),
  `          <thead>
            <tr>${c('helpdesk.search.columns.created')}${c('helpdesk.search.columns.lastActivity')}${c('helpdesk.search.columns.channel')}${c('helpdesk.search.columns.email')}${c('helpdesk.search.columns.account')}${c('helpdesk.search.columns.open')}</tr>
          </thead>
          <tbody>
${rows}
          </tbody>`,
  'results',
)}
      </section>`;
}

export function shortAccountStatus(view: AccountView, zone: string): string {
  if (view.accountStatus === 'pending' && view.pendingSince)
    return t('helpdesk.account.short.pending', {
      since: formatDateTimeFr(new Date(view.pendingSince), zone),
    });
  if (view.accountStatus === 'confirmed' && view.confirmedAt)
    return t('helpdesk.account.short.confirmed', { at: formatDateTimeFr(new Date(view.confirmedAt), zone) });
  return t('helpdesk.account.short.none');
}

export function transcriptPath(channelId: string, conversationId: string): string {
  return `/helpdesk/transcripts/${encodeURIComponent(channelId)}/${encodeURIComponent(conversationId)}`;
}

export function exportPath(channelId: string, conversationId: string): string {
  return `/helpdesk/api/transcripts/${encodeURIComponent(channelId)}/${encodeURIComponent(conversationId)}`;
}

const ACTION_LABELS: Record<AuditAction, () => string> = {
  search: () => t('helpdesk.audit.actions.search'),
  'transcript.read': () => t('helpdesk.audit.actions.transcriptRead'),
  'transcript.export': () => t('helpdesk.audit.actions.transcriptExport'),
  'account.resend': () => t('helpdesk.audit.actions.accountResend'),
  'account.resend.limited': () => t('helpdesk.audit.actions.accountResendLimited'),
  'account.cancel': () => t('helpdesk.audit.actions.accountCancel'),
  'stats.read': () => t('helpdesk.audit.actions.statsRead'),
  'transcripts.delete': () => t('helpdesk.audit.actions.transcriptsDelete'),
  'audit.read': () => t('helpdesk.audit.actions.auditRead'),
  'scope.refused': () => t('helpdesk.audit.actions.scopeRefused'),
  'handoff.take': () => t('helpdesk.audit.actions.handoffTake'),
  'handoff.message': () => t('helpdesk.audit.actions.handoffMessage'),
  'handoff.end': () => t('helpdesk.audit.actions.handoffEnd'),
};

/**
 * One page of the audit, newest first: agents' actions, and failed logins counted per client address and
 * hour, in the same four columns (one table reads well down to 320 px), then a link to older entries.
 */
export function auditPage(page: AuditPage, zone: string, olderThan?: string): string {
  const intro = `      <p>${e(t('helpdesk.audit.intro'))}</p>\n      <p>${e(t('helpdesk.audit.retention'))}</p>`;
  const newest = olderThan
    ? `\n      <p><a href="/helpdesk/audit">${e(t('helpdesk.audit.newest'))}</a></p>`
    : '';
  if (page.records.length === 0)
    return layout(
      t('helpdesk.audit.title'),
      `${intro}\n      <p>${e(t('helpdesk.audit.none'))}</p>${newest}`,
    );
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  const rows = page.records.map((item) => auditRow(item, zone)).join('\n');
  const caption = olderThan
    ? t('helpdesk.audit.captionOlder', { count: page.records.length })
    : t('helpdesk.audit.caption', { count: page.records.length });
  const older =
    page.next === undefined
      ? ''
      : `\n      <p><a href="/helpdesk/audit?before=${e(encodeURIComponent(new Date(page.next).toISOString()))}">${e(t('helpdesk.audit.older'))}</a></p>`;
  const table = `          <thead><tr>${c('helpdesk.audit.columns.at')}${c('helpdesk.audit.columns.login')}${c('helpdesk.audit.columns.action')}${c('helpdesk.audit.columns.target')}</tr></thead>
          <tbody>
${rows}
          </tbody>`;
  return layout(
    t('helpdesk.audit.title'),
    `${intro}\n${tableRegion('journal-legende', caption, table, 'audit')}${older}${newest}`,
  );
}

function auditRow(item: AuditRecord, zone: string): string {
  if (item.action !== 'login.failed')
    return `          <tr>
            <td>${timeElement(item.at, formatDateTimeFr(new Date(item.at), zone), zone)}</td>
            <td>${e(item.login)}${item.scope ? ` <span class="scope">${e(t('helpdesk.audit.scope', { domains: item.scope.join(', ') }))}</span>` : ''}</td>
            <td>${e(ACTION_LABELS[item.action]())}</td>
            <td><code>${e(item.target)}</code></td>
          </tr>`;
  const start = new Date(item.at);
  const hour = t('helpdesk.audit.failedLogins.hour', {
    day: formatDayFr(start, zone),
    from: formatHourFr(start, zone),
    to: formatHourFr(new Date(start.getTime() + HOUR_MS), zone),
  });
  const address =
    item.address === OTHER_ADDRESSES
      ? e(t('helpdesk.audit.failedLogins.otherAddresses'))
      : item.address === UNKNOWN_ADDRESS
        ? e(t('helpdesk.audit.failedLogins.unknownAddress'))
        : `<code>${e(item.address)}</code>`;
  const counts = t('helpdesk.audit.failedLogins.counts', { failed: item.failed, blocked: item.blocked });
  return `          <tr>
            <td>${timeElement(item.at, hour, zone)}</td>
            <td>${e(t('helpdesk.audit.failedLogins.login'))}</td>
            <td>${e(t('helpdesk.audit.actions.loginFailed'))}</td>
            <td>${address} ${e(counts)}</td>
          </tr>`;
}
