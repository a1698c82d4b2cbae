import { formatDateTimeFr, formatDayFr } from '../../domain/calendar/format';
import type { DailyStats, IntentCount, MisunderstoodMessage } from '../../domain/stats/ports';
import { t } from '../../i18n';
import { escapeHtml } from '../html';
import { layout } from './pages';

const e = escapeHtml;

/** Periods offered by the form; the route accepts any 1–90, these are just the usual ones. */
export const STATS_PERIODS = [7, 14, 30, 90] as const;

export interface StatsPageInput {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly daily: readonly DailyStats[];
  readonly pendingOver24h: number;
  readonly intents: readonly IntentCount[];
  readonly misunderstood: readonly MisunderstoodMessage[];
  readonly timeZone: string;
}

/** Bar colours, as SVG presentation attributes (the CSP forbids inline styles); both ≥ 3:1 on white. */
const COLOURS = { created: '#000091', confirmed: '#18753c' } as const;

/** A Paris day `YYYY-MM-DD` in words; noon UTC is the same calendar day in Paris all year. */
const dayInWords = (day: string) => formatDayFr(new Date(`${day}T12:00:00Z`), 'UTC');
const shortDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

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
  const sum = (f: keyof Omit<DailyStats, 'day'>) => input.daily.reduce((s, d) => s + d[f], 0);
  const totals = {
    created: sum('accountsCreated'),
    confirmed: sum('accountsConfirmed'),
    mailsSent: sum('mailsSent'),
    mailsFailed: sum('mailsFailed'),
  };
  const from = dayInWords(input.from);
  const to = dayInWords(input.to);
  const figure = (key: string, value: number) =>
    `          <div><dt>${e(t(key))}</dt><dd>${value}</dd></div>`;
  const body = `      <p>${e(t('helpdesk.stats.intro', { from, to }))}</p>
${periodForm(input.days)}
      <section aria-labelledby="en-bref">
        <h2 id="en-bref">${e(t('helpdesk.stats.summary.title'))}</h2>
        <dl class="figures">
${figure('helpdesk.stats.summary.created', totals.created)}
${figure('helpdesk.stats.summary.confirmed', totals.confirmed)}
${figure('helpdesk.stats.summary.pending', input.pendingOver24h)}
${figure('helpdesk.stats.summary.mailsSent', totals.mailsSent)}
${figure('helpdesk.stats.summary.mailsFailed', totals.mailsFailed)}
        </dl>
      </section>
      <section aria-labelledby="graphique-titre">
        <h2 id="graphique-titre">${e(t('helpdesk.stats.chart.title'))}</h2>
${chart(input.daily, from, to)}
      </section>
      <section aria-labelledby="par-jour">
        <h2 id="par-jour">${e(t('helpdesk.stats.daily.title'))}</h2>
${dailyTable(input.daily, totals)}
      </section>
      <section aria-labelledby="intentions">
        <h2 id="intentions">${e(t('helpdesk.stats.intents.title'))}</h2>
${intentsTable(input.intents)}
      </section>
      <section aria-labelledby="non-compris">
        <h2 id="non-compris">${e(t('helpdesk.stats.misunderstood.title'))}</h2>
        <p>${e(t('helpdesk.stats.misunderstood.intro'))}</p>
${misunderstoodTable(input.misunderstood, input.timeZone)}
      </section>`;
  return layout(t('helpdesk.stats.title'), body);
}

function periodForm(days: number): string {
  const options = STATS_PERIODS.map(
    (n) =>
      `<option value="${n}"${n === days ? ' selected' : ''}>${e(t('helpdesk.stats.periodOption', { days: n }))}</option>`,
  ).join('');
  return `      <form method="get" action="/helpdesk/stats" class="search">
        <fieldset>
          <legend>${e(t('helpdesk.stats.periodLegend'))}</legend>
          <label for="days">${e(t('helpdesk.stats.periodLabel'))}</label>
          <select id="days" name="days">${options}</select>
          <button type="submit">${e(t('helpdesk.stats.show'))}</button>
        </fieldset>
      </form>`;
}

