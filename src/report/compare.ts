/** Text and CSV renderings of a ComparisonResult (reads only the artifact). */
import { csvLine } from '../core/csv.js';
import type { ComparisonResult, IntervalEstimate } from '../core/events.js';
import { finalMetric, labelWithUnit } from '../core/metrics.js';
import { plainStyle, table, type Style } from './text.js';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Four significant figures; thousands grouped. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (Math.abs(x) >= 1000) return grouped.format(x);
  if (x === 0) return '0';
  return String(Number(x.toPrecision(4)));
}

/** A metric's catalogue label and unit (its key when an older artifact has one the catalogue lost). */
function metricName(key: string): string {
  const def = finalMetric(key);
  return def ? labelWithUnit(def) : key;
}

const fmtEst = (e: IntervalEstimate | undefined): string => (e === undefined ? 'n/a' : `${fmtNum(e.mean)} [${fmtNum(e.lo)}, ${fmtNum(e.hi)}]`);

/** An interval that excludes zero: the difference is distinguishable from none at this level. */
const excludesZero = (e: IntervalEstimate): boolean => e.lo > 0 || e.hi < 0;

export function comparisonReport(c: ComparisonResult, style: Style = plainStyle): string {
  const pct = `${Math.round(c.interval.level * 1000) / 10}%`;
  const seeds = c.seeds.length;
  const out: string[] = [];
  out.push(style.bold(`Comparison: ${c.scenario.title} (${c.scenario.id})`));
  out.push(`Regimes: ${c.regimes.join(', ')}; ${seeds} seeds (${c.seeds[0] ?? ''}..${c.seeds[seeds - 1] ?? ''}), the same for every regime`);
  out.push(
    style.dim(
      `Means: ${pct} Student t intervals. Differences (b - a, paired by seed): ${pct} bootstrap percentile intervals, ${String(c.interval.resamples ?? '')} resamples; * = interval excludes 0.`,
    ),
  );
  out.push('');
  out.push(style.bold('Metrics (mean [lo, hi])'));
  const keys = Object.keys(c.summaries[c.regimes[0] ?? ''] ?? {}) as (keyof ComparisonResult['summaries'][string])[];
  out.push(table(['metric', ...c.regimes], keys.map((k) => [metricName(k), ...c.regimes.map((r) => fmtEst(c.summaries[r]?.[k]))])));
  out.push('');
  out.push(style.bold('Paired differences (b - a)'));
  const pairs = [...new Set(c.differences.map((d) => `${d.b} - ${d.a}`))];
  const byMetric = new Map<string, Map<string, IntervalEstimate>>();
  for (const d of c.differences) {
    const m = byMetric.get(d.metric) ?? new Map<string, IntervalEstimate>();
    m.set(`${d.b} - ${d.a}`, d.estimate);
    byMetric.set(d.metric, m);
  }
  out.push(
    table(
      ['metric', ...pairs],
      [...byMetric].map(([metric, m]) => [
        metricName(metric),
        ...pairs.map((p) => {
          const e = m.get(p);
          return e === undefined ? 'n/a' : `${fmtEst(e)}${excludesZero(e) ? ' *' : '  '}`;
        }),
      ]),
    ),
  );
  out.push('');
  out.push(style.bold('Chips delivered per country (H100e, mean [lo, hi])'));
  const ids = (c.countries[c.regimes[0] ?? ''] ?? []).map((x) => [x.id, x.tier] as const);
  out.push(
    table(
      ['country', 'tier', ...c.regimes],
      ids.map(([id, tier]) => [id, String(tier), ...c.regimes.map((r) => fmtEst(c.countries[r]?.find((x) => x.id === id)?.delivered))]),
    ),
  );
  return `${out.join('\n')}\n`;
}

/**
 * One tidy table for pandas or R: `kind` is summary (one regime), difference (regime minus versus) or
 * country (one regime, one country, metric delivered or fulfilment).
 */
export function comparisonCsv(c: ComparisonResult): string {
  const lines = [csvLine(['kind', 'regime', 'versus', 'country', 'metric', 'mean', 'lo', 'hi', 'n', 'level', 'method'])];
  const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
  const est = (e: IntervalEstimate) => [num(e.mean), num(e.lo), num(e.hi), e.n, c.interval.level];
  for (const r of c.regimes) {
    for (const [metric, e] of Object.entries(c.summaries[r] ?? {})) lines.push(csvLine(['summary', r, null, null, metric, ...est(e), c.interval.method]));
  }
  for (const d of c.differences) lines.push(csvLine(['difference', d.b, d.a, null, d.metric, ...est(d.estimate), String(c.interval.differences ?? c.interval.method)]));
  for (const r of c.regimes) {
    for (const x of c.countries[r] ?? []) {
      lines.push(csvLine(['country', r, null, x.id, 'delivered', ...est(x.delivered), c.interval.method]));
      lines.push(csvLine(['country', r, null, x.id, 'fulfilment', ...est(x.fulfilment), c.interval.method]));
    }
  }
  return lines.join('');
}
