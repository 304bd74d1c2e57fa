/**
 * Small pure helpers for inline SVG charts: escaping, scales, ticks, number labels, a colour-blind-safe palette.
 * Every text that reaches a chart passes through `esc`, since labels come from artifacts (untrusted input).
 */

import { escapeHtml } from '../../core/safe-text.js';

/** Escape text for XML/HTML element content and attribute values (control characters made harmless too). */
export const esc = escapeHtml;

/** Okabe-Ito colours (distinguishable with the common colour-vision deficiencies). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

export function colour(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length] as string;
}

export type Scale = (x: number) => number;

/** Maps [d0, d1] linearly onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** Round tick values covering [lo, hi], about `count` of them (1, 2 or 5 times a power of ten apart). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const [a, b] = lo < hi ? [lo, hi] : [hi, lo];
  const raw = (b - a) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  // Each tick is a whole multiple of the step, rounded to the step's decimals (no accumulated error).
  const decimals = Math.min(100, Math.max(0, -Math.floor(Math.log10(step)) + 1));
  const first = Math.ceil(a / step - 1e-9);
  // A range tiny next to its values (1e6 to 1e6 + 1e-10: a metric equal in every run but for rounding) has
  // steps below the values' precision: its two ends are the ticks.
  if (!Number.isFinite(first) || b / step - first > 10 * Math.max(1, count) || a + step === a) return [a, b];
  const out: number[] = [];
  for (let k = first; k * step <= b + step * 1e-9; k++) out.push(k === 0 ? 0 : Number((k * step).toFixed(decimals)));
  return out;
}

/** Domain [lo, hi] widened to include `include` values (e.g. 0) and padded a little so marks do not touch the frame. */
export function extent(values: readonly number[], include: readonly number[] = [], pad = 0.05): [number, number] {
  const all = [...values, ...include].filter(Number.isFinite);
  if (all.length === 0) return [0, 1];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * pad;
  if (!include.includes(lo)) lo -= d;
  if (!include.includes(hi)) hi += d;
  return [lo, hi];
}

/** Short number label: 1.2M, 35k, 1570, 0.25, 1.5e-4. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const p3 = (v: number): string => String(Number(v.toPrecision(3)));
  if (a === 0) return '0';
  if (a >= 1e9) return `${p3(x / 1e9)}G`;
  if (a >= 1e6) return `${p3(x / 1e6)}M`;
  if (a >= 1e4) return `${p3(x / 1e3)}k`;
  if (a >= 1e-3) return p3(x);
  return x.toExponential(1);
}

/** A number rounded for SVG coordinates (short, deterministic output). */
export function n(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '0';
}

/** Opening <svg> with a title (read by screen readers and shown as a tooltip) and the shared text style. */
export function svgOpen(width: number, height: number, title: string): string {
  return (
    `<svg width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12"><title>${esc(title)}</title>`
  );
}

export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attrs ? ` ${attrs}` : ''}>${esc(s)}</text>`;
}

/** Vertical grid lines and labels for an x axis at the bottom of a plot area. */
export function xAxis(scale: Scale, tickValues: readonly number[], top: number, bottom: number, label: string, mid: number): string {
  const parts = tickValues.map(
    (t) =>
      `<line x1="${n(scale(t))}" x2="${n(scale(t))}" y1="${n(top)}" y2="${n(bottom)}" stroke="#ddd"/>` +
      text(scale(t), bottom + 14, fmtNum(t), 'text-anchor="middle" fill="#444"'),
  );
  if (label) parts.push(text(mid, bottom + 30, label, 'text-anchor="middle" fill="#222"'));
  return parts.join('');
}

/** Legend as rows of swatches, wrapped before `maxX` (long names never run past the chart's edge). */
export function legend(x: number, y: number, items: readonly { name: string; colour: string }[], maxX = Infinity): string {
  return legendRows(x, items, maxX)
    .map((row, r) => row.map(({ it, cx }) => `<rect x="${n(cx)}" y="${n(y + r * LEGEND_ROW - 9)}" width="10" height="10" fill="${it.colour}"/>${text(cx + 14, y + r * LEGEND_ROW, it.name, 'fill="#222"')}`).join(''))
    .join('');
}

export const LEGEND_ROW = 16;

/** The legend's items placed in rows (an estimate of 7 px a character, as labelWidth). */
export function legendRows<T extends { name: string }>(x: number, items: readonly T[], maxX = Infinity): { it: T; cx: number }[][] {
  const rows: { it: T; cx: number }[][] = [[]];
  let cx = x;
  for (const it of items) {
    const w = 24 + Math.min(60, it.name.length) * 7;
    if (cx > x && cx + w - 10 > maxX) {
      rows.push([]);
      cx = x;
    }
    (rows[rows.length - 1] as { it: T; cx: number }[]).push({ it, cx });
    cx += w;
  }
  return rows;
}

/** Width in px to leave for the longest label (an estimate: SVG cannot measure text without a browser). */
export function labelWidth(labels: readonly string[], min = 40, max = 260): number {
  return Math.min(max, Math.max(min, ...labels.map((l) => l.length * 7 + 10)));
}

/** An x-y plot area: the <svg> opening, both axes with grid lines and labels, and the two scales. */
export function xyFrame(o: {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width: number;
  readonly height: number;
  readonly top: number;
  readonly right: number;
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
}): { parts: string[]; x: Scale; y: Scale; left: number; bottom: number } {
  const left = 64;
  const bottom = o.height - 40;
  const [x0, x1] = o.xDomain;
  const [y0, y1] = o.yDomain;
  const x = linear(x0, x1, left, o.width - o.right);
  const y = linear(y0, y1, bottom, o.top);
  const parts = [svgOpen(o.width, o.height, o.title), xAxis(x, ticks(x0, x1, 6), o.top, bottom, o.xLabel, (left + o.width - o.right) / 2)];
  for (const t of ticks(y0, y1, 5)) {
    parts.push(`<line x1="${n(left)}" x2="${n(o.width - o.right)}" y1="${n(y(t))}" y2="${n(y(t))}" stroke="#ddd"/>`, text(left - 6, y(t) + 4, fmtNum(t), 'text-anchor="end" fill="#444"'));
  }
  const mid = (o.top + bottom) / 2;
  parts.push(text(12, mid, o.yLabel, `text-anchor="middle" fill="#222" transform="rotate(-90 12 ${n(mid)})"`));
  return { parts, x, y, left, bottom };
}
