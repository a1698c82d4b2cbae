import { formatDateTimeFr, formatDayFr } from '../../domain/calendar/format';
import type { AccountsDay, DailyStats, IntentCount, MisunderstoodMessage } from '../../domain/stats/ports';
import { intentLabel } from '../../domain/understanding/intent-labels';
import { isIntent } from '../../domain/understanding/intents';
import { t } from '../../i18n';
import { escapeHtml } from '../html';
import { layout, tableRegion } from './pages';
import { chartFigure } from './stats-chart';
import { timeElement } from './time';

const e = escapeHtml;

/** Periods offered by the form; the route accepts any 1–90, these are just the usual ones. */
export const STATS_PERIODS = [7, 14, 30, 90] as const;

/** The académie filter: what was picked, the agent's scope, and what the form offers. */
export interface StatsFilter {
  /** The domain asked for; absent: every académie, or the agent's whole scope. */
  readonly picked?: string;
  /** The agent's domains; absent: an agent of every académie. */
  readonly scope?: readonly string[];
  readonly choices: readonly string[];
}

interface Figures {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly pendingOver24h: number;
  readonly timeZone: string;
  readonly filter?: StatsFilter;
}

/** Every académie (national figures), or the accounts of some domains only (`domains`). */
export type StatsPageInput = Figures &
  (
    | {
        readonly daily: readonly DailyStats[];
        readonly intents: readonly IntentCount[];
        readonly misunderstood: readonly MisunderstoodMessage[];
      }
    | { readonly domains: readonly string[]; readonly daily: readonly AccountsDay[] }
  );

/** A Paris day `YYYY-MM-DD` in words; noon UTC is the same calendar day in Paris all year. */
const dayInWords = (day: string) => formatDayFr(new Date(`${day}T12:00:00Z`), 'UTC');

export function statsUnavailablePage(): string {
  return layout(
    t('helpdesk.stats.title'),
    `      <p role="status">${e(t('helpdesk.stats.unavailable'))}</p>`,
  );
}

/**
 * The campaign at a glance: key figures, a bar chart drawn here as inline SVG (no script, so the strict
 * CSP holds and nothing is fetched), and the same figures as tables for screen readers and copy-paste.
 */
export function statsPage(input: StatsPageInput): string {
  const national = 'intents' in input ? input : undefined;
  const sum = (f: keyof Omit<DailyStats, 'day'>) =>
    national ? national.daily.reduce((s, d) => s + d[f], 0) : 0;
  const accounts = (f: keyof Omit<AccountsDay, 'day'>) => input.daily.reduce((s, d) => s + d[f], 0);
  const totals = {
    created: accounts('accountsCreated'),
    confirmed: accounts('accountsConfirmed'),
    mailsSent: sum('mailsSent'),
    mailsFailed: sum('mailsFailed'),
  };
  const from = dayInWords(input.from);
  const to = dayInWords(input.to);
  const figure = (key: string, value: number) =>
    `          <div><dt>${e(t(key))}</dt><dd>${value}</dd></div>`;
  const filtered =
    'domains' in input
      ? `\n      <p>${e(t('helpdesk.stats.filtered', { domains: input.domains.join(', ') }))}</p>`
      : '';
  const mails = national
    ? `
${figure('helpdesk.stats.summary.mailsSent', totals.mailsSent)}
${figure('helpdesk.stats.summary.mailsFailed', totals.mailsFailed)}`
    : '';
  const body = `      <p>${e(t('helpdesk.stats.intro', { from, to }))}</p>${filtered}
${periodForm(input.days, input.filter)}
      <section aria-labelledby="en-bref">
        <h2 id="en-bref">${e(t('helpdesk.stats.summary.title'))}</h2>
        <dl class="figures">
${figure('helpdesk.stats.summary.created', totals.created)}
${figure('helpdesk.stats.summary.confirmed', totals.confirmed)}
${figure('helpdesk.stats.summary.pending', input.pendingOver24h)}${mails}
        </dl>
      </section>
      <section aria-labelledby="graphique-titre">
        <h2 id="graphique-titre">${e(t('helpdesk.stats.chart.title'))}</h2>
${chartFigure(input.daily, from, to)}
      </section>
      <section aria-labelledby="par-jour">
        <h2 id="par-jour">${e(t('helpdesk.stats.daily.title'))}</h2>
${national ? dailyTable(national.daily, totals) : accountsTable(input.daily, totals)}
      </section>
${national ? nationalSections(national, input.timeZone) : `      <p>${e(t('helpdesk.stats.notPerDomain'))}</p>`}`;
  return layout(t('helpdesk.stats.title'), body);
}

