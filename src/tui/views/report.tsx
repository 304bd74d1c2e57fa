/**
 * Outcome report: the per-round metrics of the model brief (section 4) as sparklines up to the cursor, bar
 * charts of chips delivered by tier and by country up to the cursor, and the final metrics of the run.
 */
import { ROUND_METRICS, type RoundMetricKey } from '../../core/metrics.js';
import { fmtPct, fmtUsd, metricLines } from '../../report/text.js';
import { runModel } from '../data.js';
import { bar, compact, fit, sparkline, sparkRange } from '../layout.js';
import type { ChipsModel } from '../model.js';
import type { ViewProps } from './common.js';
import { beside, Lines, seg, type Line, type Tone } from './lines.js';

/** Every per-round metric of the catalogue (src/core/metrics.ts), with its tone from its direction. */
export const SERIES: readonly { key: RoundMetricKey; label: string; fmt: (x: number) => string; tone: Tone }[] = ROUND_METRICS.map((m) => ({
  key: m.key,
  label: m.label,
  fmt: (x: number) => compactMetric(m, x),
  tone: m.direction === 'higher-better' ? 'good' : m.direction === 'lower-better' ? 'bad' : 'plain',
}));

/** A metric value short enough for a sparkline's value column. */
function compactMetric(m: (typeof ROUND_METRICS)[number], x: number): string {
  if (m.format === 'usd-bn') return fmtUsd(x);
  if (m.format === 'share') return fmtPct(x);
  if (m.format === 'score') return x.toFixed(3);
  if (m.format === 'usd') return `$${compact(x)}`;
  return compact(x);
}

/** Per-round sparklines (scaled from zero over the whole run) for rounds 1..cursor+1. */
export function seriesLines(model: ChipsModel, cursor: number, width: number): Line[] {
  const per = model.result.metrics.perRound;
  const labelW = Math.min(28, Math.max(...SERIES.map((s) => s.label.length)) + 1);
  const valueW = 10;
  const n = per.length;
  // One cell per round, repeated when there is room, so short runs still read as a chart.
  const rep = Math.max(1, Math.min(4, Math.floor((width - labelW - valueW - 2) / Math.max(1, n))));
  return SERIES.map((s) => {
    const all = per.map((m) => m[s.key]);
    // From zero, over the whole run: the bars neither rescale during playback nor turn a small change into a big one.
    const range = sparkRange(all);
    const upto = all.slice(0, cursor + 1).flatMap((v) => Array<number>(rep).fill(v));
    const cur = all[Math.min(cursor, n - 1)] ?? 0;
    return [seg(fit(s.label, labelW)), seg(sparkline(upto, n * rep, { range }), s.tone), seg(` ${fit(s.fmt(cur), valueW - 1, 'right')}`)];
  });
}

/** Cumulative chips delivered per entity up to the cursor, and per tier (adversaries as their own group). */
function allocations(model: ChipsModel, cursor: number): { byCountry: { id: string; v: number }[]; byTier: { label: string; v: number }[] } {
  const rows = model.rounds[cursor]?.rows ?? [];
  const byCountry = rows.map((r) => ({ id: r.id, v: r.deliveredTotal })).sort((a, b) => b.v - a.v || a.id.localeCompare(b.id));
  const tiers = new Map<string, number>();
  for (const r of rows) tiers.set(r.tier === null ? 'adversaries' : `Tier ${r.tier}`, (tiers.get(r.tier === null ? 'adversaries' : `Tier ${r.tier}`) ?? 0) + r.deliveredTotal);
  const byTier = [...tiers].map(([label, v]) => ({ label, v })).sort((a, b) => a.label.localeCompare(b.label));
  return { byCountry, byTier };
}

export function barLines(items: readonly { label: string; v: number }[], width: number, tone: Tone): Line[] {
  const max = Math.max(0, ...items.map((i) => i.v));
  const labelW = Math.min(12, Math.max(4, ...items.map((i) => i.label.length)));
  const barW = Math.max(4, width - labelW - 10);
  return items.map((i) => [seg(fit(i.label, labelW)), seg(` ${bar(i.v, max, barW)}`, tone), seg(` ${fit(compact(i.v), 7, 'right')}`)]);
}

export function reportLines({ data, state, width, height }: Omit<ViewProps, 'colour'>): Line[] {
  const model = runModel(data, state.regime);
  if (!model) return [[seg('No rounds in this artifact.', 'muted')]];
  const rd = model.rounds[state.cursor];
  const title = (t: string): Line => [seg(t, 'muted', { bold: true })];
  const wide = width >= 140;
  const leftW = wide ? Math.min(72, Math.floor(width / 2)) : width;
  const { byCountry, byTier } = allocations(model, state.cursor);
  // Every per-round metric when there is room; on a short screen the first ones, the allocation bars below
  // them, and a line saying where the rest are.
  const all = seriesLines(model, state.cursor, leftW);
  const room = wide ? height - 2 : Math.max(3, height - 12);
  const shown = all.length <= room ? all : [...all.slice(0, room - 1), [seg(`${all.length - room + 1} more per-round metrics: a taller terminal, or --no-tui`, 'muted')] as Line];
  const series = [title(`Per round, rounds 1-${rd?.round ?? 1} (${model.rounds[0]?.label ?? ''} to ${rd?.label ?? ''})`), ...shown, []];
  const finals = metricLines(model.result.metrics.final);
  const kw = Math.max(...finals.map(([k]) => k.length));
  const finalLines: Line[] = [title(`Final outcome (all ${model.rounds.length} rounds)`), ...finals.map(([k, v]) => [seg(`${k.padEnd(kw)}  `, 'muted'), seg(v)])];
  const tierLines = (w: number): Line[] => [title('Delivered by tier (H100e, cumulative)'), ...barLines(byTier, w, 'accent')];
  const countryLines = (w: number, rows: number): Line[] => [
    title('Delivered by country (H100e, cumulative)'),
    ...barLines(byCountry.slice(0, Math.max(0, rows - 1)).map((c) => ({ label: c.id, v: c.v })), w, 'good'),
  ];
  if (wide) {
    const tiers = tierLines(leftW);
    const left = [...series, ...tiers, [], ...countryLines(leftW, height - series.length - tiers.length - 1)];
    return beside(left, leftW, finalLines);
  }
  // Narrow: tiers and countries side by side under the sparklines, then the final metrics. The country list
  // gives up rows (down to the height of the tier list) so that the final metrics fit; where even that is not
  // enough, the bars keep their rows, the final metrics take what is left and a last line says how to see all.
  const half = Math.floor((width - 2) / 2);
  const tiers = tierLines(half);
  const free = height - series.length;
  const withFinals = free - finalLines.length - 1;
  const rows = Math.max(0, Math.min(byCountry.length + 1, withFinals >= tiers.length ? withFinals : free));
  const bars = beside(tiers, half, countryLines(width - half - 2, rows));
  if (withFinals >= tiers.length) return [...series, ...bars, [], ...finalLines];
  const left = free - bars.length;
  const hint: Line = [seg('Final outcome: more in a taller terminal, at 140 columns, or with --no-tui.', 'muted')];
  if (left < 3) return [...series, ...bars.slice(0, Math.max(0, free - 1)), hint];
  return [...series, ...bars, [], ...finalLines.slice(0, left - 2), hint];
}

export function ReportView(p: ViewProps) {
  return <Lines lines={reportLines(p)} width={p.width} height={p.height} colour={p.colour} />;
}
