/**
 * Report sections for the deep-uncertainty artifacts (docs/research.md, "Deep uncertainty"): a comparison over
 * uncertain worlds (distribution strips of the paired differences), Sobol indices (bars with intervals and
 * their convergence), scenario discovery (PRIM trade-off curve, box limits, CART tree) and robustness (regret
 * table, ranking). Reads the artifacts only.
 */
import type { ComparisonResult, DiscoveryResult, DistributionSummary, RobustnessResult, SobolResult, TreeNode } from '../core/events.js';
import { finalMetric, labelWithUnit } from '../core/metrics.js';
import type { Block, ReportDoc, Section } from './doc.js';
import { limitText } from './discover-text.js';
import { shellCommand } from './shell.js';
import { intervalChart } from './svg/intervals.js';
import { lineBandChart } from './svg/lines.js';

const sig = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const big = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fmt = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : Math.abs(x) >= 10_000 ? big.format(x) : sig.format(x));
const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${sig.format(100 * x)}%`);
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const title = (key: string): string => {
  const d = finalMetric(key);
  return d ? labelWithUnit(d) : key;
};

// ---------------------------------------------------------------------------------------------------------
// Comparison over uncertain worlds
// ---------------------------------------------------------------------------------------------------------

/** The sections a comparison over uncertainty adds: worlds, regimes' distributions, paired differences. */
export function uncertaintySections(c: ComparisonResult): Section[] {
  const u = c.uncertainty;
  if (u === undefined) return [];
  const metrics: string[] = [...new Set(u.differences.map((d): string => d.metric))];
  const pairs = [...new Set(u.differences.map((d) => `${d.a}\u0000${d.b}`))].map((k) => k.split('\u0000') as [string, string]);
  // One strip chart per pair, every metric on one axis: each difference relative to the metric's median under
  // a (metrics have different units). Per metric: the 5-95% range of the difference over the worlds around its
  // median, and its mean with the interval.
  const strips: Block[] = pairs.flatMap(([a, b]) => {
    const rows = u.differences
      .filter((d) => d.a === a && d.b === b)
      .flatMap((d) => {
        const base = (u.byRegime[a] as Readonly<Record<string, DistributionSummary>> | undefined)?.[d.metric]?.median;
        if (base === undefined || !Number.isFinite(base) || base === 0) return [];
        const k = 1 / Math.abs(base);
        return [{ label: d.metric, points: [{ mean: d.worlds.median * k, lo: d.worlds.q05 * k, hi: d.worlds.q95 * k }, { mean: d.mean.mean * k, lo: d.mean.lo * k, hi: d.mean.hi * k }] }];
      });
    return rows.length === 0
      ? []
      : [
          {
            kind: 'chart' as const,
            caption: `${b} - ${a} over the worlds, relative to the median under ${a}: 5-95% of worlds around the median, and the mean with its ${sig.format(100 * c.interval.level)}% interval`,
            svg: intervalChart({ title: `${b} minus ${a}, paired over the worlds`, xLabel: `(${b} - ${a}) / |median under ${a}|`, series: ['5-95% of worlds, median', 'mean, interval'], zero: true, rows }),
          },
        ];
  });
  const tables: Block[] = pairs.map(([a, b]) => ({
    kind: 'table' as const,
    caption: `${b} - ${a}, paired over the same ${u.worlds} worlds`,
    header: ['metric', 'mean difference [interval]', '5%..95% of worlds', `P(${b} beats ${a}) [interval]`, 'seed share', 'verdict'],
    rows: u.differences
      .filter((d) => d.a === a && d.b === b)
      .map((d) => [
        title(d.metric),
        `${fmt(d.mean.mean)} [${fmt(d.mean.lo)}, ${fmt(d.mean.hi)}]`,
        `${fmt(d.worlds.q05)} .. ${fmt(d.worlds.q95)}`,
        d.pBeats === null ? `${pct(d.pHigher)} higher` : `${pct(d.pBeats)}${d.pBeatsInterval ? ` [${pct(d.pBeatsInterval[0])}, ${pct(d.pBeatsInterval[1])}]` : ''}`,
        d.seedShare === null ? 'n/a' : pct(d.seedShare),
        d.deterministic ? 'deterministic (not a test)' : d.significant ? 'interval excludes 0' : 'not significant',
      ]),
  }));
  return [
    {
      title: 'Uncertain worlds',
      blocks: [
        { kind: 'text', text: `${u.worlds} worlds drawn by ${u.design} from the streams ${u.stream} (master seed ${u.masterSeed}), ${u.seedsPerWorld} seed${u.seedsPerWorld === 1 ? '' : 's'} each; every regime ran in every world with the same seeds. A world's value is its mean over its seeds.` },
        { kind: 'table', caption: 'Sampled factors', header: ['factor', 'distribution', 'source'], rows: u.factors.map((f) => [f.name, f.distribution, f.source ?? '(none given)']) },
      ],
    },
    {
      title: 'Metrics over the worlds',
      blocks: [{ kind: 'table', caption: 'Median [5%, 95%] over the worlds', header: ['metric', ...c.regimes], rows: metrics.map((m) => [title(m), ...c.regimes.map((g) => { const s = (u.byRegime[g] as Readonly<Record<string, DistributionSummary>> | undefined)?.[m]; return s ? `${fmt(s.median)} [${fmt(s.q05)}, ${fmt(s.q95)}]` : 'n/a'; })]) }],
    },
    { title: 'Paired differences over the worlds', blocks: [...strips, ...tables] },
  ];
}

