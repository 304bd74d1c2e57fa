/**
 * Tornado chart: per parameter, a bar from the base value of the metric to its value with the parameter at
 * lo and another to its value at hi; rows in the order given (largest swing first).
 */
import { colour, esc, extent, fmtNum, labelWidth, legend, linear, n, svgOpen, text, ticks, xAxis } from './common.js';

export interface TornadoChart {
  readonly title: string;
  readonly xLabel: string;
  readonly base: number;
  readonly rows: readonly { readonly label: string; readonly low: number; readonly high: number }[];
  readonly width?: number;
}

const ROW = 26;

export function tornadoChart(c: TornadoChart): string {
  const width = c.width ?? 760;
  const left = labelWidth(c.rows.map((r) => r.label));
  const right = 24;
  const top = 34;
  const plotH = Math.max(1, c.rows.length) * ROW;
  const height = top + plotH + 40;
  const [lo, hi] = extent([c.base, ...c.rows.flatMap((r) => [r.low, r.high])]);
  const x = linear(lo, hi, left, width - right);
  const parts = [
    svgOpen(width, height, c.title),
    xAxis(x, ticks(lo, hi, 6), top, top + plotH, `${c.xLabel} (black line: base ${fmtNum(c.base)})`, (left + width - right) / 2),
    legend(left, 16, [
      { name: 'parameter at lo', colour: colour(0) },
      { name: 'parameter at hi', colour: colour(1) },
    ]),
  ];
  c.rows.forEach((r, i) => {
    const y = top + i * ROW;
    parts.push(text(left - 6, y + ROW / 2 + 4, r.label.length > 36 ? `${r.label.slice(0, 35)}…` : r.label, 'text-anchor="end" fill="#222"'));
    for (const [v, j, name] of [
      [r.low, 0, 'lo'],
      [r.high, 1, 'hi'],
    ] as const) {
      const a = Math.min(x(c.base), x(v));
      const w = Math.max(0.5, Math.abs(x(v) - x(c.base)));
      // Low and high bars each take half the row height, so overlapping ends (both on one side) stay visible.
      parts.push(
        `<rect x="${n(a)}" y="${n(y + 3 + j * ((ROW - 6) / 2))}" width="${n(w)}" height="${n((ROW - 6) / 2)}" fill="${colour(j)}"><title>${esc(`${r.label} at ${name}: ${fmtNum(v)}`)}</title></rect>`,
      );
    }
  });
  parts.push(`<line x1="${n(x(c.base))}" x2="${n(x(c.base))}" y1="${n(top - 2)}" y2="${n(top + plotH + 2)}" stroke="#222" stroke-width="1.5"/>`);
  parts.push('</svg>');
  return parts.join('');
}
