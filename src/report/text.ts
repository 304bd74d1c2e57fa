/**
 * Plain-text report of a result artifact: what `tradesim run` prints without a TTY (and with --no-tui).
 * Reads only the artifact, never the simulation.
 */
import type { BargainingResult, ChipsResult, FinalMetrics, Result } from '../core/events.js';
import { FINAL_METRICS, formatMetric } from '../core/metrics.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
}

export const plainStyle: Style = { bold: (s) => s, dim: (s) => s };
export const ansiStyle: Style = { bold: (s) => `\x1b[1m${s}\x1b[22m`, dim: (s) => `\x1b[2m${s}\x1b[22m` };

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec = (d: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const f1 = dec(1);
const f2 = dec(2);
const f3 = dec(3);

export const fmtInt = (x: number): string => intFmt.format(Math.round(x) === 0 ? 0 : x);
export const fmtUsd = (bn: number): string => `$${f1.format(bn)}bn`;
export const fmtPct = (x: number): string => `${f1.format(100 * x)}%`;

/** Lay out rows as a table: first column left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** How wide text output may be: `width` columns (80 unless a terminal says otherwise), or every column with --wide. */
export interface Layout {
  readonly width: number;
  readonly wide: boolean;
}

export const DEFAULT_LAYOUT: Layout = { width: 80, wide: false };

const tableWidth = (header: readonly string[], rows: readonly (readonly string[])[]): number =>
  header.reduce((sum, h, i) => sum + Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)), 0) + 2 * Math.max(0, header.length - 1);

/**
 * A table that fits `layout.width` columns: first the columns named in `drop` that hold nothing (all "0",
 * "n/a" or empty) go, then the others in `drop`, in order, until it fits (a note names them, and --wide shows
 * all); if it is still too wide, each row's first cell goes on a line of its own with the values under it,
 * and columns that still do not fit go to a further block with the first column repeated.
 */
