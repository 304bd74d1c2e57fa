/**
 * Side-by-side report of a comparison artifact: one column per regime with the mean and interval of each
 * final metric over the seeds and a column with the selected regime's paired difference from the first, its
 * interval and P(selected beats first) (over uncertain worlds when the comparison ran over them; bold when the
 * interval excludes 0), then each regime's example run as per-round sparklines up to the cursor and
 * its deliveries by tier.
 */
import type { ComparisonResult, IntervalEstimate } from '../../core/events.js';
import { FINAL_METRICS, ROUND_METRICS, formatValue, type FinalMetricKey, type MetricDef } from '../../core/metrics.js';
import { compact, fit, sparkline, sparkRange } from '../layout.js';
import type { ViewProps } from './common.js';
import { Lines, seg, type Line } from './lines.js';

/** Every final metric of the catalogue, with its label and unit format. */
const METRICS: readonly { key: FinalMetricKey; label: string; fmt: (x: number) => string }[] = FINAL_METRICS.map((m) => ({
  key: m.key,
  label: m.format === 'share' ? m.label : `${m.label} (${m.unit})`,
  fmt: (x: number) => formatValue(m, x),
}));
/** The example runs' sparklines: the catalogue's headline per-round metrics. */
const SPARKS = ROUND_METRICS.filter((m) => (m as MetricDef).headline === true);

/**
 * P(b beats a) for a metric with a direction: over the worlds (a comparison over uncertainty records it), or
 * the share of seeds where b's run is better than a's run with the same seed. Null for a neutral metric.
 */
export function pBeats(c: ComparisonResult, a: string, b: string, key: FinalMetricKey): number | null {
  const u = c.uncertainty?.differences.find((d) => d.a === a && d.b === b && d.metric === key);
  if (u !== undefined) return u.pBeats;
  const dir = FINAL_METRICS.find((m) => m.key === key)?.direction;
  if (dir === undefined || dir === 'neutral') return null;
  const ra = c.runs?.[a];
  const rb = c.runs?.[b];
  if (ra === undefined || rb === undefined) return null;
  let wins = 0;
  let n = 0;
  ra.forEach((x, i) => {
    const va = x[key];
    const vb = rb[i]?.[key];
    if (typeof va !== 'number' || typeof vb !== 'number') return;
    n++;
    if (dir === 'higher-better' ? vb > va : vb < va) wins++;
  });
  return n > 0 ? wins / n : null;
}

