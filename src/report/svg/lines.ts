/** Line chart with a shaded confidence band per series (e.g. a sweep's response curve of a metric). */
import { colour, esc, extent, fmtNum, legend, legendRows, LEGEND_ROW, n, xyFrame } from './common.js';

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
  /** Start the y axis at 0 (a quantity), so that a 6% change looks like 6%. */
  readonly zero?: boolean;
}

export function lineBandChart(c: LineBandChart): string {
  const width = c.width ?? 560;
  const items = c.series.map((s, i) => ({ name: s.name, colour: colour(i) }));
  // xyFrame's plot starts at 64 px (its y labels); legend rows wrap before the right edge.
  const top = c.series.length > 1 ? 34 + (legendRows(64, items, width - 16).length - 1) * LEGEND_ROW : 16;
  const pts = c.series.flatMap((s) => s.points);
  const { parts, x, y, left } = xyFrame({
    title: c.title,
    xLabel: c.xLabel,
    yLabel: c.yLabel,
    width,
    height: (c.height ?? 300) + Math.max(0, top - 34),
    top,
    right: 16,
    xDomain: extent(pts.map((p) => p.x), [], 0.02),
    yDomain: extent(pts.flatMap((p) => [p.lo, p.hi, p.mean]), c.zero ? [0] : []),
  });
  if (c.series.length > 1) parts.push(legend(left, 16, items, width - 16));
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
