/** Text and CSV renderings of a ComparisonResult (reads only the artifact). */
import { csvLine } from '../core/csv.js';
import type { ComparisonResult, IntervalEstimate } from '../core/events.js';
import { countryMetric, finalMetric, labelWithUnit } from '../core/metrics.js';
import { gainsPairs, gainsSummary } from './gains.js';
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

/** "Comparison: Title (id)" for one scenario; "Comparison: b vs a" for scenario variants. */
export function comparisonTitle(c: ComparisonResult): string {
  const ids = new Set((c.arms ?? []).map((a) => `${a.file}\u0000${a.scenarioId}`));
  if (ids.size > 1) return `Comparison: ${c.regimes.join(' vs ')}`;
  return `Comparison: ${c.scenario.title || c.scenario.id} (${c.scenario.id})`;
}

/** One line per arm: its label, file, regime (given, or the scenario's own with its timeline) and hash. */
export function armLines(c: ComparisonResult): string[] {
  if (c.arms === undefined) return [`regimes: ${c.regimes.join(', ')}`];
  const w = Math.max(...c.arms.map((a) => a.label.length));
  return c.arms.map((a) => {
    const events = c.examples[a.label]?.timeline.length ?? 0;
    const regime = a.regimeGiven ? `regime ${a.regime} (fixed)` : `its own regime ${a.regime}${events > 0 ? ` and timeline (${events} events)` : ''}`;
    return `${a.label.padEnd(w)}  ${a.file || '(no file)'}, ${regime}, hash ${a.hash.slice(0, 12)}`;
  });
}

export function comparisonReport(c: ComparisonResult, style: Style = plainStyle): string {
  const pct = `${Math.round(c.interval.level * 1000) / 10}%`;
  const seeds = c.seeds.length;
  const out: string[] = [];
  out.push(style.bold(comparisonTitle(c)));
  out.push(...armLines(c).map((l) => `  ${l}`));
  out.push(`${seeds} seeds (${c.seeds[0] ?? ''}..${c.seeds[seeds - 1] ?? ''}), the same for every arm`);
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
  const pairsGains = gainsPairs(c);
  for (const p of pairsGains) {
    out.push('');
    out.push(style.bold(`Who gains and loses: ${p.b} - ${p.a} (chips delivered per country, paired by seed)`));
    if (p.rows.length === 0 || p.rows.every((r) => r.diff.delivered === undefined)) {
      out.push('  (this artifact holds no per-country differences)');
      continue;
    }
    out.push(style.dim(`  ${gainsSummary(p)}; gains/loses: the ${pct} interval of the difference excludes 0`));
    out.push(
      table(
        ['country', 'tier', `chips (a)`, `chips (b)`, 'b - a [lo, hi]', 'met (b - a)', 'verdict'],
        p.rows.map((r) => [
          r.id,
          String(r.tier),
          fmtNum(r.a.delivered.mean),
          fmtNum(r.b.delivered.mean),
          fmtEst(r.diff.delivered),
          r.diff.fulfilment ? `${r.diff.fulfilment.mean >= 0 ? '+' : ''}${(100 * r.diff.fulfilment.mean).toFixed(1)} pts` : 'n/a',
          r.verdict,
        ]),
      ),
    );
    if (p.onlyA.length > 0) out.push(`  only in ${p.a}: ${p.onlyA.join(', ')}`);
    if (p.onlyB.length > 0) out.push(`  only in ${p.b}: ${p.onlyB.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * One tidy table for pandas or R: `kind` is summary (one arm), difference (arm minus versus), country (one
 * arm, one country, a per-country metric) or country-difference (one country, arm minus versus, paired).
 * The `regime` column holds the arm label (the regime name when one scenario runs under several regimes).
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
      for (const [metric, e] of Object.entries(x)) if (countryMetric(metric) && typeof e === 'object' && e !== null) lines.push(csvLine(['country', r, null, x.id, metric, ...est(e as IntervalEstimate), c.interval.method]));
    }
  }
  for (const d of c.countryDifferences ?? []) lines.push(csvLine(['country-difference', d.b, d.a, d.country, d.metric, ...est(d.estimate), String(c.interval.differences ?? c.interval.method)]));
  return lines.join('');
}
