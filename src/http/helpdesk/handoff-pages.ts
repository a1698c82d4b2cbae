import { formatDateTimeFr } from '../../domain/calendar/format';
import type { Handoff, HandoffMessage } from '../../domain/handoff/ports';
import { t } from '../../i18n';
import { escapeHtml } from '../html';
import { layout, tableRegion, transcriptPath } from './pages';

const e = escapeHtml;

/** The script of the live pages (progressive: the pages work without it, with their reload links). */
export const HANDOFF_SCRIPT_URL = '/helpdesk/static/handoffs.js';

/** The console's pages allow no script; these two allow their own, and its calls to the console's API. */
export const HANDOFF_PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function handoffPath(channelId: string, conversationId: string): string {
  return `/helpdesk/handoffs/${encodeURIComponent(channelId)}/${encodeURIComponent(conversationId)}`;
}

function hiddenIds(handoff: Pick<Handoff, 'channelId' | 'conversationId'>, csrf: string): string {
  return `<input type="hidden" name="channelId" value="${e(handoff.channelId)}">
          <input type="hidden" name="conversationId" value="${e(handoff.conversationId)}">
          <input type="hidden" name="csrf" value="${e(csrf)}">`;
}

function statusText(handoff: Handoff, login: string): string {
  if (handoff.status === 'taken')
    return handoff.agent === login
      ? t('helpdesk.handoffs.takenByMe')
      : t('helpdesk.handoffs.taken', { agent: handoff.agent ?? '?' });
  return t(handoff.outsideHours ? 'helpdesk.handoffs.waitingOutsideHours' : 'helpdesk.handoffs.waiting');
}

/** The queue the agent may see (already filtered by its scope), oldest first, with « Prendre » forms. */
export function handoffListPage(input: {
  readonly handoffs: readonly Handoff[];
  readonly login: string;
  readonly csrf: string;
  readonly timeZone: string;
}): string {
  const { handoffs, login, csrf, timeZone } = input;
  const waiting = handoffs.filter((h) => h.status === 'waiting').length;
  const rows = handoffs.map((h) => {
    const action =
      h.status === 'waiting'
        ? `<form method="post" action="/helpdesk/handoffs/take">
          ${hiddenIds(h, csrf)}
          <button type="submit">${e(t('helpdesk.handoffs.take'))}</button>
        </form>`
        : `<a href="${e(handoffPath(h.channelId, h.conversationId))}">${e(t('helpdesk.handoffs.open'))}</a>`;
    return `          <tr>
            <td data-label="${e(t('helpdesk.handoffs.columns.since'))}">${e(formatDateTimeFr(new Date(h.since), timeZone))}</td>
            <td data-label="${e(t('helpdesk.handoffs.columns.who'))}">${e(h.email ?? t('helpdesk.handoffs.unknownTeacher'))}</td>
            <td data-label="${e(t('helpdesk.handoffs.columns.status'))}">${e(statusText(h, login))}</td>
            <td data-label="${e(t('helpdesk.handoffs.columns.action'))}">${action}</td>
          </tr>`;
  });
  const table =
    handoffs.length === 0
      ? `      <p>${e(t('helpdesk.handoffs.none'))}</p>`
      : tableRegion(
          'demandes',
          t('helpdesk.handoffs.caption'),
          `          <thead><tr><th scope="col">${e(t('helpdesk.handoffs.columns.since'))}</th><th scope="col">${e(t('helpdesk.handoffs.columns.who'))}</th><th scope="col">${e(t('helpdesk.handoffs.columns.status'))}</th><th scope="col">${e(t('helpdesk.handoffs.columns.action'))}</th></tr></thead>
          <tbody>
${rows.join('\n')}
          </tbody>`,
          'stack',
        );
  return withScript(
    layout(
      t('helpdesk.handoffs.title'),
      `      <p>${e(t('helpdesk.handoffs.intro'))}</p>
      <p id="direct-etat" role="status" data-live="queue" data-template="${e(t('helpdesk.handoffs.waitingCount', { count: '{count}' }))}">${e(t('helpdesk.handoffs.waitingCount', { count: waiting }))}</p>
${table}
      ${reloadButton('/helpdesk/handoffs', t('helpdesk.handoffs.reload'))}`,
    ),
  );
}

