/**
 * Side-by-side report of a comparison artifact: one column per regime with the mean and interval of each
 * final metric over the seeds, then each regime's example run as per-round sparklines up to the cursor and
 * its deliveries by tier.
 */
import type { IntervalEstimate } from '../../core/events.js';
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

export function compareLines({ data, state, width, height }: Omit<ViewProps, 'colour'>): Line[] {
  if (data.kind !== 'comparison') return [[seg('Not a comparison artifact.', 'muted')]];
  const c = data.result;
  // Labels as long as the widest, within a third of the screen.
  const labelW = Math.min(Math.max(21, Math.floor(width / 3)), Math.max(...METRICS.map((m) => m.label.length)) + 1);
  const colW = Math.max(10, Math.floor((width - labelW) / Math.max(1, c.regimes.length)) - 1);
  // The interval shows when the column has room for "mean [lo, hi]".
  const withCi = colW >= 24;
  const cell = (e: IntervalEstimate | undefined, fmt: (x: number) => string): string =>
    e === undefined ? 'n/a' : withCi ? `${fmt(e.mean)} [${fmt(e.lo)}, ${fmt(e.hi)}]` : fmt(e.mean);
  const title = (t: string): Line => [seg(t, 'muted', { bold: true })];
  const n = c.seeds.length;
  const lines: Line[] = [
    [seg(fit(`${n} seed${n === 1 ? '' : 's'}, ${Math.round(c.interval.level * 100)}% ${c.interval.method}`, labelW), 'muted'), ...c.regimes.map((r, i) => seg(` ${fit(r, colW, 'right')}`, i === state.regime ? 'accent' : 'plain', { bold: true }))],
  ];
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