export function fitTable(header: readonly string[], rows: readonly (readonly string[])[], layout: Layout = DEFAULT_LAYOUT, drop: readonly string[] = []): string {
  if (layout.wide || tableWidth(header, rows) <= layout.width) return table(header, rows);
  let keep = header.map((_, i) => i);
  const hidden: string[] = [];
  const empty = (i: number): boolean => rows.every((r) => /^(0|0\.0+|n\/a|-|)$/.test((r[i] ?? '').trim()));
  const order = [...drop.filter((d) => empty(header.indexOf(d))), ...drop.filter((d) => !empty(header.indexOf(d)))];
  const pick = (xs: readonly string[], cols: readonly number[]): string[] => cols.map((i) => xs[i] ?? '');
  for (const name of order) {
    const i = header.indexOf(name);
    if (i <= 0 || !keep.includes(i)) continue;
    if (tableWidth(pick(header, keep), rows.map((r) => pick(r, keep))) <= layout.width) break;
    keep = keep.filter((k) => k !== i);
    hidden.push(name);
  }
  const note = hidden.length > 0 ? `(hidden: ${hidden.join(', ')}; --wide shows all)` : null;
  const h = pick(header, keep);
  const rs = rows.map((r) => pick(r, keep));
  if (tableWidth(h, rs) <= layout.width) return [table(h, rs), ...(note ? [note] : [])].join('\n');
  // Stacked: "label" on its own line, its values indented under it; column groups that fit, side by side.
  const rest = h.slice(1).map((_, k) => k + 1);
  const colWidth = (i: number): number => Math.max(h[i]?.length ?? 0, ...rs.map((r) => (r[i] ?? '').length));
  const groups: number[][] = [];
  let cur: number[] = [];
  let used = 2;
  for (const i of rest) {
    const w = colWidth(i) + (cur.length > 0 ? 2 : 0);
    if (cur.length > 0 && used + w > layout.width) {
      groups.push(cur);
      cur = [];
      used = 2;
    }
    cur.push(i);
    used += colWidth(i) + (cur.length > 1 ? 2 : 0);
  }
  if (cur.length > 0) groups.push(cur);
  const blocks = groups.map((g) => {
    const widths = g.map(colWidth);
    const line = (cells: readonly string[]): string => `  ${cells.map((c, k) => c.padStart(widths[k] ?? 0)).join('  ')}`.trimEnd();
    const head = [h[0] ?? '', line(pick(h, g)), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`];
    return [...head, ...rs.flatMap((r) => [r[0] ?? '', line(pick(r, g))])].join('\n');
  });
  return [...blocks, ...(note ? [note] : [])].join('\n\n');
}

/** Prose wrapped at word boundaries to `width` columns; continuation lines get `indent`. */
export function wrapText(text: string, layout: Layout = DEFAULT_LAYOUT, indent = '  '): string {
  if (layout.wide || text.length <= layout.width) return text;
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = lead;
  for (const w of words) {
    if (line.trim() !== '' && line.length + 1 + w.length > layout.width) {
      lines.push(line);
      line = `${lead}${indent}${w}`;
    } else line = line.trim() === '' ? `${line}${w}` : `${line} ${w}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Every final metric of the catalogue (src/core/metrics.ts): its label and its value with the unit. */
export function metricLines(m: FinalMetrics): [string, string][] {
  return FINAL_METRICS.map((def) => [def.label, formatMetric(def, m[def.key])]);
}

export function chipsReport(r: ChipsResult, style: Style = plainStyle, layout: Layout = DEFAULT_LAYOUT): string {
  const first = r.rounds[0]?.label ?? '';
  const last = r.rounds[r.rounds.length - 1]?.label ?? '';
  const head = [
    style.bold(`${r.scenario.title || r.scenario.id}`),
    style.dim(
      wrapText(`scenario ${r.scenario.id} (${r.scenario.hash.slice(0, 12)}), regime ${r.regime}, seed ${r.seed}, ${r.rounds.length} rounds ${first}-${last}, tradesim ${r.tool.version}`, layout),
    ),
  ];
  const rows = r.countries.map((c) => [
    c.id,
    String(c.tier),
    c.route,
    fmtInt(c.demand),
    fmtInt(c.delivered),
    fmtPct(c.fulfilment),
    fmtInt(c.byRoute.deal),
    fmtInt(c.byRoute.capped),
    fmtInt(c.byRoute.exempt + c.byRoute.veu),
    fmtInt(c.rival),
    fmtInt(c.leaked),
    f1.format(c.concessionsUsd),
    `${f2.format(c.relationsStart)}->${f2.format(c.relationsEnd)}`,
  ]);
  // At 80 columns the columns a regime leaves empty go first (capped and exempt under deals, deal under caps);
  // then the ones the route column or the metrics below stand in for, keeping what the regime is about.
  const allocations = fitTable(
    ['country', 'tier', 'route', 'demand', 'delivered', 'fulfil', 'deal', 'capped', 'exempt+veu', 'rival', 'leaked', 'conc $bn', 'relations'],
    rows,
    layout,
    ['relations', 'tier', 'leaked', 'rival', 'exempt+veu', 'capped', 'conc $bn', 'deal'],
  );
  const advRows = r.adversaries.map((a) => [a.id, fmtInt(a.domestic), fmtInt(a.licensed), fmtInt(a.diverted), fmtInt(a.total)]);
  const metrics = metricLines(r.metrics.final);
  const w = Math.max(...metrics.map(([k]) => k.length));
  return [
    ...head,
    '',
    style.bold('Allocations (H100e, cumulative over the run)'),
    allocations,
    ...(advRows.length ? ['', style.bold('Adversaries (H100e)'), table(['adversary', 'domestic', 'licensed', 'diverted', 'total'], advRows)] : []),
    '',
    style.bold('Key metrics'),
    ...metrics.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`),
    '',
  ].join('\n');
}

export function bargainingReport(r: BargainingResult, style: Style = plainStyle): string {
  const n = r.negotiation;
  const names = n.parties;
  // Six decimals, trailing zeros trimmed: enough to compare an agreement with a closed form to 1e-6.
  const num = (x: number): string => String(Number(x.toFixed(6)));
  const outcome = (o: readonly number[]): string => n.issues.map((iss, i) => `${iss.name}=${num(o[i] ?? 0)}`).join(', ');
  const point = (label: string, p: { outcome: readonly number[]; utilities: readonly [number, number] } | null): string =>
    p ? `  ${label.padEnd(20)} ${outcome(p.outcome)}  (u ${f3.format(p.utilities[0])}, ${f3.format(p.utilities[1])})` : `  ${label.padEnd(20)} n/a`;
  const lines = [
    style.bold(r.scenario.title || r.scenario.id),
    style.dim(`scenario ${r.scenario.id} (${r.scenario.hash.slice(0, 12)}), seed ${r.seed}, tradesim ${r.tool.version}`),
    '',
    `${names[0]} (${n.strategies[0]}) vs ${names[1]} (${n.strategies[1]}), deadline ${n.deadline} offers`,
    n.agreement
      ? `Agreement at offer ${n.steps + 1}: ${outcome(n.agreement.outcome)}`
      : `No agreement (${n.reason}) after ${n.steps} offers`,
    `Payoffs (discounted): ${names[0]} ${f3.format(n.payoffs[0])}, ${names[1]} ${f3.format(n.payoffs[1])}`,
    '',
    style.bold('Theory'),
    point('agreement', n.agreement),
    point('Nash solution', r.theory.nash),
    point('Kalai-Smorodinsky', r.theory.ks),
    `  ${'distance to Nash'.padEnd(20)} ${n.distanceToNash === null ? 'n/a' : f3.format(n.distanceToNash)}`,
  ];
  if (r.theory.rubinstein) {
    const rb = r.theory.rubinstein;
    lines.push(
      `  ${'Rubinstein (inf.)'.padEnd(20)} ${names[0]} share ${rb.infiniteHorizon.toFixed(6)}`,
      `  ${`Rubinstein (T=${rb.deadline})`.padEnd(20)} ${names[0]} share ${rb.finiteHorizon.toFixed(6)}`,
    );
  }
  lines.push('', style.bold('Offers'));
  const shown = n.offers.length > 12 ? [...n.offers.slice(0, 6), null, ...n.offers.slice(-5)] : n.offers;
  for (const o of shown) {
    lines.push(o ? `  ${String(o.step + 1).padStart(4)}. ${names[o.by]}: ${outcome(o.outcome)}  (u ${f3.format(o.utilities[0])}, ${f3.format(o.utilities[1])})` : '   ...');
  }
  lines.push('');
  return lines.join('\n');
}

export function textReport(r: Result, style: Style = plainStyle, layout: Layout = DEFAULT_LAYOUT): string {
  return r.kind === 'chips' ? chipsReport(r, style, layout) : bargainingReport(r, style);
}
