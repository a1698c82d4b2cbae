import { formatDateTimeFr, formatDayFr, formatHourFr } from '../../domain/calendar/format';
import { MASK } from '../../domain/mask';
import type { StoredActivity } from '../../domain/transcripts/ports';
import { PASSWORD_CARD_ACTION, PASSWORD_ENTERED_EVENT } from '../../domain/turns/activity-names';
import { t } from '../../i18n';
import { escapeHtml } from '../html';
import { renderInline, renderMarkdown } from './markdown';
import { exportPath, layout, transcriptPath } from './pages';
import type { ConversationRow } from './search';
import { timeElement } from './time';

const e = escapeHtml;

export interface TranscriptPageInput {
  readonly row: ConversationRow;
  readonly activities: readonly StoredActivity[];
  readonly timeZone: string;
  readonly now: Date;
  readonly csrfToken: string;
}

/**
 * A conversation as the teacher saw it: the bot's Markdown rendered, the cards and what was sent through
 * them in French sentences (secrets stay masked: they were masked before being stored), hours in French.
 */
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
      return chatItem(activity, timeElement(iso, label, zone));
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
  // The page the form was sent from: its answer links back here.
  const from = transcriptPath(row.channelId, row.conversationId);
  const hidden = `<input type="hidden" name="email" value="${e(email)}">
          <input type="hidden" name="from" value="${e(from)}">
          <input type="hidden" name="csrf" value="${e(csrfToken)}">`;
  return `${lines.map((l) => `        <p>${e(l)}</p>`).join('\n')}
        <form method="post" action="/helpdesk/resend">
          ${hidden}
          <p class="hint" id="renvoi-aide">${e(t('helpdesk.account.resendHint'))}</p>
          <button type="submit" aria-describedby="renvoi-aide">${e(t('helpdesk.account.resend'))}</button>
        </form>
        <form method="post" action="/helpdesk/cancel">
          ${hidden}
          <p class="hint" id="annulation-aide">${e(t('helpdesk.account.cancelHint'))}</p>
          <button type="submit" aria-describedby="annulation-aide">${e(t('helpdesk.account.cancel'))}</button>
        </form>`;
}

/** One activity as a line of the chat: who, when, what. Unknown shapes degrade to a French label. */
function chatItem(activity: StoredActivity, time: string): string {
  const type = typeof activity.type === 'string' ? activity.type : '';
  const isBot = record(activity.from)?.role === 'bot';
  if (type !== 'message') {
    const meta = time ? `<p class="meta">${time}</p>` : '';
    return `          <li class="event">${meta}<p>${e(eventLabel(type, activity.name))}</p></li>`;
  }
  const who = isBot ? t('helpdesk.transcript.bot') : t('helpdesk.transcript.teacher');
  const parts: string[] = [];
  const text = typeof activity.text === 'string' ? activity.text : '';
  // The bot writes Markdown, which the teacher saw rendered; a teacher's text is shown exactly as typed.
  if (text)
    parts.push(
      isBot ? `<div class="text md">${renderMarkdown(text)}</div>` : `<p class="text">${e(text)}</p>`,
    );
  for (const shown of attachmentsOf(activity))
    parts.push(
      `<p class="card">${e(t(shown.card ? 'helpdesk.transcript.card' : 'helpdesk.transcript.file'))}\u00a0: ${renderInline(shown.text)}</p>`,
    );
  const choices = choicesOf(activity);
  if (choices.length > 0)
    parts.push(
      `<p class="choices">${e(t('helpdesk.transcript.choices'))}\u00a0: ${e(choices.join(' · '))}</p>`,
    );
  const sent = submitSummary(activity.value);
  if (sent) parts.push(`<p class="value">${sent}</p>`);
  if (parts.length === 0) parts.push(`<p class="text">${e(t('helpdesk.transcript.empty'))}</p>`);
  return `          <li class="${isBot ? 'bot' : 'teacher'}"><p class="meta"><strong>${e(who)}</strong> ${time}</p>${parts.join('')}</li>`;
}

/** What an activity that is not a message was, in French. */
function eventLabel(type: string, name: unknown): string {
  if (type === 'conversationUpdate') return t('helpdesk.transcript.joined');
  if (type === 'event' && name === PASSWORD_ENTERED_EVENT) return t('helpdesk.transcript.passwordEntered');
  const what = typeof name === 'string' && name ? `${type} (${name})` : type || '?';
  return t('helpdesk.transcript.event', { what });
}

/**
 * A card submit in one French sentence, as escaped HTML. The password card says so and never shows a
 * value (they are the mask anyway); another card lists its fields, a masked value as « masqué ».
 */
export function submitSummary(value: unknown): string | undefined {
  const values = record(value);
  if (!values) return value === undefined || value === null ? undefined : sentValues({ valeur: value });
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  const isPasswordCard = entries.some(
    ([key, v]) => (key === 'action' || key.endsWith('.action')) && v === PASSWORD_CARD_ACTION,
  );
  if (isPasswordCard) {
    const confirmed = entries.some(([key]) => /confirmation$/i.test(key));
    return e(t(confirmed ? 'helpdesk.transcript.passwordCardBoth' : 'helpdesk.transcript.passwordCard'));
  }
  return sentValues(values);
}

function sentValues(values: Record<string, unknown>): string {
  const shown = Object.entries(values).map(([key, v]) => {
    const text =
      v === MASK
        ? `<em>${e(t('helpdesk.transcript.masked'))}</em>`
        : `<code>${e(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}</code>`;
    return `${e(key)}\u00a0: ${text}`;
  });
  return `${e(t('helpdesk.transcript.formSent'))}\u00a0: ${shown.join(' ; ')}`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Cards as the texts they showed (titles, texts, fields and buttons: the line's summary), enough to see
 * what the teacher was shown; files as their name and type.
 */
function attachmentsOf(activity: StoredActivity): Array<{ card: boolean; text: string }> {
  const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
  return attachments.flatMap((a): Array<{ card: boolean; text: string }> => {
    const attachment = record(a);
    const content = record(attachment?.content);
    if (!content)
      return typeof attachment?.content === 'string' ? [{ card: false, text: attachment.content }] : [];
    const texts = [content.title, content.subtitle, content.text, content.fallbackText].filter(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    return texts.length > 0 ? [{ card: true, text: texts.join(' — ') }] : [];
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
