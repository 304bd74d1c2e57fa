/** Labelled scatter plot (e.g. Morris mu* against sigma: far right = important, high = non-linear or interacting). */
import { colour, esc, extent, fmtNum, n, text, xyFrame } from './common.js';

export interface ScatterChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly { readonly label: string; readonly x: number; readonly y: number }[];
  readonly width?: number;
  readonly height?: number;
}

export function scatterChart(c: ScatterChart): string {
  const width = c.width ?? 560;
  const right = 24;
  const { parts, x, y, left } = xyFrame({
    title: c.title,
    xLabel: c.xLabel,
    yLabel: c.yLabel,
    width,
    height: c.height ?? 320,
    top: 16,
    right,
    xDomain: extent(c.points.map((p) => p.x), [0]),
    yDomain: extent(c.points.map((p) => p.y), [0]),
  });
  c.points.forEach((p, i) => {
    const anchor = x(p.x) > (left + width - right) / 2 ? 'end' : 'start';
    const dx = anchor === 'end' ? -7 : 7;
    parts.push(
      `<circle cx="${n(x(p.x))}" cy="${n(y(p.y))}" r="4.5" fill="${colour(i)}"><title>${esc(`${p.label}: ${fmtNum(p.x)}, ${fmtNum(p.y)}`)}</title></circle>`,
      text(x(p.x) + dx, y(p.y) - 6, p.label.length > 40 ? `${p.label.slice(0, 39)}…` : p.label, `text-anchor="${anchor}" fill="#222"`),
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
