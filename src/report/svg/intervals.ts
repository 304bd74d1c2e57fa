/**
 * Dot-and-whisker chart: per row, one mean with its confidence interval per series (e.g. a metric under each
 * regime, or a paired difference with a zero line).
 */
import { colour, esc, extent, fmtNum, labelWidth, legend, legendRows, LEGEND_ROW, linear, n, svgOpen, text, ticks, xAxis } from './common.js';

export interface IntervalPoint {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

export interface IntervalChart {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly string[];
  /** points[i] belongs to series i; null where a series has no value for the row. */
  readonly rows: readonly { readonly label: string; readonly points: readonly (IntervalPoint | null)[] }[];
  /** Draw a reference line at 0 (for differences). */
  readonly zero?: boolean;
  readonly width?: number;
}

export function intervalChart(c: IntervalChart): string {
  const width = c.width ?? 760;
  const k = Math.max(1, c.series.length);
  const rowH = Math.max(22, 10 + 12 * k);
  const left = labelWidth(c.rows.map((r) => r.label));
  const right = 24;
  const items = c.series.map((name, i) => ({ name, colour: colour(i) }));
  const top = c.series.length > 1 ? 34 + (legendRows(left, items, width - right).length - 1) * LEGEND_ROW : 14;
  const plotH = Math.max(1, c.rows.length) * rowH;
  const height = top + plotH + 40;
  const values = c.rows.flatMap((r) => r.points.flatMap((p) => (p ? [p.lo, p.hi, p.mean] : [])));
  const [lo, hi] = extent(values, c.zero ? [0] : []);
  const x = linear(lo, hi, left, width - right);
  const parts = [svgOpen(width, height, c.title), xAxis(x, ticks(lo, hi, 6), top, top + plotH, c.xLabel, (left + width - right) / 2)];
  if (c.series.length > 1) parts.push(legend(left, 16, items, width - right));
  if (c.zero) parts.push(`<line x1="${n(x(0))}" x2="${n(x(0))}" y1="${n(top)}" y2="${n(top + plotH)}" stroke="#555" stroke-dasharray="4 3"/>`);
  c.rows.forEach((r, i) => {
    const y0 = top + i * rowH;
    if (i % 2 === 1) parts.push(`<rect x="${n(left)}" y="${n(y0)}" width="${n(width - right - left)}" height="${n(rowH)}" fill="#000" fill-opacity="0.03"/>`);
    parts.push(text(left - 6, y0 + rowH / 2 + 4, r.label.length > 36 ? `${r.label.slice(0, 35)}…` : r.label, 'text-anchor="end" fill="#222"'));
    r.points.forEach((p, j) => {
      if (!p) return;
      const y = y0 + (rowH * (j + 1)) / (k + 1);
      const tip = `<title>${esc(`${r.label}${c.series.length > 1 ? ` (${c.series[j] ?? ''})` : ''}: ${fmtNum(p.mean)} [${fmtNum(p.lo)}, ${fmtNum(p.hi)}]`)}</title>`;
      parts.push(
        `<g stroke="${colour(j)}" stroke-width="1.5"><line x1="${n(x(p.lo))}" x2="${n(x(p.hi))}" y1="${n(y)}" y2="${n(y)}"/>` +
          `<line x1="${n(x(p.lo))}" x2="${n(x(p.lo))}" y1="${n(y - 4)}" y2="${n(y + 4)}"/><line x1="${n(x(p.hi))}" x2="${n(x(p.hi))}" y1="${n(y - 4)}" y2="${n(y + 4)}"/></g>` +
          `<circle cx="${n(x(p.mean))}" cy="${n(y)}" r="3.5" fill="${colour(j)}">${tip}</circle>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