/** Intents and misunderstood messages: counted for every académie together, shown only with them. */
function nationalSections(
  input: {
    readonly intents: readonly IntentCount[];
    readonly misunderstood: readonly MisunderstoodMessage[];
  },
  zone: string,
): string {
  return `      <section aria-labelledby="intentions">
        <h2 id="intentions">${e(t('helpdesk.stats.intents.title'))}</h2>
${intentsTable(input.intents)}
      </section>
      <section aria-labelledby="non-compris">
        <h2 id="non-compris">${e(t('helpdesk.stats.misunderstood.title'))}</h2>
        <p>${e(t('helpdesk.stats.misunderstood.intro'))}</p>
${misunderstoodTable(input.misunderstood, zone)}
      </section>`;
}

function periodForm(days: number, filter: StatsFilter | undefined): string {
  const options = STATS_PERIODS.map(
    (n) =>
      `<option value="${n}"${n === days ? ' selected' : ''}>${e(t('helpdesk.stats.periodOption', { days: n }))}</option>`,
  ).join('');
  return `      <form method="get" action="/helpdesk/stats" class="search">
        <fieldset>
          <legend>${e(t(filter ? 'helpdesk.stats.filterLegend' : 'helpdesk.stats.periodLegend'))}</legend>
          <label for="days">${e(t('helpdesk.stats.periodLabel'))}</label>
          <select id="days" name="days">${options}</select>${filter ? domainField(filter) : ''}
          <button type="submit">${e(t('helpdesk.stats.show'))}</button>
        </fieldset>
      </form>`;
}

/**
 * The académie filter: every académie or one domain for an agent of every académie, the whole scope or
 * one of its domains for a scoped agent; a scope of one domain has nothing to pick and says so.
 */
function domainField(filter: StatsFilter): string {
  const { scope, picked, choices } = filter;
  if (scope && scope.length === 1)
    return `\n          <p>${e(t('helpdesk.stats.scopeOnly', { domains: scope.join(', ') }))}</p>`;
  const all = scope
    ? t('helpdesk.stats.allOfScope', { domains: scope.join(', ') })
    : t('helpdesk.stats.allDomains');
  const option = (value: string, text: string) =>
    `<option value="${e(value)}"${value === (picked ?? '') ? ' selected' : ''}>${e(text)}</option>`;
  return `
          <label for="domain">${e(t('helpdesk.stats.domainLabel'))}</label>
          <select id="domain" name="domain">${[option('', all), ...choices.map((d) => option(d, d))].join('')}</select>`;
}

/** The académie filter's table: accounts only (mails are not counted per domain). */
function accountsTable(
  daily: readonly AccountsDay[],
  totals: { created: number; confirmed: number },
): string {
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  const rows = daily
    .map(
      (d) =>
        `          <tr><th scope="row"><time datetime="${e(d.day)}">${e(dayInWords(d.day))}</time></th><td>${d.accountsCreated}</td><td>${d.accountsConfirmed}</td></tr>`,
    )
    .join('\n');
  return tableRegion(
    'par-jour-legende',
    t('helpdesk.stats.daily.captionAccounts'),
    `          <thead><tr>${c('helpdesk.stats.daily.columns.day')}${c('helpdesk.stats.daily.columns.created')}${c('helpdesk.stats.daily.columns.confirmed')}</tr></thead>
          <tbody>
${rows}
          </tbody>
          <tfoot><tr><th scope="row">${e(t('helpdesk.stats.daily.total'))}</th><td>${totals.created}</td><td>${totals.confirmed}</td></tr></tfoot>`,
    'numbers',
  );
}

