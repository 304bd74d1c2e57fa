/**
 * Robustness of policy levers over uncertain worlds (`tradesim robustness`), on the rows of a levers x
 * worlds sweep (`sweep --levers ... --uncertainty N`): every lever combination ran in the same worlds.
 *
 * Per lever combination, over the worlds (each world's value: its mean over its seeds):
 * - each metric's mean and quantiles;
 * - regret (Savage): in each world, how far the combination falls short of the best combination in that
 *   world by the metric's direction (from the metric catalogue); mean, 95% quantile and maximum over worlds.
 *   A neutral metric has no regret;
 * - satisficing: the share of worlds where every --satisfy clause holds (on the world's means);
 * - a ranking: by the satisficing share (highest first) when thresholds are given, else by the maximum regret
 *   of the first metric with a direction (minimax regret); ties by mean regret, then by label.
 */
import { compileExpression, type CompiledExpression } from '../core/expr.js';
import { InputError } from '../core/errors.js';
import type { RobustnessResult } from '../core/events.js';
import { finalMetric, FINAL_METRICS } from '../core/metrics.js';
import { didYouMean } from '../core/suggest.js';
import { tableArtifactHeader, type Table } from './discover.js';
import { quantileSorted, summarize } from './stats.js';

export interface RobustnessOptions {
  /** Final metric keys (default: the catalogue's headline metrics present in the rows, then those with a direction). */
  readonly metrics?: readonly string[];
  /** Lever columns (default: the sweep's levers, from its metadata; else every non-metric column but the world's). */
  readonly levers?: readonly string[];
  /** Thresholds: clauses over final.<metric>, separated by commas, all of which must hold. */
  readonly satisfy?: string;
  readonly rank?: 'satisficing' | 'regret' | 'mean';
  readonly command?: string;
}

