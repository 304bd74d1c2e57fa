/** Labelled scatter plot (e.g. Morris mu* against sigma: far right = important, high = non-linear or interacting). */
import { colour, esc, extent, fmtNum, linear, n, svgOpen, text, ticks, xAxis } from './common.js';

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
  const height = c.height ?? 320;
  const left = 64;
  const right = 24;
  const top = 16;
  const bottom = height - 40;
  const [x0, x1] = extent(c.points.map((p) => p.x), [0]);
  const [y0, y1] = extent(c.points.map((p) => p.y), [0]);
  const x = linear(x0, x1, left, width - right);
  const y = linear(y0, y1, bottom, top);
  const parts = [svgOpen(width, height, c.title), xAxis(x, ticks(x0, x1, 6), top, bottom, c.xLabel, (left + width - right) / 2)];
  for (const t of ticks(y0, y1, 5)) {
    parts.push(`<line x1="${n(left)}" x2="${n(width - right)}" y1="${n(y(t))}" y2="${n(y(t))}" stroke="#ddd"/>`, text(left - 6, y(t) + 4, fmtNum(t), 'text-anchor="end" fill="#444"'));
  }
  parts.push(text(12, (top + bottom) / 2, c.yLabel, `text-anchor="middle" fill="#222" transform="rotate(-90 12 ${n((top + bottom) / 2)})"`));
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
