/**
 * Who gains and loses in a comparison: per country, the paired change in chips delivered from the first arm
 * (the base) to the arm selected with r, with its interval, the change in demand met and a verdict in words,
 * largest gain first. A diverging bar (from a zero mark) shows the size when the screen is wide enough.
 */
import { COUNTRY_METRICS } from '../../core/metrics.js';
import { gainsPairs, gainsSummary, type GainsRow } from '../../report/gains.js';
import { chooseColumns, compact, fit, windowStart, type Column } from '../layout.js';
import type { ViewProps } from './common.js';
import { Lines, seg, type Line } from './lines.js';

type Key = 'country' | 'tier' | 'a' | 'b' | 'diff' | 'met' | 'bar' | 'verdict';

const signed = (x: number, f: (v: number) => string): string => `${x > 0 ? '+' : ''}${f(x)}`;
const fulfilment = COUNTRY_METRICS.find((m) => m.key === 'fulfilment') ?? COUNTRY_METRICS[0];

/** A bar of `w` cells with the zero mark in the middle: left of it for a loss, right for a gain. */
function divergingBar(x: number, max: number, w: number): string {
  const half = Math.floor((w - 1) / 2);
  const k = max > 0 ? Math.round((Math.abs(x) / max) * half) : 0;
  const left = x < 0 ? ' '.repeat(half - k) + '#'.repeat(k) : ' '.repeat(half);
  const right = x > 0 ? '#'.repeat(k) + ' '.repeat(half - k) : ' '.repeat(half);
  return `${left}|${right}`;
}

export function gainsLines({ data, state, width, height }: Omit<ViewProps, 'colour'>): Line[] {
  if (data.kind !== 'comparison') return [[seg('Not a comparison artifact.', 'muted')]];
  const c = data.result;
  const base = c.regimes[0] ?? '';
  const other = c.regimes[Math.max(1, state.regime)] ?? '';
  const pair = gainsPairs(c).find((p) => p.a === base && p.b === other);
  if (!pair || pair.rows.every((r) => r.diff.delivered === undefined)) return [[seg('This comparison holds no per-country differences (one arm, or an artifact made before they were recorded).', 'muted')]];
  const level = `${Math.round(c.interval.level * 100)}%`;
  const max = Math.max(0, ...pair.rows.map((r) => Math.abs(r.diff.delivered?.mean ?? 0)));
  const cols: Column<Key>[] = [
    { key: 'country', title: 'country', width: 7, align: 'left', priority: 0 },
    { key: 'tier', title: 'tier', width: 4, align: 'right', priority: 4 },
    { key: 'a', title: 'chips (a)', width: 9, align: 'right', priority: 3 },
    { key: 'b', title: 'chips (b)', width: 9, align: 'right', priority: 3 },
    { key: 'diff', title: `b - a [${level} interval]`, width: 27, align: 'right', priority: 1 },
    { key: 'met', title: 'demand met', width: 10, align: 'right', priority: 2 },
    { key: 'verdict', title: 'verdict', width: 9, align: 'left', priority: 0 },
    { key: 'bar', title: 'loses | gains', width: 21, align: 'left', priority: 5 },
  ];
  const shown = chooseColumns(cols, width);
  const cells = (r: GainsRow): Record<Key, string> => {
    const d = r.diff.delivered;
    const m = r.diff.fulfilment;
    return {
      country: r.id,
      tier: String(r.tier),
      a: compact(r.a.delivered.mean),
      b: compact(r.b.delivered.mean),
      diff: d ? `${signed(d.mean, compact)} [${compact(d.lo)}, ${compact(d.hi)}]` : 'n/a',
      met: m ? `${signed(100 * m.mean, (v) => v.toFixed(1))} pts` : 'n/a',
      verdict: r.verdict,
      bar: divergingBar(d?.mean ?? 0, max, 21),
    };
  };
  const head: Line[] = [
    [seg(fit(`a = ${base}`, width), 'muted')],
    [seg(fit(`b = ${other}${c.regimes.length > 2 ? ' (r: next arm)' : ''}`, width), 'accent', { bold: true })],
    [seg(fit(`${gainsSummary(pair)} in chips delivered (${c.seeds.length} seeds, paired); ${fulfilment.label.toLowerCase()} in points`, width), 'muted')],
    [],
    [seg(shown.map((col) => fit(col.title, col.width, col.align)).join(' '), 'muted', { bold: true })],
  ];
  const room = Math.max(1, height - head.length - 1);
  const selectedId = state.entities[state.selected]?.id;
  const at = Math.max(0, pair.rows.findIndex((r) => r.id === selectedId));
  const start = windowStart(pair.rows.length, room, at);
  const body: Line[] = pair.rows.slice(start, start + room).map((r) => {
    const cell = cells(r);
    const tone = r.verdict === 'gains' ? 'good' : r.verdict === 'loses' ? 'bad' : 'plain';
    return shown.flatMap((col, i) => [
      ...(i > 0 ? [seg(' ')] : []),
      seg(fit(cell[col.key], col.width, col.align), col.key === 'verdict' || col.key === 'bar' ? tone : 'plain', r.id === selectedId ? { inverse: col.key === 'country' } : {}),
    ]);
  });
  const tail: Line[] = [];
  if (pair.onlyA.length > 0 || pair.onlyB.length > 0) tail.push([seg(fit(`only in a: ${pair.onlyA.join(', ') || '-'}; only in b: ${pair.onlyB.join(', ') || '-'}`, width), 'muted')]);
  return [...head, ...body, ...tail].slice(0, height);
}

export function GainsView(p: ViewProps) {
  return <Lines lines={gainsLines(p)} width={p.width} height={p.height} colour={p.colour} />;
}