/** Split at commas outside parentheses: "final.a < 1, max(final.b, 2) > 1" -> two clauses. */
export function splitClauses(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

export function robustness(t: Table, o: RobustnessOptions, meta?: Readonly<Record<string, unknown>> | null): RobustnessResult {
  const col = (name: string): number => t.columns.indexOf(name);
  const worldAt = col('world');
  if (worldAt < 0) throw new InputError({ file: t.file, line: 1, path: 'world', message: 'the rows have no world column', expected: 'the rows of a levers x worlds sweep: tradesim sweep <scenario> --levers ... --uncertainty N (or --design FILE.csv)' });
  const metricKeys = t.columns.filter((c) => c.startsWith('metrics.')).map((c) => c.slice('metrics.'.length));
  // Levers: as given, else the sweep's (metadata), else the regime column when it varies.
  const fromMeta = (): string[] | undefined => {
    const w = meta?.['worlds'];
    const specs = typeof w === 'object' && w !== null ? (w as { levers?: unknown }).levers : undefined;
    return Array.isArray(specs) ? specs.filter((s): s is string => typeof s === 'string').map((s) => s.slice(0, s.indexOf('=')).trim()) : undefined;
  };
  let levers = o.levers ? [...o.levers] : fromMeta();
  if (levers === undefined || levers.length === 0) levers = t.columns.includes('regime') ? ['regime'] : [];
  if (levers.length === 0) throw new InputError({ file: t.file, path: '--levers', message: 'no lever columns', expected: 'the columns of the policy choices, e.g. --levers regime (a sweep with --levers records them in its metadata)' });
  for (const l of levers) {
    if (!t.columns.includes(l) || l.startsWith('metrics.') || ['run', 'seed', 'world'].includes(l)) throw new InputError({ file: t.file, path: '--levers', message: `${l} is not a lever column${didYouMean(l, t.columns)}`, expected: `parameter columns of ${t.file}` });
  }
  const leverAt = levers.map(col);
  const defaults = FINAL_METRICS.filter((m) => metricKeys.includes(m.key) && ('headline' in m && m.headline === true)).map((m) => m.key);
  const metrics = [...(o.metrics ?? defaults)];
  for (const m of metrics) {
    if (!metricKeys.includes(m)) throw new InputError({ file: t.file, path: '--metric', message: `no column metrics.${m}${didYouMean(m, metricKeys)}`, expected: `some of ${metricKeys.join(', ')}` });
  }
  if (metrics.length === 0) throw new InputError({ file: t.file, path: '--metric', message: 'no metric to assess', expected: 'metrics.<key> columns' });

  // Lever combinations and worlds, in order of first appearance; per (combination, world) the sums over seeds.
  const comboIndex = new Map<string, number>();
  const combos: { label: string; values: (string | number | boolean | null)[] }[] = [];
  const worldIndex = new Map<string, number>();
  const cells = new Map<string, Map<string, { s: number; n: number }>>();
  t.rows.forEach((row) => {
    const values = leverAt.map((i) => row[i] ?? null);
    const label = levers.map((l, k) => `${l}=${String(values[k])}`).join(', ');
    let c = comboIndex.get(label);
    if (c === undefined) {
      c = combos.length;
      comboIndex.set(label, c);
      combos.push({ label, values });
    }
    const wk = String(row[worldAt]);
    if (!worldIndex.has(wk)) worldIndex.set(wk, worldIndex.size);
    const key = `${c}#${worldIndex.get(wk)}`;
    let sums = cells.get(key);
    if (sums === undefined) {
      sums = new Map();
      cells.set(key, sums);
    }
    for (const k of metricKeys) {
      const v = row[col(`metrics.${k}`)];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const acc = sums.get(k) ?? { s: 0, n: 0 };
      acc.s += v;
      acc.n++;
      sums.set(k, acc);
    }
  });
  const worlds = worldIndex.size;
  // Paired: every combination in every world.
  for (let c = 0; c < combos.length; c++) {
    for (const [wk, w] of worldIndex) {
      if (!cells.has(`${c}#${w}`)) throw new InputError({ file: t.file, path: 'world', message: `${combos[c]?.label ?? ''} has no row in world ${wk}`, expected: 'every lever combination in every world (a complete levers x worlds sweep; merge all its shards)' });
    }
  }
  const value = (c: number, w: number, k: string): number => {
    const acc = cells.get(`${c}#${w}`)?.get(k);
    return acc && acc.n > 0 ? acc.s / acc.n : Number.NaN;
  };

  const perMetric = metrics.map((k) => {
    const direction = finalMetric(k)?.direction ?? 'neutral';
    const sign = direction === 'higher-better' ? 1 : direction === 'lower-better' ? -1 : 0;
    const best = Array.from({ length: worlds }, (_, w) => {
      if (sign === 0) return Number.NaN;
      let b = Number.NaN;
      for (let c = 0; c < combos.length; c++) {
        const v = value(c, w, k);
        if (Number.isNaN(v)) return Number.NaN;
        if (Number.isNaN(b) || sign * v > sign * b) b = v;
      }
      return b;
    });
    return {
      metric: k,
      direction,
      byCombination: combos.map((_, c) => {
        const xs = Array.from({ length: worlds }, (_, w) => value(c, w, k));
        const reg = sign === 0 ? null : xs.map((x, w) => (Number.isNaN(best[w] as number) ? Number.NaN : sign * ((best[w] as number) - x))).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
        return {
          summary: summarize(xs),
          regret: reg === null || reg.length === 0 ? null : { mean: reg.reduce((a, b) => a + b, 0) / reg.length, q95: quantileSorted(reg, 0.95), max: reg[reg.length - 1] as number, worlds: reg.length },
        };
      }),
    };
  });

  let satisfy: RobustnessResult['satisfy'] = null;
  if (o.satisfy !== undefined) {
    const clauses = splitClauses(o.satisfy);
    const names = metricKeys.map((k) => `final.${k}`);
    const compiled: CompiledExpression[] = clauses.map((c, i) => {
      if (c === '') throw new InputError({ path: '--satisfy', message: `clause ${i + 1} is empty`, expected: 'conditions separated by commas, e.g. "final.leakage < 50000, final.revenueUsd > 1e11"' });
      return compileExpression(c, { where: { path: `--satisfy clause ${i + 1}` }, variables: names, type: 'boolean', lists: {} });
    });
    const shares = combos.map((_, c) => {
      let met = 0;
      let defined = 0;
      for (let w = 0; w < worlds; w++) {
        const scope: Record<string, number> = {};
        let ok = true;
        for (const e of compiled) {
          for (const v of e.variables) {
            const x = value(c, w, v.slice('final.'.length));
            if (Number.isNaN(x)) ok = false;
            scope[v] = x;
          }
        }
        if (!ok) continue;
        defined++;
        if (compiled.every((e) => e.test(scope))) met++;
      }
      return { share: defined > 0 ? met / defined : Number.NaN, worlds: defined };
    });
    satisfy = { clauses, byCombination: shares };
  }

  const firstDirected = perMetric.find((m) => m.direction !== 'neutral');
  const rank = o.rank ?? (satisfy !== null ? 'satisficing' : firstDirected !== undefined ? 'regret' : 'none');
  if (rank === 'satisficing' && satisfy === null) throw new InputError({ path: '--rank', message: 'ranking by satisficing needs --satisfy', expected: '--satisfy "final.<metric> < X, ..."' });
  if ((rank === 'regret' || rank === 'mean') && firstDirected === undefined) {
    throw new InputError({ path: '--metric', message: `ranking by ${rank} needs a metric with a direction (higher or lower is better)`, expected: `one of ${FINAL_METRICS.filter((m) => m.direction !== 'neutral' && metricKeys.includes(m.key)).map((m) => m.key).join(', ')}` });
  }
  const score = (c: number): [number, number] => {
    const m = firstDirected?.byCombination[c];
    const sign = firstDirected?.direction === 'higher-better' ? 1 : -1;
    const maxRegret = m?.regret?.max ?? Number.POSITIVE_INFINITY;
    const meanRegret = m?.regret?.mean ?? Number.POSITIVE_INFINITY;
    if (rank === 'satisficing') return [-(satisfy?.byCombination[c]?.share ?? 0), firstDirected ? maxRegret : 0];
    if (rank === 'none') return [0, 0];
    if (rank === 'mean') return [-sign * (m?.summary.mean ?? Number.NaN), maxRegret];
    return [maxRegret, meanRegret];
  };
  const order = combos.map((_, c) => c).sort((a, b) => {
    if (rank === 'none') return a - b;
    const [a1, a2] = score(a);
    const [b1, b2] = score(b);
    return a1 - b1 || a2 - b2 || ((combos[a]?.label ?? '') < (combos[b]?.label ?? '') ? -1 : 1);
  });
  const criterion = rank === 'none' ? 'none: no metric with a direction and no --satisfy (combinations in file order)' : rank === 'satisficing' ? `share of worlds meeting every --satisfy clause (highest first)${firstDirected ? `, then maximum regret of ${firstDirected.metric}` : ''}` : rank === 'mean' ? `mean of ${firstDirected?.metric ?? ''} over worlds (best first), then its maximum regret` : `maximum regret of ${firstDirected?.metric ?? ''} (minimax regret), then its mean regret`;

  return {
    ...tableArtifactHeader('robustness', t),
    command: o.command ?? '',
    levers,
    combinations: combos,
    worlds,
    metrics: perMetric,
    satisfy,
    ranking: { criterion, order: order.map((c) => combos[c]?.label ?? '') },
  };
}