export function uncertaintyCommand(c: ComparisonResult): string {
  const u = c.uncertainty;
  return shellCommand(['tradesim', 'compare', c.scenario.file || '<scenario>', '--regimes', c.regimes.join(','), '--uncertainty', String(u?.worlds ?? 0), '--seeds', String(u?.seedsPerWorld ?? 1), '--seed-start', String(u?.masterSeed ?? 1), '--out', 'comparison.json']);
}

// ---------------------------------------------------------------------------------------------------------
// Sobol
// ---------------------------------------------------------------------------------------------------------

export function sobolDoc(r: SobolResult, reportCommand: string): ReportDoc {
  const level = `${sig.format(100 * r.interval.level)}%`;
  const sections: Section[] = r.metrics.map((m) => {
    const name = m.metric === 'y' ? 'the function' : title(m.metric);
    if (!(m.variance > 0)) return { title: name, blocks: [{ kind: 'text', text: 'No variance over the design: every index is 0 (the factors do not move it).' }] };
    const top = m.groups.filter((g) => g.group !== 'seed').slice(0, 4).map((g) => g.group);
    return {
      title: name,
      blocks: [
        {
          kind: 'chart',
          caption: `Sobol indices of ${name}, with ${level} bootstrap intervals`,
          svg: intervalChart({ title: `Sobol indices: ${name}`, xLabel: 'share of the variance', series: ['first order', 'total'], zero: true, rows: m.groups.map((g) => ({ label: g.group === 'seed' ? 'seed (noise)' : g.group, points: [{ mean: g.first.estimate, lo: g.first.lo, hi: g.first.hi }, { mean: g.total.estimate, lo: g.total.lo, hi: g.total.hi }] })) }),
        },
        {
          kind: 'table',
          caption: `mean ${fmt(m.mean)}, variance ${fmt(m.variance)} over ${m.n} rows; first-order indices sum to ${f3(m.sumFirst)}${m.seedNoise ? `; seed noise ${f3(m.seedNoise.total.estimate)} of the variance` : ''}`,
          header: ['group', `first order [${level}]`, `total [${level}]`],
          rows: m.groups.map((g) => [g.group === 'seed' ? 'seed (noise)' : g.group, `${f3(g.first.estimate)} [${f3(g.first.lo)}, ${f3(g.first.hi)}]`, `${f3(g.total.estimate)} [${f3(g.total.lo)}, ${f3(g.total.hi)}]`]),
        },
        ...(m.convergence.length > 1 && top.length > 0
          ? [
              {
                kind: 'chart' as const,
                caption: 'Convergence: total index on the first n rows, with its interval',
                svg: lineBandChart({
                  title: 'Convergence of the total indices',
                  xLabel: 'n (rows of A and B used)',
                  yLabel: 'total index',
                  series: top.map((t) => ({ name: t, points: m.convergence.map((c) => { const g = c.groups.find((x) => x.group === t); return { x: c.n, mean: g?.total.estimate ?? Number.NaN, lo: g?.total.lo ?? Number.NaN, hi: g?.total.hi ?? Number.NaN }; }).filter((p) => Number.isFinite(p.mean)) })),
                }),
              },
            ]
          : []),
      ],
    };
  });
  return {
    title: `Sobol sensitivity: ${r.scenario ? r.scenario.id : 'a function'}`,
    subtitle: `N = ${r.samples}, ${r.runs} ${r.scenario ? 'runs' : 'evaluations'}; ${r.estimators.first}; ${r.estimators.total}`,
    stamp: [
      ...(r.scenario ? ([['scenario', r.scenario.id], ['scenario file', r.scenario.file], ['scenario hash (sha256)', r.scenario.hash]] as [string, string][]) : [['function', r.function ?? ''] as [string, string]]),
      ['tradesim version', r.tool.version],
      ['design', `${r.design.scheme}; streams ${r.design.stream}; master seed ${r.design.masterSeed}`],
      ['intervals', `${r.interval.method}, ${level}, ${r.interval.resamples} resamples (stream ${r.interval.stream})`],
      ['random numbers', r.rng],
    ],
    reproduce: [r.command, reportCommand],
    sections: [{ title: 'Factors', blocks: [{ kind: 'table', caption: 'One group per uncertain: entry', header: ['group', 'distribution', 'source'], rows: r.groups.map((g) => [g.name, g.factors[0]?.distribution ?? '', g.factors[0]?.source ?? '']) }] }, ...sections],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------------------

function treeRows(t: TreeNode, depth: number, out: string[][]): void {
  out.push([`${'· '.repeat(depth)}${t.condition}`, String(t.n), pct(t.density), t.children.length === 0 ? 'leaf' : '']);
  for (const c of t.children) treeRows(c, depth + 1, out);
}

export function discoveryDoc(r: DiscoveryResult, reportCommand: string): ReportDoc {
  const p = r.prim;
  const b = p.box;
  const tree: string[][] = [];
  treeRows(r.tree, 0, tree);
  const verdict = b === null ? 'No box.' : p.significant ? `Significant at ${p.alpha}${p.permutation ? ` (permutation p = ${sig.format(p.permutation.p)})` : ''}.` : `Nothing significant at ${p.alpha}${p.permutation ? ` (permutation p = ${sig.format(p.permutation.p)})` : ''}.`;
  return {
    title: `Scenario discovery: where ${r.where}`,
    subtitle: `${r.rows} ${r.arms ? `pairs (${r.arms})` : 'rows'}, ${p.cases} cases of interest (base rate ${pct(p.baseRate)}); PRIM and CART`,
    stamp: [
      ['rows file', r.file],
      ['rows sha256', r.sha256],
      ['tradesim version', r.tool.version],
      ['PRIM', `peel ${r.options.peelAlpha}, paste ${r.options.pasteAlpha}, minimum mass ${r.options.massMin}; ${p.rule}`],
      ['significance', `alpha ${r.options.alpha}; ${r.options.permutations} permutations (master seed ${r.options.masterSeed})`],
    ],
    reproduce: [r.command, reportCommand],
    sections: [
      {
        title: 'Peeling trajectory',
        blocks: [
          {
            kind: 'chart',
            caption: 'Coverage against density along the peeling trajectory (the chosen box is the step marked in the table)',
            svg: lineBandChart({ title: 'PRIM trade-off: density against coverage', xLabel: 'coverage (share of cases inside)', yLabel: 'density (share of the box that are cases)', series: [{ name: 'trajectory', points: p.trajectory.map((s) => ({ x: s.coverage, mean: s.density, lo: s.density, hi: s.density })) }] }),
          },
          { kind: 'table', caption: 'Each peeling step', header: ['step', 'peeled', 'coverage', 'density', 'mass', 'restricted'], rows: p.trajectory.map((s) => [`${s.step}${s.step === p.chosenStep ? ' (chosen)' : ''}`, s.peeled ?? '-', pct(s.coverage), pct(s.density), pct(s.mass), String(s.restricted)]) },
        ],
      },
      {
        title: 'Chosen box',
        blocks: [
          { kind: 'text', text: b === null ? 'No box qualifies.' : `Coverage ${pct(b.coverage)}, density ${pct(b.density)}, mass ${pct(b.mass)} (${b.hits} of ${b.n} rows). ${verdict}` },
          ...(b !== null && b.restricted.length > 0 ? [{ kind: 'table' as const, caption: `Restricted inputs (quasi-p below ${p.alpha} marked *)`, header: ['input', 'box', 'whole range', 'quasi-p'], rows: b.restricted.map((d) => [d.limit.name, limitText(d.limit), limitText(d.full), `${d.quasiP < 1e-4 ? d.quasiP.toExponential(1) : d.quasiP.toFixed(4)}${d.quasiP < p.alpha ? ' *' : ''}`]) }] : []),
          ...(b !== null && b.dropped.length > 0 ? [{ kind: 'text' as const, text: `Dropped restrictions (not significant, the box as good without them): ${b.dropped.map((l) => `${l.name} ${limitText(l)}`).join('; ')}.` }] : []),
        ],
      },
      { title: 'CART tree', blocks: [{ kind: 'table', caption: `Classification tree (depth ${r.options.depth})`, header: ['node', 'rows', 'cases', ''], rows: tree }] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------------------------

export function robustnessDoc(r: RobustnessResult, reportCommand: string): ReportDoc {
  const first = r.metrics.find((m) => m.direction !== 'neutral');
  const rankRows = r.ranking.order.map((label, i) => {
    const c = r.combinations.findIndex((x) => x.label === label);
    const reg = first?.byCombination[c]?.regret;
    return [String(i + 1), label, ...(r.satisfy ? [pct(r.satisfy.byCombination[c]?.share)] : []), ...(first ? [fmt(reg?.max), fmt(reg?.mean)] : [])];
  });
  return {
    title: `Robustness of ${r.levers.join(' x ')} over ${r.worlds} uncertain worlds`,
    subtitle: `${r.combinations.length} lever combinations, each in the same worlds; ranking by ${r.ranking.criterion}`,
    stamp: [
      ['rows file', r.file],
      ['rows sha256', r.sha256],
      ['tradesim version', r.tool.version],
      ...(r.satisfy ? [['thresholds', r.satisfy.clauses.join(' and ')] as [string, string]] : []),
    ],
    reproduce: [r.command, reportCommand],
    sections: [
      { title: 'Ranking', blocks: [{ kind: 'table', caption: r.ranking.criterion, header: ['rank', 'levers', ...(r.satisfy ? ['satisficing'] : []), ...(first ? [`max regret ${first.metric}`, `mean regret ${first.metric}`] : [])], rows: rankRows }] },
      ...r.metrics.map(
        (m): Section => ({
          title: `${title(m.metric)} (${m.direction})`,
          blocks: [
            {
              kind: 'chart',
              caption: 'Over the worlds: 5-95% range around the median, and 25-75%',
              svg: intervalChart({ title: title(m.metric), xLabel: title(m.metric), series: ['5-95%, median', '25-75%, mean'], rows: r.combinations.map((c, i) => { const s = m.byCombination[i]?.summary; return { label: c.label, points: s ? [{ mean: s.median, lo: s.q05, hi: s.q95 }, { mean: s.mean, lo: s.q25, hi: s.q75 }] : [null, null] }; }) }),
            },
            {
              kind: 'table',
              caption: m.direction === 'neutral' ? 'Over the worlds (a neutral metric has no regret)' : 'Over the worlds, and regret against the best combination in each world',
              header: ['levers', 'mean', '5%', 'median', '95%', ...(m.direction !== 'neutral' ? ['regret mean', 'regret 95%', 'regret max'] : [])],
              rows: r.combinations.map((c, i) => {
                const x = m.byCombination[i];
                const s = x?.summary;
                return [c.label, fmt(s?.mean), fmt(s?.q05), fmt(s?.median), fmt(s?.q95), ...(m.direction !== 'neutral' ? [fmt(x?.regret?.mean), fmt(x?.regret?.q95), fmt(x?.regret?.max)] : [])];
              }),
            },
          ],
        }),
      ),
    ],
  };
}