function dailyTable(
  daily: readonly DailyStats[],
  totals: { created: number; confirmed: number; mailsSent: number; mailsFailed: number },
): string {
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  const rows = daily
    .map(
      (d) =>
        `          <tr><th scope="row"><time datetime="${e(d.day)}">${e(dayInWords(d.day))}</time></th><td>${d.accountsCreated}</td><td>${d.accountsConfirmed}</td><td>${d.mailsSent}</td><td>${d.mailsFailed}</td></tr>`,
    )
    .join('\n');
  return tableRegion(
    'par-jour-legende',
    t('helpdesk.stats.daily.caption'),
    `          <thead><tr>${c('helpdesk.stats.daily.columns.day')}${c('helpdesk.stats.daily.columns.created')}${c('helpdesk.stats.daily.columns.confirmed')}${c('helpdesk.stats.daily.columns.mailsSent')}${c('helpdesk.stats.daily.columns.mailsFailed')}</tr></thead>
          <tbody>
${rows}
          </tbody>
          <tfoot><tr><th scope="row">${e(t('helpdesk.stats.daily.total'))}</th><td>${totals.created}</td><td>${totals.confirmed}</td><td>${totals.mailsSent}</td><td>${totals.mailsFailed}</td></tr></tfoot>`,
    'numbers',
  );
}

/**
 * Intents by their French label (the one the bot offers when unsure); names the bot no longer knows (an
 * older version's, kept in the counters) are added up under « Autre ».
 */
export function labelledIntents(
  intents: readonly IntentCount[],
): Array<{ label: string; count: number; unsure: number }> {
  const rows: Array<{ label: string; count: number; unsure: number }> = [];
  let other: { label: string; count: number; unsure: number } | undefined;
  for (const i of intents) {
    if (isIntent(i.intent)) {
      rows.push({ label: intentLabel(i.intent), count: i.count, unsure: i.unsure });
      continue;
    }
    if (!other) {
      other = { label: t('helpdesk.stats.intents.other'), count: 0, unsure: 0 };
      rows.push(other);
    }
    other.count += i.count;
    other.unsure += i.unsure;
  }
  return rows.sort((a, b) => b.count - a.count);
}

function intentsTable(intents: readonly IntentCount[]): string {
  if (intents.length === 0) return `        <p>${e(t('helpdesk.stats.intents.none'))}</p>`;
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  const rows = labelledIntents(intents)
    .map(
      (i) => `          <tr><th scope="row">${e(i.label)}</th><td>${i.count}</td><td>${i.unsure}</td></tr>`,
    )
    .join('\n');
  return tableRegion(
    'intentions-legende',
    t('helpdesk.stats.intents.caption'),
    `          <thead><tr>${c('helpdesk.stats.intents.columns.intent')}${c('helpdesk.stats.intents.columns.count')}${c('helpdesk.stats.intents.columns.unsure')}</tr></thead>
          <tbody>
${rows}
          </tbody>`,
    'numbers',
  );
}

function misunderstoodTable(messages: readonly MisunderstoodMessage[], zone: string): string {
  if (messages.length === 0) return `        <p>${e(t('helpdesk.stats.misunderstood.none'))}</p>`;
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  const rows = messages
    .map(
      (m) =>
        `          <tr><td>${timeElement(m.at, formatDateTimeFr(new Date(m.at), zone), zone)}</td><td class="text">${e(m.text)}</td></tr>`,
    )
    .join('\n');
  return tableRegion(
    'non-compris-legende',
    t('helpdesk.stats.misunderstood.caption', { count: messages.length }),
    `          <thead><tr>${c('helpdesk.stats.misunderstood.columns.at')}${c('helpdesk.stats.misunderstood.columns.text')}</tr></thead>
          <tbody>
${rows}
          </tbody>`,
  );
}
