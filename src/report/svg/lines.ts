/** Line chart with a shaded confidence band per series (e.g. a sweep's response curve of a metric). */
import { colour, esc, extent, fmtNum, legend, linear, n, svgOpen, text, ticks, xAxis } from './common.js';

export interface BandPoint {
  readonly x: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

export interface LineBandChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly { readonly name: string; readonly points: readonly BandPoint[] }[];
  readonly width?: number;
  readonly height?: number;
}

export function lineBandChart(c: LineBandChart): string {
  const width = c.width ?? 560;
  const height = c.height ?? 300;
  const left = 64;
  const right = 16;
  const top = c.series.length > 1 ? 34 : 16;
  const bottom = height - 40;
  const pts = c.series.flatMap((s) => s.points);
  const [x0, x1] = extent(pts.map((p) => p.x), [], 0.02);
  const [y0, y1] = extent(pts.flatMap((p) => [p.lo, p.hi, p.mean]));
  const x = linear(x0, x1, left, width - right);
  const y = linear(y0, y1, bottom, top);
  const parts = [svgOpen(width, height, c.title), xAxis(x, ticks(x0, x1, 6), top, bottom, c.xLabel, (left + width - right) / 2)];
  for (const t of ticks(y0, y1, 5)) {
    parts.push(`<line x1="${n(left)}" x2="${n(width - right)}" y1="${n(y(t))}" y2="${n(y(t))}" stroke="#ddd"/>`, text(left - 6, y(t) + 4, fmtNum(t), 'text-anchor="end" fill="#444"'));
  }
  parts.push(text(12, (top + bottom) / 2, c.yLabel, `text-anchor="middle" fill="#222" transform="rotate(-90 12 ${n((top + bottom) / 2)})"`));
  if (c.series.length > 1) parts.push(legend(left, 16, c.series.map((s, i) => ({ name: s.name, colour: colour(i) }))));
  c.series.forEach((s, i) => {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (sorted.length === 0) return;
    const band = [...sorted.map((p) => `${n(x(p.x))},${n(y(p.hi))}`), ...[...sorted].reverse().map((p) => `${n(x(p.x))},${n(y(p.lo))}`)].join(' ');
    parts.push(`<polygon points="${band}" fill="${colour(i)}" fill-opacity="0.18" stroke="none"/>`);
    parts.push(`<polyline points="${sorted.map((p) => `${n(x(p.x))},${n(y(p.mean))}`).join(' ')}" fill="none" stroke="${colour(i)}" stroke-width="2"/>`);
    for (const p of sorted) {
      parts.push(`<circle cx="${n(x(p.x))}" cy="${n(y(p.mean))}" r="3" fill="${colour(i)}"><title>${esc(`${s.name}: x=${fmtNum(p.x)} mean ${fmtNum(p.mean)} [${fmtNum(p.lo)}, ${fmtNum(p.hi)}]`)}</title></circle>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
