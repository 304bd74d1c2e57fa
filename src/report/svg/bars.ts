/** Horizontal stacked bar chart: one bar per row, segments per series (e.g. chips delivered by route). */
import { colour, extent, labelWidth, legend, legendRows, LEGEND_ROW, linear, n, svgOpen, text, ticks, xAxis, esc, fmtNum } from './common.js';

export interface BarChart {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly string[];
  /** values[i] is the value of series i (non-negative; missing = 0). */
  readonly rows: readonly { readonly label: string; readonly values: readonly number[] }[];
  /** Optional marker per row (e.g. demand), drawn as a tick. */
  readonly markers?: { readonly name: string; readonly values: readonly (number | null)[] };
  readonly width?: number;
}

const ROW = 20;

export function barChart(c: BarChart): string {
  const width = c.width ?? 760;
  const left = labelWidth(c.rows.map((r) => r.label));
  const right = 20;
  const items = c.series.map((name, i) => ({ name, colour: colour(i) }));
  if (c.markers) items.push({ name: c.markers.name, colour: '#222' });
  const top = 34 + (items.length > 1 ? legendRows(left, items, width - right).length - 1 : 0) * LEGEND_ROW;
  const plotH = Math.max(1, c.rows.length) * ROW;
  const height = top + plotH + 40;
  const totals = c.rows.map((r) => r.values.reduce((s, v) => s + Math.max(0, v), 0));
  const markerValues = (c.markers?.values ?? []).filter((v): v is number => v !== null);
  const [, hi] = extent([...totals, ...markerValues], [0], 0.02);
  const x = linear(0, hi, left, width - right);
  const parts: string[] = [svgOpen(width, height, c.title), xAxis(x, ticks(0, hi, 6), top, top + plotH, c.xLabel, (left + width - right) / 2)];
  if (items.length > 1) parts.push(legend(left, 16, items, width - right));
  c.rows.forEach((r, i) => {
    const y = top + i * ROW;
    parts.push(text(left - 6, y + ROW / 2 + 4, r.label.length > 36 ? `${r.label.slice(0, 35)}…` : r.label, 'text-anchor="end" fill="#222"'));
    let acc = 0;
    r.values.forEach((v, j) => {
      if (!(v > 0)) return;
      const x0 = x(acc);
      acc += v;
      parts.push(
        `<rect x="${n(x0)}" y="${n(y + 3)}" width="${n(Math.max(0.5, x(acc) - x0))}" height="${ROW - 6}" fill="${colour(j)}"><title>${esc(`${r.label}: ${c.series[j] ?? ''} ${fmtNum(v)}`)}</title></rect>`,
      );
    });
    const m = c.markers?.values[i];
    if (m !== undefined && m !== null) parts.push(`<line x1="${n(x(m))}" x2="${n(x(m))}" y1="${n(y + 1)}" y2="${n(y + ROW - 1)}" stroke="#222" stroke-width="2"/>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
