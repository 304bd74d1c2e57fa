/**
 * Layout maths for the replay, in pure functions of numbers and strings (no React, no terminal): which table
 * columns fit a width, how many rows a section gets, sparklines, bars and the ASCII utility plane. The views
 * only place what these return, so every width from 80 to 200+ columns is tested here.
 */

/** 62500 -> "62.5k", 1_250_000 -> "1.25M": short enough for narrow table cells. */
export function compact(x: number): string {
  const a = Math.abs(x);
  const s = x < 0 ? '-' : '';
  // Trailing zeros go only after a decimal point: 100 stays 100, 62.50 becomes 62.5.
  const fix = (v: number): string => (v >= 100 ? v.toFixed(0) : (v >= 10 ? v.toFixed(1) : v.toFixed(2)).replace(/\.?0+$/, ''));
  if (a >= 1e9) return `${s}${fix(a / 1e9)}G`;
  if (a >= 1e6) return `${s}${fix(a / 1e6)}M`;
  if (a >= 1e3) return `${s}${fix(a / 1e3)}k`;
  if (a === 0) return '0';
  return `${s}${a >= 1 ? a.toFixed(0) : a.toFixed(2)}`;
}

/** Cut to `w` characters (with an ellipsis) or pad with spaces to exactly `w`. */
export function fit(s: string, w: number, align: 'left' | 'right' = 'left'): string {
  if (w <= 0) return '';
  if (s.length > w) return w === 1 ? s.slice(0, 1) : `${s.slice(0, w - 1)}~`;
  return align === 'left' ? s.padEnd(w) : s.padStart(w);
}

export interface Column<K extends string = string> {
  readonly key: K;
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Lower shows first when space is short; 0 is always shown. */
  readonly priority: number;
}

/**
 * The columns that fit in `width` (one space between columns), keeping the highest-priority ones and the
 * original left-to-right order.
 */
export function chooseColumns<K extends string>(all: readonly Column<K>[], width: number): Column<K>[] {
  const byPriority = [...all].sort((a, b) => a.priority - b.priority);
  const chosen = new Set<Column<K>>();
  let used = 0;
  for (const c of byPriority) {
    const need = c.width + (chosen.size ? 1 : 0);
    if (c.priority === 0 || used + need <= width) {
      chosen.add(c);
      used += need;
    }
  }
  return all.filter((c) => chosen.has(c));
}

export function rowText<K extends string>(cols: readonly Column<K>[], cells: Readonly<Record<K, string>>): string {
  return cols.map((c) => fit(cells[c.key], c.width, c.align)).join(' ');
}

/** First index of a window of `size` rows over `count` that keeps `selected` visible and roughly centred. */
export function windowStart(count: number, size: number, selected: number): number {
  if (size <= 0 || count <= size) return 0;
  const s = Math.min(Math.max(0, selected - Math.floor(size / 2)), count - size);
  return Math.max(0, s);
}

const SPARK = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of `values` in exactly `width` cells (the last `width` values; shorter series are padded on the
 * right with spaces, so a series that grows during playback fills in from the left). Scaled over `range` when
 * given (the whole run, so bars do not rescale as playback advances), else over the values' min and max.
 */
