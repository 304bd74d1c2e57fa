/**
 * Side-by-side report of a comparison artifact: one column per regime with the mean and interval of each
 * final metric over the seeds, then each regime's example run as per-round sparklines up to the cursor and
 * its deliveries by tier.
 */
import type { FinalMetrics, IntervalEstimate } from '../../core/events.js';
import { fmtPct, fmtUsd } from '../../report/text.js';
import { compact, fit, sparkline } from '../layout.js';
import type { ViewProps } from './common.js';
import { Lines, seg, type Line } from './lines.js';

const METRICS: readonly { key: keyof FinalMetrics; label: string; fmt: (x: number) => string }[] = [
  { key: 'delivered', label: 'Chips delivered', fmt: compact },
  { key: 'leakage', label: 'Leakage', fmt: compact },
  { key: 'revenueUsd', label: 'Exporter revenue', fmt: fmtUsd },
  { key: 'marketShare', label: 'Exporter share', fmt: fmtPct },
  { key: 'concessionsUsd', label: 'Concessions', fmt: fmtUsd },
  { key: 'enforcementCommitments', label: 'Enforcement commitm.', fmt: (x) => x.toFixed(1) },
  { key: 'relationsMean', label: 'Relations (mean)', fmt: (x) => x.toFixed(3) },
  { key: 'alternativeShare', label: 'Alternative stacks', fmt: fmtPct },
  { key: 'adversaryCompute', label: 'Adversary compute', fmt: compact },
  { key: 'gapToBloc', label: 'Gap to bloc', fmt: compact },
  { key: 'agreementRate', label: 'Agreement rate', fmt: fmtPct },
  { key: 'giniAllocations', label: 'Gini of allocations', fmt: (x) => x.toFixed(3) },
  { key: 'meanDistanceToNash', label: 'Distance to Nash', fmt: (x) => x.toFixed(3) },
];

export function compareLines({ data, state, width, height }: Omit<ViewProps, 'colour'>): Line[] {
  if (data.kind !== 'comparison') return [[seg('Not a comparison artifact.', 'muted')]];
  const c = data.result;
  const labelW = 21;
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
  for (const key of ['delivered', 'leakage', 'revenueUsd', 'relationsMean'] as const) {
    const all = data.models.flatMap((mo) => mo.result.metrics.perRound.map((p) => p[key]));
    const range: [number, number] = [Math.min(0, ...all), Math.max(...all)];
    lines.push([
      seg(fit(`  ${key === 'revenueUsd' ? 'revenue' : key === 'relationsMean' ? 'relations' : key}`, labelW)),
      ...data.models.map((mo) => {
        const per = mo.result.metrics.perRound.map((p) => p[key]);
        const rep = Math.max(1, Math.floor(sparkW / Math.max(1, per.length)));
        const upto = per.slice(0, state.cursor + 1).flatMap((v) => Array<number>(rep).fill(v));
        return seg(` ${fit(sparkline(upto, Math.min(sparkW, per.length * rep), { range }), colW)}`, key === 'leakage' ? 'bad' : 'good');
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
