import {
  type AuditAction,
  type AuditPage,
  type AuditRecord,
  HOUR_MS,
  OTHER_ADDRESSES,
  UNKNOWN_ADDRESS,
} from '../../domain/audit/ports';
import { formatDateTimeFr, formatDayFr, formatHourFr } from '../../domain/calendar/format';
import type { StoredActivity } from '../../domain/transcripts/ports';
import { t } from '../../i18n';
import { escapeHtml, renderShell } from '../html';
import type { AccountView, ConversationRow } from './search';

export const CSS_URL = '/helpdesk/static/helpdesk.css';

/** Everything interpolated below goes through escapeHtml: this helper keeps the call sites short. */
const e = escapeHtml;

/** The console's layout: banner, navigation, main content; no script at all. */
export function layout(title: string, body: string): string {
  const siteName = t('helpdesk.siteName');
  return renderShell({
    title,
    siteName,
    stylesheets: [CSS_URL],
    robots: 'noindex, nofollow',
    skipLink: { href: '#contenu', text: t('helpdesk.skipLink') },
    banner: `<p class="site">${e(siteName)}</p>`,
    nav: `<nav aria-label="${e(t('helpdesk.nav.label'))}">
      <ul>
        <li><a href="/helpdesk">${e(t('helpdesk.nav.search'))}</a></li>
        <li><a href="/helpdesk/stats">${e(t('helpdesk.nav.stats'))}</a></li>
        <li><a href="/helpdesk/audit">${e(t('helpdesk.nav.audit'))}</a></li>
      </ul>
    </nav>`,
    main: { id: 'contenu', html: `      <h1>${e(title)}</h1>\n${body}` },
  });
}

/** A short page: a message (and maybe a way back), for refusals and action results. */
export function messagePage(title: string, message: string, link?: { href: string; text: string }): string {
  const back = link ? `\n      <p><a href="${e(link.href)}">${e(link.text)}</a></p>` : '';
  return layout(title, `      <p>${e(message)}</p>${back}`);
}

export interface SearchPageInput {
  readonly email?: string;
  readonly day?: string;
  readonly problem?: string;
  readonly results?: { readonly criterion: 'email' | 'day'; readonly rows: readonly ConversationRow[] };
  readonly timeZone: string;
}

export function searchPage(input: SearchPageInput): string {
  const problem = input.problem
    ? `      <p class="problem" role="alert" id="probleme">${e(input.problem)}</p>\n`
    : '';
  const describedBy = input.problem ? ' aria-describedby="probleme"' : '';
  const form = `${problem}      <p>${e(t('helpdesk.search.intro'))}</p>
      <form method="get" action="/helpdesk" class="search">
        <fieldset>
          <legend>${e(t('helpdesk.search.byEmail'))}</legend>
          <label for="email">${e(t('helpdesk.search.emailLabel'))}</label>
          <p class="hint" id="email-aide">${e(t('helpdesk.search.emailHint'))}</p>
          <input type="email" id="email" name="email" autocomplete="off" spellcheck="false"
            aria-describedby="email-aide"${describedBy} value="${e(input.email ?? '')}">
          <button type="submit">${e(t('helpdesk.search.submit'))}</button>
        </fieldset>
      </form>
      <form method="get" action="/helpdesk" class="search">
        <fieldset>
          <legend>${e(t('helpdesk.search.byDay'))}</legend>
          <label for="day">${e(t('helpdesk.search.dayLabel'))}</label>
          <p class="hint" id="day-aide">${e(t('helpdesk.search.dayHint'))}</p>
          <input type="date" id="day" name="day" aria-describedby="day-aide"${describedBy} value="${e(input.day ?? '')}">
          <button type="submit">${e(t('helpdesk.search.submit'))}</button>
        </fieldset>
      </form>`;
  return layout(t('helpdesk.search.title'), `${form}\n${input.results ? resultsTable(input) : ''}`);
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
  const rows = results.rows
    .map((row) => {
      const href = transcriptPath(row.channelId, row.conversationId);
      return `          <tr>
            <td><time datetime="${e(row.created)}">${e(formatDateTimeFr(new Date(row.created), zone))}</time></td>
            <td><time datetime="${e(row.lastActivity)}">${e(formatDateTimeFr(new Date(row.lastActivity), zone))}</time></td>
            <td>${e(row.channelId)}</td>
            <td>${row.email ? `<a href="/helpdesk?email=${e(encodeURIComponent(row.email))}"><code>${e(row.email)}</code></a>` : e(t('helpdesk.search.noEmail'))}</td>
            <td>${e(shortAccountStatus(row, zone))}</td>
            <td><a href="${e(href)}">${e(t('helpdesk.search.open'))}</a></td>
          </tr>`;
    })
    .join('\n');
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  return `      <section aria-labelledby="resultats">
        <h2 id="resultats">${e(heading)}</h2>
        <table>
          <caption>${e(t('helpdesk.search.count', { count: results.rows.length }))}</caption>
          <thead>
            <tr>${c('helpdesk.search.columns.created')}${c('helpdesk.search.columns.lastActivity')}${c('helpdesk.search.columns.channel')}${c('helpdesk.search.columns.email')}${c('helpdesk.search.columns.account')}${c('helpdesk.search.columns.open')}</tr>
          </thead>
          <tbody>
${rows}
          </tbody>
        </table>
      </section>`;
}