export function compareLines({ data, state, width, height }: Omit<ViewProps, 'colour'>): Line[] {
  if (data.kind !== 'comparison') return [[seg('Not a comparison artifact.', 'muted')]];
  const c = data.result;
  // Labels as long as the widest, within a third of the screen.
  const labelW = Math.min(Math.max(21, Math.floor(width / 3)), Math.max(...METRICS.map((m) => m.label.length)) + 1);
  // One more column: the selected regime minus the first (the second minus the first when the first is
  // selected), its interval and P(selected beats first), over the seeds or the uncertain worlds.
  const a = c.regimes[0];
  const b = c.regimes[state.regime > 0 ? state.regime : 1];
  const pair = a !== undefined && b !== undefined && a !== b;
  const colW = Math.max(10, Math.floor((width - labelW) / Math.max(1, c.regimes.length + (pair ? 1 : 0))) - 1);
  // The interval shows when the column has room for "mean [lo, hi]".
  const withCi = colW >= 24;
  const cell = (e: IntervalEstimate | undefined, fmt: (x: number) => string): string =>
    e === undefined ? 'n/a' : withCi ? `${fmt(e.mean)} [${fmt(e.lo)}, ${fmt(e.hi)}]` : fmt(e.mean);
  const title = (t: string): Line => [seg(t, 'muted', { bold: true })];
  const n = c.seeds.length;
  const lines: Line[] = [
    [
      seg(fit(c.uncertainty ? `${c.uncertainty.worlds} worlds x ${c.uncertainty.seedsPerWorld} seed${c.uncertainty.seedsPerWorld === 1 ? '' : 's'}` : `${n} seed${n === 1 ? '' : 's'}, ${Math.round(c.interval.level * 100)}% ${c.interval.method}`, labelW), 'muted'),
      ...c.regimes.map((r, i) => seg(` ${fit(r, colW, 'right')}`, i === state.regime ? 'accent' : 'plain', { bold: true })),
      ...(pair ? [seg(` ${fit(`P(b beats), ${b} - ${a}`, colW, 'right')}`, 'accent', { bold: true })] : []),
    ],
  ];
  const diffCell = (key: FinalMetricKey, fmt: (x: number) => string): { text: string; strong: boolean } => {
    if (!pair) return { text: '', strong: false };
    const d = c.differences.find((x) => x.a === a && x.b === b && x.metric === key);
    if (d === undefined) return { text: 'n/a', strong: false };
    const det = c.uncertainty?.differences.find((x) => x.a === a && x.b === b && x.metric === key)?.deterministic === true;
    const p = pBeats(c, a, b, key);
    // P first: a narrow column cuts the interval, not the probability.
    const ps = p === null ? '' : `${Math.round(100 * p)}% `;
    const e = d.estimate;
    return { text: `${ps}${withCi && !det ? `${fmt(e.mean)} [${fmt(e.lo)}, ${fmt(e.hi)}]` : `${fmt(e.mean)}${det ? ' det.' : ''}`}`, strong: !det && (e.lo > 0 || e.hi < 0) };
  };
  for (const m of METRICS) {
    const vals = c.regimes.map((r) => c.summaries[r]?.[m.key]);
    if (vals.every((v) => v === undefined)) continue;
    const means = vals.map((v) => v?.mean ?? Number.NaN).filter(Number.isFinite);
    const hi = Math.max(...means);
    const lo = Math.min(...means);
    lines.push([
      seg(fit(m.label, labelW)),
      // The largest mean is bold and the smallest dim, so the eye finds the spread without colour.
      ...vals.map((v) => seg(` ${fit(cell(v, m.fmt), colW, 'right')}`, v && hi > lo && v.mean === lo ? 'muted' : 'plain', v && hi > lo && v.mean === hi ? { bold: true } : {})),
      ...(pair ? [((dc) => seg(` ${fit(dc.text, colW, 'right')}`, 'accent', dc.strong ? { bold: true } : {}))(diffCell(m.key, m.fmt))] : []),
    ]);
  }
  lines.push([], title(`Example run (seed ${c.seeds[0] ?? '?'}), rounds 1-${state.cursor + 1}`));
  const sparkW = Math.max(4, colW - 1);
  for (const { key, label, direction } of SPARKS) {
    const all = data.models.flatMap((mo) => mo.result.metrics.perRound.map((p) => p[key]));
    const range = sparkRange(all);
    lines.push([
      seg(fit(`  ${label}`, labelW)),
      ...data.models.map((mo) => {
        const per = mo.result.metrics.perRound.map((p) => p[key]);
        const rep = Math.max(1, Math.floor(sparkW / Math.max(1, per.length)));
        const upto = per.slice(0, state.cursor + 1).flatMap((v) => Array<number>(rep).fill(v));
        return seg(` ${fit(sparkline(upto, Math.min(sparkW, per.length * rep), { range }), colW)}`, direction === 'lower-better' ? 'bad' : 'good');
      }),
    ]);
  }
  lines.push([], title('Delivered by tier, example run (cumulative)'));
  for (const tier of [1, 2, 3] as const) {
    lines.push([
      seg(fit(`  Tier ${tier}`, labelW)),
      ...data.models.map((mo) => {
        const rows = mo.rounds[Math.min(state.cursor, mo.rounds.length - 1)]?.rows ?? [];
        return seg(` ${fit(compact(rows.filter((r) => r.tier === tier).reduce((a, r) => a + r.deliveredTotal, 0)), colW, 'right')}`);
      }),
    ]);
  }
  return lines.slice(0, height);
}

export function CompareView(p: ViewProps) {
  return <Lines lines={compareLines(p)} width={p.width} height={p.height} colour={p.colour} />;
}
