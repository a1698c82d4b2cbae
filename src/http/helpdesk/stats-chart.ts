import type { AccountsDay } from '../../domain/stats/ports';
import { t } from '../../i18n';
import { escapeHtml } from '../html';

const e = escapeHtml;

/** Bar colours, as SVG presentation attributes (the CSP forbids inline styles); both ≥ 3:1 on white. */
export const COLOURS = { created: '#000091', confirmed: '#18753c' } as const;
const TEXT = '#1e1e1e';
const GRID = '#929292';

const LABELS = {
  created: 'helpdesk.stats.chart.created',
  confirmed: 'helpdesk.stats.chart.confirmed',
} as const;
const shortDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
const n = (v: number) => v.toFixed(1);

/**
 * The accounts created and confirmed per day, drawn here as inline SVG (no script, so the strict CSP
 * holds and nothing is fetched), twice: columns over time for a wide screen, and one row per day for a
 * phone or a zoomed page (the stylesheet shows one of them, below 50em the rows). An SVG scales its text
 * with its width: the 720-unit columns drawn 300 px wide had 5 px labels. Each drawing is sized so that
 * its labels are drawn at 12 px or more where it is shown. The figures are also in the table that follows.
 */
export function chartFigure(daily: readonly AccountsDay[], from: string, to: string): string {
  const peak = Math.max(0, ...daily.map((d) => Math.max(d.accountsCreated, d.accountsConfirmed)));
  const description = t('helpdesk.stats.chart.description', { from, to, max: peak });
  const swatch = (colour: string) =>
    `<svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="${colour}"/></svg>`;
  return `        <figure class="chart">
${columns(daily, peak, description)}
${rows(daily, peak, description)}
          <figcaption>
            <ul class="legend">
              <li>${swatch(COLOURS.created)} ${e(t('helpdesk.stats.chart.created'))}</li>
              <li>${swatch(COLOURS.confirmed)} ${e(t('helpdesk.stats.chart.confirmed'))}</li>
            </ul>
          </figcaption>
        </figure>`;
}

/** A round top for the axis (1, 2, 5 × 10ⁿ) so the grid lines fall on readable numbers. */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** 0, half and top of the axis, whole numbers only. */
function ticks(top: number): number[] {
  return [0, top / 2, top].filter((v, i, all) => Number.isInteger(v) && all.indexOf(v) === i);
}

function bar(
  day: string,
  value: number,
  key: 'created' | 'confirmed',
  box: { x: number; y: number; width: number; height: number },
): string {
  const title = t('helpdesk.stats.chart.bar', {
    day: shortDay(day),
    label: t(LABELS[key]),
    count: value,
  });
  return `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" fill="${COLOURS[key]}"><title>${e(title)}</title></rect>`;
}

function svg(kind: 'wide' | 'phone', width: number, height: number, description: string, inner: string) {
  const id = kind === 'wide' ? 'graphique-svg' : 'graphique-mobile';
  return `          <svg class="chart-${kind}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-titre ${id}-desc" focusable="false">
          <title id="${id}-titre">${e(t('helpdesk.stats.chart.title'))}</title>
          <desc id="${id}-desc">${e(description)}</desc>
          ${inner}
          </svg>`;
}

/**
 * Grouped columns, created then confirmed, one group per day. Shown from 50em (at least 700 px of chart
 * for 720 units): 13-unit labels are then drawn at 12.6 px or more.
 */
function columns(daily: readonly AccountsDay[], peak: number, description: string): string {
  const width = 720;
  const height = 260;
  const font = 13;
  const pad = { left: 44, right: 8, top: 12, bottom: 32 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const top = niceMax(peak);
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const group = plotW / Math.max(1, daily.length);
  // Thin bars stay readable over 90 days; a short period does not get slabs.
  const thickness = Math.min(28, Math.max(1, group * 0.36));
  const labelEvery = Math.ceil(daily.length / 12);
  const grid = ticks(top)
    .map(
      (v) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${GRID}" stroke-width="1"/>` +
        `<text x="${pad.left - 6}" y="${n(y(v) + 4)}" text-anchor="end" font-size="${font}" fill="${TEXT}">${v}</text>`,
    )
    .join('');
  const bars = daily
    .map((d, i) => {
      const x = pad.left + i * group + (group - 2 * thickness) / 2;
      const column = (value: number, offset: number, key: 'created' | 'confirmed') =>
        bar(d.day, value, key, {
          x: x + offset,
          y: y(value),
          width: thickness,
          height: pad.top + plotH - y(value),
        });
      const label =
        i % labelEvery === 0
          ? `<text x="${n(pad.left + i * group + group / 2)}" y="${height - pad.bottom + 18}" text-anchor="middle" font-size="${font}" fill="${TEXT}">${e(shortDay(d.day))}</text>`
          : '';
      return (
        column(d.accountsCreated, 0, 'created') + column(d.accountsConfirmed, thickness, 'confirmed') + label
      );
    })
    .join('\n          ');
  return svg('wide', width, height, description, `${grid}\n          ${bars}`);
}

/**
 * One row per day, the day on the left and two bars growing to the right, the axis on top: a phone's
 * width is enough for it. 288 units wide, drawn between 304 px (a 320 px phone) and 24rem (the stylesheet's
 * cap): 12-unit labels at 12.6 to 16 px. Up to a month every day is named; over a longer period the rows
 * are thinner and every seventh day is named.
 */
function rows(daily: readonly AccountsDay[], peak: number, description: string): string {
  const width = 288;
  const font = 12;
  const dense = daily.length > 31;
  const row = dense ? 12 : 28;
  const thickness = dense ? 5 : 10;
  const labelEvery = dense ? 7 : 1;
  const pad = { left: 46, right: 14, top: 22, bottom: 6 };
  const plotW = width - pad.left - pad.right;
  const height = pad.top + daily.length * row + pad.bottom;
  const top = niceMax(peak);
  const x = (v: number) => pad.left + (v / top) * plotW;
  const grid = ticks(top)
    .map(
      (v) =>
        `<line x1="${n(x(v))}" x2="${n(x(v))}" y1="${pad.top - 4}" y2="${height - pad.bottom}" stroke="${GRID}" stroke-width="1"/>` +
        `<text x="${n(x(v))}" y="${pad.top - 8}" text-anchor="middle" font-size="${font}" fill="${TEXT}">${v}</text>`,
    )
    .join('');
  const bars = daily
    .map((d, i) => {
      const y = pad.top + i * row + (row - 2 * thickness) / 2;
      const line = (value: number, offset: number, key: 'created' | 'confirmed') =>
        bar(d.day, value, key, { x: pad.left, y: y + offset, width: x(value) - pad.left, height: thickness });
      const label =
        i % labelEvery === 0
          ? `<text x="${pad.left - 6}" y="${n(pad.top + i * row + row / 2 + 4)}" text-anchor="end" font-size="${font}" fill="${TEXT}">${e(shortDay(d.day))}</text>`
          : '';
      return (
        line(d.accountsCreated, 0, 'created') + line(d.accountsConfirmed, thickness, 'confirmed') + label
      );
    })
    .join('\n          ');
  return svg('phone', width, height, description, `${grid}\n          ${bars}`);
}