/** A round top for the axis (1, 2, 5 × 10ⁿ) so the grid lines fall on readable numbers. */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** Grouped bars, created then confirmed, one group per day. */
function chart(daily: readonly DailyStats[], from: string, to: string): string {
  const width = 720;
  const height = 260;
  const pad = { left: 44, right: 8, top: 12, bottom: 32 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const peak = Math.max(0, ...daily.map((d) => Math.max(d.accountsCreated, d.accountsConfirmed)));
  const top = niceMax(peak);
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const group = plotW / Math.max(1, daily.length);
  // Thin bars stay readable over 90 days; a short period does not get slabs.
  const bar = Math.min(28, Math.max(1, group * 0.36));
  const labelEvery = Math.ceil(daily.length / 12);
  const n = (v: number) => v.toFixed(1);

  const grid = [0, top / 2, top]
    .filter((v, i, all) => Number.isInteger(v) && all.indexOf(v) === i)
    .map(
      (v) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="#929292" stroke-width="1"/>` +
        `<text x="${pad.left - 6}" y="${n(y(v) + 4)}" text-anchor="end" font-size="12" fill="#1e1e1e">${v}</text>`,
    )
    .join('');
  const bars = daily
    .map((d, i) => {
      const x = pad.left + i * group + (group - 2 * bar) / 2;
      const rect = (value: number, offset: number, colour: string, labelKey: string) => {
        const title = t('helpdesk.stats.chart.bar', {
          day: shortDay(d.day),
          label: t(labelKey),
          count: value,
        });
        return `<rect x="${n(x + offset)}" y="${n(y(value))}" width="${n(bar)}" height="${n(pad.top + plotH - y(value))}" fill="${colour}"><title>${e(title)}</title></rect>`;
      };
      const label =
        i % labelEvery === 0
          ? `<text x="${n(pad.left + i * group + group / 2)}" y="${height - pad.bottom + 16}" text-anchor="middle" font-size="12" fill="#1e1e1e">${e(shortDay(d.day))}</text>`
          : '';
      return (
        rect(d.accountsCreated, 0, COLOURS.created, 'helpdesk.stats.chart.created') +
        rect(d.accountsConfirmed, bar, COLOURS.confirmed, 'helpdesk.stats.chart.confirmed') +
        label
      );
    })
    .join('\n          ');
  const description = t('helpdesk.stats.chart.description', { from, to, max: peak });
  const swatch = (colour: string) =>
    `<svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="${colour}"/></svg>`;
  return `        <figure class="chart">
          <svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="graphique-svg-titre graphique-svg-desc" focusable="false">
          <title id="graphique-svg-titre">${e(t('helpdesk.stats.chart.title'))}</title>
          <desc id="graphique-svg-desc">${e(description)}</desc>
          ${grid}
          ${bars}
          </svg>
          <figcaption>
            <ul class="legend">
              <li>${swatch(COLOURS.created)} ${e(t('helpdesk.stats.chart.created'))}</li>
              <li>${swatch(COLOURS.confirmed)} ${e(t('helpdesk.stats.chart.confirmed'))}</li>
            </ul>
          </figcaption>
        </figure>`;
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
  return `        <table class="numbers">
          <caption>${e(t('helpdesk.stats.daily.caption'))}</caption>
          <thead><tr>${c('helpdesk.stats.daily.columns.day')}${c('helpdesk.stats.daily.columns.created')}${c('helpdesk.stats.daily.columns.confirmed')}${c('helpdesk.stats.daily.columns.mailsSent')}${c('helpdesk.stats.daily.columns.mailsFailed')}</tr></thead>
          <tbody>
${rows}
          </tbody>
          <tfoot><tr><th scope="row">${e(t('helpdesk.stats.daily.total'))}</th><td>${totals.created}</td><td>${totals.confirmed}</td><td>${totals.mailsSent}</td><td>${totals.mailsFailed}</td></tr></tfoot>
        </table>`;
}

function intentsTable(intents: readonly IntentCount[]): string {
  if (intents.length === 0) return `        <p>${e(t('helpdesk.stats.intents.none'))}</p>`;
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  const rows = intents
    .map(
      (i) =>
        `          <tr><th scope="row"><code>${e(i.intent)}</code></th><td>${i.count}</td><td>${i.unsure}</td></tr>`,
    )
    .join('\n');
  return `        <table class="numbers">
          <caption>${e(t('helpdesk.stats.intents.caption'))}</caption>
          <thead><tr>${c('helpdesk.stats.intents.columns.intent')}${c('helpdesk.stats.intents.columns.count')}${c('helpdesk.stats.intents.columns.unsure')}</tr></thead>
          <tbody>
${rows}
          </tbody>
        </table>`;
}

function misunderstoodTable(messages: readonly MisunderstoodMessage[], zone: string): string {
  if (messages.length === 0) return `        <p>${e(t('helpdesk.stats.misunderstood.none'))}</p>`;
  const c = (key: string) => `<th scope="col">${e(t(key))}</th>`;
  const rows = messages
    .map(
      (m) =>
        `          <tr><td><time datetime="${e(m.at)}">${e(formatDateTimeFr(new Date(m.at), zone))}</time></td><td class="text">${e(m.text)}</td></tr>`,
    )
    .join('\n');
  return `        <table>
          <caption>${e(t('helpdesk.stats.misunderstood.caption', { count: messages.length }))}</caption>
          <thead><tr>${c('helpdesk.stats.misunderstood.columns.at')}${c('helpdesk.stats.misunderstood.columns.text')}</tr></thead>
          <tbody>
${rows}
          </tbody>
        </table>`;
}