export function sparkline(values: readonly number[], width: number, opts: { range?: readonly [number, number]; ascii?: boolean } = {}): string {
  if (width <= 0) return '';
  const vs = values.slice(-width);
  const finite = vs.filter(Number.isFinite);
  const chars = opts.ascii ? '_.-~=+*#' : SPARK;
  if (finite.length === 0) return ' '.repeat(width);
  const [lo, hi] = opts.range ?? [Math.min(...finite), Math.max(...finite)];
  const out = vs.map((v) => {
    if (!Number.isFinite(v)) return ' ';
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    return chars[Math.min(chars.length - 1, Math.max(0, Math.round(t * (chars.length - 1))))] ?? ' ';
  });
  return out.join('').padEnd(width);
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `value / max` in exactly `width` cells, with eighth-cell resolution. */
export function bar(value: number, max: number, width: number, opts: { ascii?: boolean } = {}): string {
  if (width <= 0) return '';
  const t = max > 0 && Number.isFinite(value) ? Math.min(1, Math.max(0, value / max)) : 0;
  if (opts.ascii) return '#'.repeat(Math.round(t * width)).padEnd(width);
  const eighths = Math.round(t * width * 8);
  const full = Math.floor(eighths / 8);
  return ('█'.repeat(full) + (EIGHTHS[eighths % 8] ?? '')).padEnd(width).slice(0, width);
}

export type PlaneMark = 'frontier' | 'offer0' | 'offer1' | 'nash' | 'ks' | 'agreement' | 'disagreement';

export interface PlaneInput {
  readonly frontier: readonly (readonly [number, number])[];
  /** Offers in order, with the party that made each. */
  readonly offers: readonly { readonly by: 0 | 1; readonly utilities: readonly [number, number] }[];
  readonly nash: readonly [number, number] | null;
  readonly ks: readonly [number, number] | null;
  readonly agreement: readonly [number, number] | null;
  readonly disagreement: readonly [number, number] | null;
}

export const PLANE_GLYPH: Readonly<Record<PlaneMark, string>> = {
  frontier: '.',
  offer0: 'e',
  offer1: 'c',
  nash: 'N',
  ks: 'K',
  agreement: '*',
  disagreement: 'd',
};

/** Later marks win a shared cell: the agreement, then the solutions, then offers, then the frontier. */
const PRECEDENCE: readonly PlaneMark[] = ['frontier', 'disagreement', 'offer1', 'offer0', 'ks', 'nash', 'agreement'];

/**
 * The two parties' utility plane as `height` lines of `width` characters: x is party 0's utility, y party 1's,
 * both over [0, max(1, largest value)]. A left axis and a bottom axis take one column and one row. Returns the
 * lines and, per cell, which mark is there (so a view can colour by meaning).
 */
export function utilityPlane(p: PlaneInput, width: number, height: number): { lines: string[]; marks: (PlaneMark | null)[][] } {
  const w = Math.max(2, width - 1);
  const h = Math.max(2, height - 1);
  const all = [...p.frontier, ...p.offers.map((o) => o.utilities), p.nash, p.ks, p.agreement, p.disagreement].filter((x): x is readonly [number, number] => x !== null);
  const xmax = Math.max(1, ...all.map((u) => u[0]));
  const ymax = Math.max(1, ...all.map((u) => u[1]));
  const xmin = Math.min(0, ...all.map((u) => u[0]));
  const ymin = Math.min(0, ...all.map((u) => u[1]));
  const marks: (PlaneMark | null)[][] = Array.from({ length: h }, () => Array<PlaneMark | null>(w).fill(null));
  const put = (u: readonly [number, number] | null, m: PlaneMark): void => {
    if (!u || !Number.isFinite(u[0]) || !Number.isFinite(u[1])) return;
    const cx = Math.round(((u[0] - xmin) / (xmax - xmin)) * (w - 1));
    const cy = h - 1 - Math.round(((u[1] - ymin) / (ymax - ymin)) * (h - 1));
    const row = marks[cy];
    if (!row || cx < 0 || cx >= w) return;
    const cur = row[cx] ?? null;
    if (cur === null || PRECEDENCE.indexOf(m) >= PRECEDENCE.indexOf(cur)) row[cx] = m;
  };
  // Connect consecutive frontier points so the curve reads as a line even when thinned.
  const fr = [...p.frontier].sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < fr.length; i++) {
    const a = fr[i] as readonly [number, number];
    put(a, 'frontier');
    const b = fr[i + 1];
    if (b) for (let k = 1; k < 8; k++) put([a[0] + ((b[0] - a[0]) * k) / 8, a[1] + ((b[1] - a[1]) * k) / 8], 'frontier');
  }
  put(p.disagreement, 'disagreement');
  for (const o of p.offers) put(o.utilities, o.by === 0 ? 'offer0' : 'offer1');
  put(p.ks, 'ks');
  put(p.nash, 'nash');
  put(p.agreement, 'agreement');
  const lines = marks.map((row, i) => (i === 0 ? '^' : '|') + row.map((m) => (m ? PLANE_GLYPH[m] : ' ')).join(''));
  lines.push(`+${'-'.repeat(w - 1)}>`);
  return { lines, marks };
}

export interface FooterKey {
  readonly keys: string;
  readonly label: string;
}

export const FOOTER_KEYS: readonly FooterKey[] = [
  { keys: 'space', label: 'play' },
  { keys: '←/→ h/l', label: 'step' },
  { keys: 'g/G', label: 'start/end' },
  { keys: '+/-', label: 'speed' },
  { keys: ':', label: 'go to round' },
  { keys: '↑/↓', label: 'country' },
  { keys: '/', label: 'search' },
  { keys: 'tab', label: 'view' },
  { keys: 'r', label: 'next arm' },
  { keys: '?', label: 'help' },
  { keys: 'q', label: 'quit' },
];

/** Footer entries packed into lines of at most `width` characters, two spaces apart. */
export function footerLines(keys: readonly FooterKey[], width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const k of keys) {
    const item = `${k.keys} ${k.label}`;
    if (cur && cur.length + 2 + item.length > width) {
      lines.push(cur);
      cur = item;
    } else cur = cur ? `${cur}  ${item}` : item;
  }
  if (cur) lines.push(cur);
  return lines.map((l) => fit(l, width));
}

/** Terminal size the replay lays out for; one row is kept free so Ink never takes its full-screen redraw path. */
export interface Size {
  readonly columns: number;
  readonly rows: number;
}

export const MIN_SIZE: Size = { columns: 60, rows: 16 };

export function frameSize(columns: number | undefined, rows: number | undefined): Size {
  return { columns: Math.max(MIN_SIZE.columns, columns || 80), rows: Math.max(MIN_SIZE.rows, (rows || 24) - 1) };
}

/** Greedy word wrap to `width`; continuation lines get `indent` spaces. Words longer than a line are cut. */
export function wrapText(s: string, width: number, indent = 2): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    if (cur.trim() === '') cur += word;
    else if (cur.length + 1 + word.length <= width) cur += ` ${word}`;
    else {
      out.push(cur.slice(0, width));
      cur = ' '.repeat(Math.min(indent, Math.max(0, width - 1))) + word;
    }
  }
  if (cur.trim() !== '') out.push(cur.slice(0, width));
  return out;
}