function shortAccountStatus(view: AccountView, zone: string): string {
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

export interface TranscriptPageInput {
  readonly row: ConversationRow;
  readonly activities: readonly StoredActivity[];
  readonly timeZone: string;
  readonly now: Date;
  readonly csrfToken: string;
}

export function transcriptPage(input: TranscriptPageInput): string {
  const { row, timeZone: zone } = input;
  const when = (iso: string) => formatDateTimeFr(new Date(iso), zone);
  const title = t('helpdesk.transcript.title', { day: formatDayFr(new Date(row.created), zone) });
  // A chat shows the hour; the day only when it changes (a conversation may span midnight).
  let shownDay = formatDayFr(new Date(row.created), zone);
  const messages = input.activities
    .map((activity) => {
      const iso = typeof activity.timestamp === 'string' ? activity.timestamp : '';
      const instant = new Date(iso);
      if (!iso || Number.isNaN(instant.getTime())) return chatItem(activity, '');
      const day = formatDayFr(instant, zone);
      const label = day === shownDay ? formatHourFr(instant, zone) : formatDateTimeFr(instant, zone);
      shownDay = day;
      return chatItem(activity, `<time datetime="${e(iso)}">${e(label)}</time>`);
    })
    .join('\n');
  const body = `      <section aria-labelledby="compte">
        <h2 id="compte">${e(t('helpdesk.account.title'))}</h2>
${accountSection(row, zone, input.now, input.csrfToken)}
      </section>
      <section aria-labelledby="echanges">
        <h2 id="echanges">${e(t('helpdesk.transcript.conversation'))}</h2>
        <p>${e(t('helpdesk.transcript.caption', { channel: row.channelId, created: when(row.created), lastActivity: when(row.lastActivity) }))}</p>
        <p class="hint">${e(t('helpdesk.transcript.redacted'))}</p>
        <ol class="chat">
${messages}
        </ol>
        <p><a href="${e(exportPath(row.channelId, row.conversationId))}" download>${e(t('helpdesk.transcript.export'))}</a></p>
      </section>`;
  return layout(title, body);
}

function accountSection(row: ConversationRow, zone: string, now: Date, csrfToken: string): string {
  const when = (iso: string) => formatDateTimeFr(new Date(iso), zone);
  if (!row.email) return `        <p>${e(t('helpdesk.account.noEmail'))}</p>`;
  const email = row.email;
  if (row.accountStatus === 'confirmed')
    return `        <p>${e(t('helpdesk.account.confirmed', { email, at: when(row.confirmedAt ?? row.lastActivity) }))}</p>`;
  if (row.accountStatus === 'none') return `        <p>${e(t('helpdesk.account.none', { email }))}</p>`;
  const lines = [t('helpdesk.account.pending', { email, since: when(row.pendingSince ?? row.created) })];
  if ((row.pendingRequests ?? 1) > 1)
    lines.push(t('helpdesk.account.pendingRequests', { count: row.pendingRequests ?? 0 }));
  if (row.linkExpiresAt) {
    const expired = Date.parse(row.linkExpiresAt) <= now.getTime();
    lines.push(
      expired
        ? t('helpdesk.account.linkExpired', { expires: when(row.linkExpiresAt) })
        : t('helpdesk.account.linkExpires', { expires: when(row.linkExpiresAt) }),
    );
  }
  return `${lines.map((l) => `        <p>${e(l)}</p>`).join('\n')}
        <form method="post" action="/helpdesk/resend">
          <input type="hidden" name="email" value="${e(email)}">
          <input type="hidden" name="csrf" value="${e(csrfToken)}">
          <p class="hint" id="renvoi-aide">${e(t('helpdesk.account.resendHint'))}</p>
          <button type="submit" aria-describedby="renvoi-aide">${e(t('helpdesk.account.resend'))}</button>
        </form>
        <form method="post" action="/helpdesk/cancel">
          <input type="hidden" name="email" value="${e(email)}">
          <input type="hidden" name="csrf" value="${e(csrfToken)}">
          <p class="hint" id="annulation-aide">${e(t('helpdesk.account.cancelHint'))}</p>
          <button type="submit" aria-describedby="annulation-aide">${e(t('helpdesk.account.cancel'))}</button>
        </form>`;
}

/** One activity as a line of the chat: who, when, what. Unknown shapes degrade to their type. */
function chatItem(activity: StoredActivity, time: string): string {
  const type = typeof activity.type === 'string' ? activity.type : '';
  const isBot = record(activity.from)?.role === 'bot';
  if (type !== 'message') {
    const label =
      type === 'conversationUpdate'
        ? t('helpdesk.transcript.joined')
        : `${t('helpdesk.transcript.event')} ${type}`;
    return `          <li class="event"><p class="meta">${time}</p><p>${e(label)}</p></li>`;
  }
  const who = isBot ? t('helpdesk.transcript.bot') : t('helpdesk.transcript.teacher');
  const parts: string[] = [];
  const text = typeof activity.text === 'string' ? activity.text : '';
  if (text) parts.push(`<p class="text">${e(text)}</p>`);
  for (const card of cardsOf(activity))
    parts.push(`<p class="card">${e(t('helpdesk.transcript.card'))}\u00a0: ${e(card)}</p>`);
  const choices = choicesOf(activity);
  if (choices.length > 0)
    parts.push(
      `<p class="choices">${e(t('helpdesk.transcript.choices'))}\u00a0: ${e(choices.join(' · '))}</p>`,
    );
  if (activity.value !== undefined)
    parts.push(
      `<p class="value">${e(t('helpdesk.transcript.sentValue'))}\u00a0: <code>${e(JSON.stringify(activity.value))}</code></p>`,
    );
  if (parts.length === 0) parts.push(`<p class="text">${e(t('helpdesk.transcript.empty'))}</p>`);
  return `          <li class="${isBot ? 'bot' : 'teacher'}"><p class="meta"><strong>${e(who)}</strong> ${time}</p>${parts.join('')}</li>`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Titles and texts of hero and adaptive cards, enough to see what the teacher was shown. */
function cardsOf(activity: StoredActivity): string[] {
  const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
  return attachments.flatMap((a) => {
    const content = record(record(a)?.content);
    if (!content) return [];
    const texts = [content.title, content.subtitle, content.text, content.fallbackText].filter(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    return texts.length > 0 ? [texts.join(' — ')] : [];
  });
}

function choicesOf(activity: StoredActivity): string[] {
  const actions = record(activity.suggestedActions)?.actions;
  if (!Array.isArray(actions)) return [];
  return actions.flatMap((a) => {
    const title = record(a)?.title;
    return typeof title === 'string' ? [title] : [];
  });
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
  return layout(
    t('helpdesk.audit.title'),
    `${intro}
      <table class="audit">
        <caption>${e(caption)}</caption>
        <thead><tr>${c('helpdesk.audit.columns.at')}${c('helpdesk.audit.columns.login')}${c('helpdesk.audit.columns.action')}${c('helpdesk.audit.columns.target')}</tr></thead>
        <tbody>
${rows}
        </tbody>
      </table>${older}${newest}`,
  );
}

function auditRow(item: AuditRecord, zone: string): string {
  if (item.action !== 'login.failed')
    return `          <tr>
            <td><time datetime="${e(item.at)}">${e(formatDateTimeFr(new Date(item.at), zone))}</time></td>
            <td>${e(item.login)}</td>
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
            <td><time datetime="${e(item.at)}">${e(hour)}</time></td>
            <td>${e(t('helpdesk.audit.failedLogins.login'))}</td>
            <td>${e(t('helpdesk.audit.actions.loginFailed'))}</td>
            <td>${address} ${e(counts)}</td>
          </tr>`;
}