/** One exchange: its status, the history link, the messages, and the forms the agent may use. */
export function handoffPage(input: {
  readonly handoff: Handoff;
  readonly messages: readonly HandoffMessage[];
  readonly login: string;
  readonly csrf: string;
  readonly timeZone: string;
  readonly problem?: string;
}): string {
  const { handoff, messages, login, csrf, timeZone } = input;
  const mine = handoff.status === 'taken' && handoff.agent === login;
  const items = messages.map((m) => messageItem(m, timeZone)).join('\n');
  const last = messages.at(-1)?.cursor ?? '';
  const forms: string[] = [];
  if (handoff.status === 'waiting')
    forms.push(`      <p>${e(t('helpdesk.handoffs.notTakenYet'))}</p>
      <form method="post" action="/helpdesk/handoffs/take">
          ${hiddenIds(handoff, csrf)}
          <button type="submit">${e(t('helpdesk.handoffs.take'))}</button>
      </form>`);
  else if (!mine)
    forms.push(`      <p>${e(t('helpdesk.handoffs.takenByOther', { agent: handoff.agent ?? '?' }))}</p>`);
  else
    forms.push(`      <form method="post" action="/helpdesk/handoffs/reply">
          ${hiddenIds(handoff, csrf)}
          <p><label for="reponse">${e(t('helpdesk.handoffs.replyLabel'))}</label></p>
          <p class="hint" id="reponse-aide">${e(t('helpdesk.handoffs.replyHint'))}</p>
          ${input.problem ? `<p class="problem" id="reponse-erreur">${e(input.problem)}</p>` : ''}
          <textarea id="reponse" name="text" rows="4" maxlength="2000" required aria-describedby="reponse-aide${input.problem ? ' reponse-erreur' : ''}"${input.problem ? ' aria-invalid="true"' : ''}></textarea>
          <p><button type="submit">${e(t('helpdesk.handoffs.send'))}</button></p>
      </form>`);
  if (handoff.status === 'waiting' || mine)
    forms.push(`      <form method="post" action="/helpdesk/handoffs/end">
          ${hiddenIds(handoff, csrf)}
          <p class="hint" id="fin-aide">${e(t('helpdesk.handoffs.endHint'))}</p>
          <button type="submit" aria-describedby="fin-aide">${e(t('helpdesk.handoffs.end'))}</button>
      </form>`);
  return withScript(
    layout(
      t('helpdesk.handoffs.conversationTitle'),
      `      <p>${e(handoff.email ?? t('helpdesk.handoffs.unknownTeacher'))} · ${e(statusText(handoff, login))}</p>
      <p><a href="${e(transcriptPath(handoff.channelId, handoff.conversationId))}">${e(t('helpdesk.handoffs.history'))}</a></p>
      <h2 id="fil">${e(t('helpdesk.handoffs.thread'))}</h2>
      <ol class="thread" aria-labelledby="fil" data-live="thread" data-api="/helpdesk/api${e(handoffPath(handoff.channelId, handoff.conversationId).slice('/helpdesk'.length))}/messages" data-after="${e(last)}" data-teacher="${e(t('helpdesk.handoffs.from.teacher'))}">
${items || `        <li class="empty">${e(t('helpdesk.handoffs.noMessages'))}</li>`}
      </ol>
      <p id="direct-nouveaux" role="status" class="live" data-template="${e(t('helpdesk.handoffs.live', { count: '{count}' }))}" data-ended="${e(t('helpdesk.handoffs.ended'))}"></p>
      ${reloadButton(handoffPath(handoff.channelId, handoff.conversationId), t('helpdesk.handoffs.reloadThread'))}
${forms.join('\n')}`,
      input.problem ? { problem: true } : {},
    ),
  );
}

function messageItem(m: HandoffMessage, timeZone: string): string {
  const who =
    m.from === 'agent'
      ? t('helpdesk.handoffs.from.agent', { agent: m.agent ?? '?' })
      : t(`helpdesk.handoffs.from.${m.from}`);
  return `        <li><p class="meta">${e(who)} · ${e(formatDateTimeFr(new Date(m.at), timeZone))}</p><p class="text">${e(m.text)}</p></li>`;
}

/** Works without script: the page asks for itself again (a GET form, never a meta refresh). */
function reloadButton(path: string, label: string): string {
  return `<form method="get" action="${e(path)}"><button type="submit">${e(label)}</button></form>`;
}

/** The live pages' script, at the end of the body (the layout itself has none). */
function withScript(html: string): string {
  return html.replace('</body>', `<script src="${HANDOFF_SCRIPT_URL}" defer></script>\n</body>`);
}
