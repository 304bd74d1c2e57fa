/**
 * Turns each report input (run, comparison, sensitivity artifact, sweep rows) into a ReportDoc. Reads the
 * artifact only: no simulation code. Sweep rows are summarised here (mean and t-interval over seeds per
 * parameter value), which is statistics on the rows, not a rerun.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { ChipsResult, ComparisonResult, IntervalEstimate, Provenance, SensitivityResult } from '../core/events.js';
import { COUNTRY_METRICS, FINAL_METRICS, finalMetric, formatValue, labelWithUnit, roundMetric } from '../core/metrics.js';
import { tInterval } from '../research/stats.js';

/** Confidence level of the t-intervals of sweep response curves. */
const LEVEL = 0.95;
import { armLines, comparisonTitle } from './compare.js';
import { discoveryDoc, robustnessDoc, sobolDoc, uncertaintyCommand, uncertaintySections } from './build-research.js';
import type { Block, ReportDoc, Section } from './doc.js';
import { gainsPairs, gainsSummary } from './gains.js';
import type { ReportInput, SweepRow, SweepTable } from './input.js';
import { shellArg, shellCommand } from './shell.js';
import { metricLines } from './text.js';
import { barChart } from './svg/bars.js';
import { intervalChart } from './svg/intervals.js';
import { lineBandChart, type BandPoint } from './svg/lines.js';
import { scatterChart } from './svg/scatter.js';
import { tornadoChart } from './svg/tornado.js';

/** Metrics charted first when there is room for only some: the catalogue's headline metrics. */
const KEY_METRICS: readonly string[] = FINAL_METRICS.filter((m) => 'headline' in m && m.headline).map((m) => m.key);
const MAX_CHARTS = 8;

const sig = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const big = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A table number: grouped integers for large values, 4 significant digits otherwise. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  return Math.abs(x) >= 10_000 ? big.format(x) : sig.format(x);
}

export function fmtInterval(e: IntervalEstimate): string {
  if (e.n < 2) return `${fmt(e.mean)} (n=1)`;
  return e.lo === e.hi ? `${fmt(e.mean)} (no spread)` : `${fmt(e.mean)} [${fmt(e.lo)}, ${fmt(e.hi)}]`;
}

const pct = (x: number): string => `${sig.format(100 * x)}%`;

/** A metric's label and unit from the catalogue (src/core/metrics.ts); its key when the catalogue has none. */
export function metricTitle(key: string): string {
  const def = finalMetric(key.replace(/^metrics\./, ''));
  return def ? labelWithUnit(def) : key;
}

/** The unit alone, for an axis: "(USD bn)". */
const metricUnit = (key: string): string => finalMetric(key.replace(/^metrics\./, ''))?.unit ?? '';

/**
 * The `report` command itself, for the reproduce block: its arguments after "report" and the folder it ran in,
 * so that its paths can be given from the artifact's own folder (one working directory for the whole block).
 * A plain string is used as it is.
 */
export type ReportCall = string | { readonly argv: readonly string[]; readonly cwd: string };

export function buildReport(input: ReportInput, call: ReportCall): ReportDoc {
  const prov = provenanceOf(input);
  const reportCommand = reportLine(call, prov);
  const doc = buildDoc(input, reportCommand);
  if (prov === undefined) return doc;
  const what = whatIf(prov);
  return {
    ...doc,
    // A what-if never looks like its base: the title and subtitle say what was changed.
    title: what !== null ? `What-if: ${doc.title}` : doc.title,
    subtitle: what !== null ? `${doc.subtitle}. ${what}` : doc.subtitle,
    stamp: [...doc.stamp, ...provenanceStamp(prov)],
    reproduce: reproduceBlock(prov, reportCommand, typeof call === 'string' ? input.file : fromFolder(input.file, call.cwd, prov.cwd)),
  };
}

function provenanceOf(input: ReportInput): Provenance | undefined {
  if (input.kind !== 'sweep') return input.result.provenance;
  const p = input.meta?.provenance;
  if (p === null || typeof p !== 'object') return undefined;
  const o = p as Record<string, unknown>;
  // The sidecar is untrusted: only a well-formed record is used.
  if (typeof o.command !== 'string' || typeof o.cwd !== 'string' || !Array.isArray(o.overrides) || !o.overrides.every((x) => typeof x === 'string')) return undefined;
  return { command: o.command, cwd: o.cwd, overrides: o.overrides as string[], rounds: typeof o.rounds === 'number' ? o.rounds : null, regime: typeof o.regime === 'string' ? o.regime : null };
}

/** "Overrides: --set a=1, --set b=2; --rounds 8" or null when the artifact is the scenario file as it is. */
function whatIf(p: Provenance): string | null {
  const parts = [...(p.overrides.length > 0 ? [`overrides ${p.overrides.map((o) => `--set ${o}`).join(', ')}`] : []), ...(p.rounds !== null ? [`--rounds ${p.rounds}`] : [])];
  return parts.length > 0 ? `What-if: ${parts.join('; ')}` : null;
}

function provenanceStamp(p: Provenance): [string, string][] {
  return [
    ['overrides (--set)', p.overrides.length > 0 ? p.overrides.join('; ') : 'none: the scenario file as it is'],
    ['rounds (--rounds)', p.rounds !== null ? String(p.rounds) : "the scenario's own"],
    ['regime (--regime, --regimes)', p.regime ?? "the scenario's own (and its timeline)"],
    ['command', p.command],
    ['working folder', p.cwd],
  ];
}

/** A path given to `report` (relative to where it ran) as seen from the artifact's folder. */
function fromFolder(path: string, callCwd: string, cwd: string): string {
  const abs = resolve(callCwd, path);
  const rel = relative(cwd, abs);
  return rel === '' || isAbsolute(rel) ? abs : rel;
}

function reportLine(call: ReportCall, prov: Provenance | undefined): string {
  if (typeof call === 'string') return call;
  if (prov === undefined) return shellCommand(['tradesim', 'report', ...call.argv]);
  // Every path of the report command (the input, --html/--md files) from the artifact's folder.
  const args = call.argv.map((a, i) => {
    const eq = /^(--(?:html|md))=(.*)$/.exec(a);
    if (eq) return `${eq[1] as string}=${fromFolder(eq[2] as string, call.cwd, prov.cwd)}`;
    const prev = call.argv[i - 1];
    return !a.startsWith('-') || prev === '--html' || prev === '--md' ? fromFolder(a, call.cwd, prov.cwd) : a;
  });
  return shellCommand(['tradesim', 'report', ...args]);
}

/**
 * One working folder for the whole block: cd there, the exact command that made the artifact, then the report.
 * Every argument is quoted for a POSIX shell (zsh included: no unquoted brackets).
 */
function reproduceBlock(p: Provenance, reportCommand: string, file: string): string[] {
  const hasOut = /(^| )--out[ =]/.test(p.command);
  const made = !hasOut && /(^| )--json( |$)/.test(p.command) ? `${p.command} > ${shellArg(file)}` : p.command;
  return [`cd ${shellArg(p.cwd)}`, made, reportCommand];
}

function buildDoc(input: ReportInput, reportCommand: string): ReportDoc {
  switch (input.kind) {
    case 'run':
      return runDoc(input.result, reportCommand);
    case 'comparison':
      return comparisonDoc(input.result, reportCommand);
    case 'sensitivity':
      return sensitivityDoc(input.result, reportCommand);
    case 'sobol':
      return sobolDoc(input.result, reportCommand);
    case 'discovery':
      return discoveryDoc(input.result, reportCommand);
    case 'robustness':
      return robustnessDoc(input.result, reportCommand);
    case 'sweep':
      return sweepDoc(input.table, input.meta, input.file, reportCommand);
  }
}

function scenarioStamp(s: ChipsResult['scenario'], version: string): [string, string][] {
  return [
    ['scenario', `${s.id}${s.title ? ` — ${s.title}` : ''}`],
    ['scenario file', s.file || '(not recorded)'],
    ['scenario hash (sha256)', s.hash],
    ['tradesim version', version],
  ];
}

function seedRange(seeds: readonly number[]): string {
  if (seeds.length === 0) return 'none';
  const contiguous = seeds.every((s, i) => i === 0 || s === (seeds[i - 1] as number) + 1);
  return contiguous && seeds.length > 2 ? `${seeds.length} seeds: ${seeds[0]}..${seeds[seeds.length - 1]}` : `${seeds.length} seed${seeds.length === 1 ? '' : 's'}: ${seeds.join(', ')}`;
}

const ROUTES = ['market', 'capped', 'exempt', 'veu', 'deal', 'licensed'] as const;

// ---------------------------------------------------------------------------------------------------------

export function runDoc(r: ChipsResult, reportCommand: string): ReportDoc {
  const first = r.rounds[0]?.label ?? '';
  const last = r.rounds[r.rounds.length - 1]?.label ?? '';
  const countries = [...r.countries].sort((a, b) => b.delivered - a.delivered || (a.id < b.id ? -1 : 1));
  const tiers = ([1, 2, 3] as const).map((t) => {
    const cs = r.countries.filter((c) => c.tier === t);
    return { tier: t, count: cs.length, demand: cs.reduce((s, c) => s + c.demand, 0), delivered: cs.reduce((s, c) => s + c.delivered, 0), byRoute: ROUTES.map((k) => cs.reduce((s, c) => s + c.byRoute[k], 0)) };
  });
  // Only the routes some country used: a legend entry with nothing drawn is noise.
  const routes = ROUTES.filter((k) => r.countries.some((c) => c.byRoute[k] > 0));
  const alloc: Section = {
    title: 'Allocations by country',
    blocks: [
      {
        kind: 'chart',
        caption: 'Chips delivered per country by route (H100e over the run); black tick: demand',
        svg: barChart({
          title: 'Chips delivered per country by route (H100e)',
          xLabel: 'H100e delivered over the run',
          series: [...routes],
          rows: countries.map((c) => ({ label: `${c.name} (${c.id}, tier ${c.tier})`, values: routes.map((k) => c.byRoute[k]) })),
          markers: { name: 'demand', values: countries.map((c) => c.demand) },
        }),
      },
      {
        kind: 'table',
        caption: 'Per country (H100e over the run; fulfilment: share of demand delivered)',
        header: ['country', 'tier', 'route', 'demand', 'delivered', 'fulfilment', 'deal', 'market', 'rival', 'leaked'],
        rows: countries.map((c) => [`${c.name} (${c.id})`, String(c.tier), c.route, fmt(c.demand), fmt(c.delivered), pct(c.fulfilment), fmt(c.byRoute.deal), fmt(c.byRoute.market + c.byRoute.capped + c.byRoute.exempt + c.byRoute.veu), fmt(c.rival), fmt(c.leaked)]),
      },
    ],
  };
  const byTier: Section = {
    title: 'Allocations by tier',
    blocks: [
      {
        kind: 'chart',
        caption: 'Chips delivered per tier by route (H100e over the run); black tick: demand',
        svg: barChart({
          title: 'Chips delivered per tier by route (H100e)',
          xLabel: 'H100e delivered over the run',
          series: [...routes],
          rows: tiers.map((t) => ({ label: `tier ${t.tier} (${t.count} countries)`, values: routes.map((k) => t.byRoute[ROUTES.indexOf(k)] ?? 0) })),
          markers: { name: 'demand', values: tiers.map((t) => t.demand) },
        }),
      },
      {
        kind: 'table',
        caption: 'Per tier (H100e over the run)',
        header: ['tier', 'countries', 'demand', 'delivered', 'fulfilment'],
        rows: tiers.map((t) => [String(t.tier), String(t.count), fmt(t.demand), fmt(t.delivered), t.demand > 0 ? pct(t.delivered / t.demand) : 'n/a']),
      },
    ],
  };
  // Where the adversaries' compute came from (CHN, ...): their own fabs, legal (licensed) imports, diversion.
  const adversaries: Section = {
    title: 'Adversaries',
    blocks:
      r.adversaries.length === 0
        ? [{ kind: 'text', text: 'The scenario has no adversaries.' }]
        : [
            {
              kind: 'chart',
              caption: 'Compute acquired per adversary by source (H100e over the run)',
              svg: barChart({
                title: 'Compute acquired per adversary by source (H100e)',
                xLabel: 'H100e acquired over the run',
                series: ['domestic production', 'legal imports', 'diverted'],
                rows: r.adversaries.map((a) => ({ label: `${a.name} (${a.id})`, values: [a.domestic, a.licensed, a.diverted] })),
              }),
            },
            {
              kind: 'table',
              caption: 'Per adversary (H100e over the run; revenue share in USD bn)',
              header: ['adversary', 'domestic production', 'legal imports', 'diverted', 'total', 'revenue share paid'],
              rows: r.adversaries.map((a) => [`${a.name} (${a.id})`, fmt(a.domestic), fmt(a.licensed), fmt(a.diverted), fmt(a.total), `$${sig.format(a.revenueShareUsd)}bn`]),
            },
          ],
  };
  // Deliveries (~10^5 a round) and leakage (~10^3) on one axis make leakage look like zero: one chart each.
  const roundChart = (key: 'delivered' | 'leakage', pick: (m: (typeof r.metrics.perRound)[number]) => number): Block => {
    const def = roundMetric(key);
    const title = def ? labelWithUnit(def) : key;
    return {
      kind: 'chart',
      caption: `${title} per round`,
      svg: lineBandChart({
        title: `${title} per round`,
        xLabel: `round (${first} = 1)`,
        yLabel: def?.unit ?? '',
        width: 470,
        height: 260,
        zero: true,
        series: [{ name: def?.label ?? key, points: r.metrics.perRound.map((m, i) => ({ x: i + 1, mean: pick(m), lo: pick(m), hi: pick(m) })) }],
      }),
    };
  };
  const perRound: Section = {
    title: 'Per round',
    blocks: [roundChart('delivered', (m) => m.delivered), roundChart('leakage', (m) => m.leakage)],
  };
  return {
    title: r.scenario.title || r.scenario.id,
    subtitle: `One run: regime ${r.regime}, seed ${r.seed}, ${r.rounds.length} rounds ${first}-${last}`,
    stamp: [...scenarioStamp(r.scenario, r.tool.version), ['regime', r.regime], ['seed', String(r.seed)], ['random numbers', r.rng]],
    reproduce: [
      `tradesim run ${shellArg(r.scenario.file || '<scenario>')} --seed ${r.seed} --regime ${shellArg(r.regime)} --out result.json`,
      '# any --set overrides are folded into the artifact\'s "parameters" (the resolved scenario); its hash must match the one above',
      reportCommand,
    ],
    sections: [
      { title: 'Key metrics', blocks: [{ kind: 'table', caption: 'Final metrics (values with their units)', header: ['metric', 'value'], rows: metricLines(r.metrics.final).map(([k, v]) => [k.trim(), v]) }] },
      alloc,
      byTier,
      adversaries,
      perRound,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Metrics present in `available`, key metrics first, at most `max`. */
function pickMetrics(available: readonly string[], max = MAX_CHARTS): string[] {
  const key = KEY_METRICS.filter((m) => available.includes(m));
  return [...key, ...available.filter((m) => !key.includes(m))].slice(0, max);
}

export function comparisonDoc(c: ComparisonResult, reportCommand: string): ReportDoc {
  const metrics = [...new Set(c.regimes.flatMap((g) => Object.keys(c.summaries[g] ?? {})))];
  const level = `${sig.format(100 * c.interval.level)}%`;
  const summaryOf = (g: string, m: string): IntervalEstimate | undefined => (c.summaries[g] as Record<string, IntervalEstimate> | undefined)?.[m];
  const charts: Block[] = pickMetrics(metrics).map((m) => ({
    kind: 'chart',
    caption: `${metricTitle(m)}: mean per arm with ${level} interval`,
    svg: intervalChart({ title: `${metricTitle(m)} per arm`, xLabel: metricTitle(m), series: ['mean'], width: 470, rows: c.regimes.map((g) => ({ label: g, points: [summaryOf(g, m) ?? null] })) }),
  }));
  const pairs = [...new Set(c.differences.map((d) => `${d.a}\u0000${d.b}`))].map((k) => k.split('\u0000') as [string, string]);
  const diffBlocks: Block[] = pairs.flatMap(([a, b]) => {
    const ds = c.differences.filter((d) => d.a === a && d.b === b);
    // Different metrics have different units: the chart shows each difference relative to the mean under a.
    const rel = pickMetrics(ds.map((d) => d.metric), 12).flatMap((m) => {
      const d = ds.find((x) => x.metric === m);
      const base = summaryOf(a, m)?.mean;
      return d && base !== undefined && base !== 0 ? [{ label: finalMetric(m)?.label ?? m, points: [{ mean: d.estimate.mean / Math.abs(base), lo: d.estimate.lo / Math.abs(base), hi: d.estimate.hi / Math.abs(base) }] }] : [];
    });
    return [
      ...(rel.length > 0
        ? [{ kind: 'chart' as const, caption: `${b} - ${a}: paired difference as a fraction of the mean under ${a}, with ${level} interval`, svg: intervalChart({ title: `${b} minus ${a}, relative to ${a} (share of its mean)`, xLabel: `(${b} - ${a}) / |mean under ${a}| (share)`, series: ['difference'], rows: rel, zero: true }) }]
        : []),
      { kind: 'table' as const, caption: `${b} - ${a} (paired over the same seeds)`, header: ['metric', `mean under ${a}`, `mean under ${b}`, 'difference [interval]', 'excludes 0'], rows: ds.map((d) => [metricTitle(d.metric), fmt(summaryOf(a, d.metric)?.mean), fmt(summaryOf(b, d.metric)?.mean), fmtInterval(d.estimate), d.estimate.lo > 0 || d.estimate.hi < 0 ? 'yes' : 'no']) },
    ];
  });
  const countryIds = [...new Set(c.regimes.flatMap((g) => (c.countries[g] ?? []).map((x) => x.id)))];
  const countryOf = (g: string, id: string) => (c.countries[g] ?? []).find((x) => x.id === id);
  const variants = (c.arms ?? []).some((a) => a.file !== c.arms?.[0]?.file || a.scenarioId !== c.arms?.[0]?.scenarioId);
  return {
    title: comparisonTitle(c),
    subtitle: c.uncertainty
      ? `Regimes ${c.regimes.join(', ')} in the same ${c.uncertainty.worlds} uncertain worlds, ${c.uncertainty.seedsPerWorld} seed${c.uncertainty.seedsPerWorld === 1 ? '' : 's'} each (paired)`
      : `${variants ? 'Scenario variants' : 'Regimes'} ${c.regimes.join(', ')} over the same ${c.seeds.length} seeds (common random numbers)`,
    stamp: [
      ...scenarioStamp(c.scenario, c.tool.version),
      ...(c.arms ? c.arms.map((a, i): [string, string] => [`arm ${i + 1}`, armLines(c)[i] ?? a.label]) : [['regimes', c.regimes.join(', ')] as [string, string]]),
      ['seeds', seedRange(c.seeds)],
      ['intervals', intervalText(c.interval, level)],
      ['random numbers', c.rng],
    ],
    reproduce: [c.uncertainty ? uncertaintyCommand(c) : compareCommand(c), '# --set overrides and --rounds are not recorded: the scenario hash above must match', reportCommand],
    sections: c.uncertainty
      ? uncertaintySections(c)
      : [
      {
        title: 'Metrics per regime',
        blocks: [
          ...charts,
          { kind: 'table', caption: `Mean [${level} interval] over ${c.seeds.length} seeds`, header: ['metric', ...c.regimes], rows: metrics.map((m) => [metricTitle(m), ...c.regimes.map((g) => { const e = summaryOf(g, m); return e ? fmtInterval(e) : 'n/a'; })]) },
        ],
      },
      { title: 'Paired differences', blocks: diffBlocks.length > 0 ? diffBlocks : [{ kind: 'text', text: 'The artifact holds no differences.' }] },
      gainsSection(c, level),
      {
        title: 'Chips delivered per country',
        blocks: [
          { kind: 'chart', caption: `Mean chips delivered per country and regime (chips) with ${level} interval`, svg: intervalChart({ title: 'Chips delivered per country and arm (chips)', xLabel: 'chips delivered over the run', series: c.regimes, rows: countryIds.map((id) => ({ label: id, points: c.regimes.map((g) => countryOf(g, id)?.delivered ?? null) })) }) },
          { kind: 'table', caption: 'Delivered (chips) and fulfilment per country', header: ['country', ...c.regimes.flatMap((g) => [`delivered ${g}`, `fulfilment ${g}`])], rows: countryIds.map((id) => [id, ...c.regimes.flatMap((g) => { const x = countryOf(g, id); return x ? [fmtInterval(x.delivered), pct(x.fulfilment.mean)] : ['n/a', 'n/a']; })]) },
        ],
      },
        ],
  };
}

/** Who gains and loses, per pair of arms: the paired change in chips per country (chart), and every country metric (table). */
function gainsSection(c: ComparisonResult, level: string): Section {
  const pairs = gainsPairs(c).filter((p) => p.rows.some((r) => r.diff.delivered !== undefined));
  if (pairs.length === 0) return { title: 'Who gains and loses', blocks: [{ kind: 'text', text: 'The artifact holds no per-country differences.' }] };
  const delivered = COUNTRY_METRICS.find((m) => m.key === 'delivered') ?? COUNTRY_METRICS[0];
  const blocks = pairs.flatMap((p): Block[] => [
    { kind: 'text', text: `${p.b} - ${p.a}: ${gainsSummary(p)}. A country gains (loses) when the ${level} interval of its paired difference in chips delivered lies above (below) zero.${p.onlyA.length > 0 ? ` Only in ${p.a}: ${p.onlyA.join(', ')}.` : ''}${p.onlyB.length > 0 ? ` Only in ${p.b}: ${p.onlyB.join(', ')}.` : ''}` },
    {
      kind: 'chart',
      caption: `${p.b} - ${p.a}: change in ${delivered.label.toLowerCase()} per country (${delivered.unit}), paired over the same seeds, ${level} interval`,
      svg: intervalChart({ title: `Change in ${delivered.label.toLowerCase()} (${delivered.unit}), ${p.b} - ${p.a}`, xLabel: `${labelWithUnit(delivered)}: ${p.b} - ${p.a}`, series: ['difference'], zero: true, rows: p.rows.map((r) => ({ label: `${r.id} (${r.verdict})`, points: [r.diff.delivered ?? null] })) }),
    },
    {
      kind: 'table',
      caption: `${p.b} - ${p.a} per country (mean under each, paired difference [${level} interval])`,
      header: ['country', 'tier', 'verdict', `${delivered.label} under ${p.a} (${delivered.unit})`, ...COUNTRY_METRICS.map((m) => `change in ${m.label.toLowerCase()} (${m.unit})`)],
      rows: p.rows.map((r) => [
        `${r.name} (${r.id})`,
        String(r.tier),
        r.verdict,
        formatValue(delivered, r.a.delivered.mean),
        ...COUNTRY_METRICS.map((m) => {
          const e = r.diff[m.key];
          return e ? `${formatValue(m, e.mean)} [${formatValue(m, e.lo)}, ${formatValue(m, e.hi)}]` : 'n/a';
        }),
      ]),
    },
  ]);
  return { title: 'Who gains and loses', blocks };
}

// ---------------------------------------------------------------------------------------------------------

export function sensitivityDoc(s: SensitivityResult, reportCommand: string): ReportDoc {
  const level = `${sig.format(100 * s.interval.level)}%`;
  const range = (path: string): string => {
    const p = s.parameters.find((x) => x.path === path);
    return p ? `${fmt(p.lo)} .. ${fmt(p.hi)} (base ${fmt(p.base)})` : '';
  };
  const sections: Section[] = [];
  if (s.oat) {
    sections.push({
      title: 'One at a time (tornado)',
      blocks: [
        { kind: 'text', text: `Each parameter at lo and at hi with the others at their scenario value; ${s.metric} averaged over the same ${s.seeds.length} seeds. Largest swing first.` },
        { kind: 'chart', caption: `${metricTitle(s.metric)}: each parameter at lo and hi (base ${fmt(s.base.mean)})`, svg: tornadoChart({ title: `Tornado: ${metricTitle(s.metric)}`, xLabel: metricTitle(s.metric), base: s.base.mean, rows: s.oat.map((r) => ({ label: r.path, low: r.low.mean, high: r.high.mean })) }) },
        { kind: 'table', caption: `Effects on ${s.metric} (hi - lo, paired over seeds, ${level} ${s.interval.method}-interval)`, header: ['parameter', 'range', `${s.metric} at lo`, `${s.metric} at hi`, 'effect hi - lo'], rows: s.oat.map((r) => [r.path, range(r.path), fmtInterval(r.low), fmtInterval(r.high), fmtInterval(r.effect)]) },
      ],
    });
  }
  if (s.morris) {
    const m = s.morris;
    sections.push({
      title: 'Morris elementary effects',
      blocks: [
        { kind: 'text', text: `${m.trajectories} trajectories on a ${m.levels}-level grid (step ${fmt(m.delta)} of each range), drawn from the stream "${m.stream}" under master seed ${m.masterSeed}; each point averaged over ${s.seeds.length} seeds. Effects are in ${s.metric} units per full range lo..hi. mu* ranks importance; a large sigma means a non-linear effect or interactions.` },
        { kind: 'chart', caption: 'mu* (importance) against sigma (non-linearity or interaction)', svg: scatterChart({ title: `Morris: ${metricTitle(s.metric)}`, xLabel: `mu* (mean |elementary effect|, ${metricUnit(s.metric) || 'metric units'})`, yLabel: `sigma (${metricUnit(s.metric) || 'metric units'})`, points: m.effects.map((e) => ({ label: e.path, x: e.muStar, y: e.sigma })) }) },
        { kind: 'chart', caption: 'mu* per parameter', svg: barChart({ title: `Morris mu*: ${metricTitle(s.metric)}`, xLabel: `mu* (${metricUnit(s.metric) || s.metric} per range)`, series: ['mu*'], rows: m.effects.map((e) => ({ label: e.path, values: [e.muStar] })) }) },
        { kind: 'table', caption: `Elementary effects on ${s.metric}`, header: ['parameter', 'range', 'mu', 'mu*', 'sigma', 'effects'], rows: m.effects.map((e) => [e.path, range(e.path), fmt(e.mu), fmt(e.muStar), fmt(e.sigma), String(e.r)]) },
      ],
    });
  }
  return {
    title: `Sensitivity of ${s.metric}: ${s.scenario.title || s.scenario.id}`,
    subtitle: `${s.method === 'oat' ? 'One-at-a-time' : 'Morris'} screening of ${s.parameters.length} parameters under regime ${s.regime}; ${s.runs} runs`,
    stamp: [...scenarioStamp(s.scenario, s.tool.version), ['regime', s.regime], ['metric', s.metric], ['method', s.method], ['seeds', seedRange(s.seeds)], [`${s.metric} at base`, fmtInterval(s.base)], ['random numbers', s.rng]],
    reproduce: [s.command, reportCommand],
    sections,
  };
}

// ---------------------------------------------------------------------------------------------------------

/** One point of a response curve: rows sharing a parameter value (and regime), summarised per metric. */
export interface ResponsePoint {
  readonly regime: string;
  readonly x: number | string;
  /** For binned numeric values, the range of the bin. */
  readonly bin: readonly [number, number] | null;
  readonly rows: number;
  readonly metrics: Readonly<Record<string, IntervalEstimate | null>>;
}

/** Numeric parameters with more distinct values than this (random or LHS designs) are binned. */
export const MAX_DISTINCT = 12;
export const BINS = 10;
/** A response curve gets one line per level of another varied parameter when it has at most this many levels. */
export const MAX_LINES = 6;

/**
 * Response of each metric to `param`: rows grouped by regime and value of `param` (averaging over seeds and any
 * other varied parameters), with the mean and t-interval of each metric in each group. Numeric values with
 * more than MAX_DISTINCT distinct values are grouped into BINS equal-width bins.
 */
export function responseCurve(table: SweepTable, param: string, level: number = LEVEL): ResponsePoint[] {
  const values = table.rows.map((r) => r.params[param]);
  const numeric = values.every((v) => typeof v === 'number');
  const distinct = [...new Set(values)];
  let keyOf: (v: number | string | undefined) => { x: number | string; bin: [number, number] | null };
  if (numeric && distinct.length > MAX_DISTINCT) {
    const nums = values as number[];
    // Loops, not Math.min(...): a sweep may have more rows than a call has room for arguments.
    const lo = nums.reduce((a, b) => (b < a ? b : a), Infinity);
    const hi = nums.reduce((a, b) => (b > a ? b : a), -Infinity);
    const w = (hi - lo) / BINS;
    keyOf = (v) => {
      const i = Math.min(BINS - 1, Math.floor(((v as number) - lo) / w));
      return { x: lo + (i + 0.5) * w, bin: [lo + i * w, lo + (i + 1) * w] };
    };
  } else keyOf = (v) => ({ x: v ?? '', bin: null });
  const groups = new Map<string, { regime: string; x: number | string; bin: [number, number] | null; rows: SweepRow[] }>();
  for (const r of table.rows) {
    const k = keyOf(r.params[param]);
    const id = `${r.regime}\u0000${String(k.x)}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { regime: r.regime, ...k, rows: [] }));
    g.rows.push(r);
  }
  const cmp = (a: number | string, b: number | string): number => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  return [...groups.values()]
    .sort((a, b) => (a.regime < b.regime ? -1 : a.regime > b.regime ? 1 : cmp(a.x, b.x)))
    .map((g) => ({
      regime: g.regime,
      x: g.x,
      bin: g.bin,
      rows: g.rows.length,
      metrics: Object.fromEntries(
        table.metrics.map((m) => {
          const ys = g.rows.map((r) => r.metrics[m]).filter((y): y is number => typeof y === 'number');
          return [m, ys.length > 0 ? tInterval(ys, level) : null];
        }),
      ),
    }));
}

function flatMeta(meta: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
    for (const [k, v] of Object.entries(meta)) flatMeta(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(meta) && meta.every((v) => v === null || typeof v !== 'object')) {
    out.push([prefix, meta.length > 0 ? meta.map(String).join(', ') : '(none)']);
  } else if (Array.isArray(meta)) {
    meta.forEach((v, i) => flatMeta(v, `${prefix}[${i}]`, out));
  } else out.push([prefix, String(meta)]);
  return out;
}

export function sweepDoc(table: SweepTable, meta: Readonly<Record<string, unknown>> | null, file: string, reportCommand: string): ReportDoc {
  const regimes = [...new Set(table.rows.map((r) => r.regime))].sort();
  const seeds = [...new Set(table.rows.map((r) => r.seed))].sort((a, b) => a - b);
  const varying = table.metrics.filter((m) => {
    const ys = table.rows.map((r) => r.metrics[m]).filter((y): y is number => typeof y === 'number');
    return ys.some((y) => y !== ys[0]);
  });
  const charted = pickMetrics(varying);
  const level = `${sig.format(100 * LEVEL)}%`;
  const distinctOf = (q: string): (number | string)[] => [...new Set(table.rows.map((r) => r.params[q]).filter((v): v is number | string => v !== undefined))];
  const sections: Section[] = table.params.map((p) => {
    const curve = responseCurve(table, p);
    const numeric = curve.every((c) => typeof c.x === 'number');
    const binned = curve.some((c) => c.bin !== null);
    // Conditioned, not averaged: one line per level of another varied parameter (the one with fewest levels,
    // when it has few), since averaging over it flattens the curves and widens the bands to the full range.
    const others = table.params.filter((q) => q !== p).map((q) => ({ q, levels: distinctOf(q) })).sort((a, b) => a.levels.length - b.levels.length);
    const by = others[0] !== undefined && others[0].levels.length <= MAX_LINES ? others[0] : undefined;
    const levels = by ? [...by.levels].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1)) : [undefined];
    const curves = levels.map((v) => ({ v, curve: by === undefined ? curve : responseCurve({ ...table, rows: table.rows.filter((r) => r.params[by.q] === v) }, p) }));
    const rest = others.filter((o) => o !== by).map((o) => o.q);
    const note = `${by ? `One line per value of ${by.q}${rest.length > 0 ? `; averaged over ${rest.join(', ')} and the seeds` : '; averaged over the seeds'}` : table.params.length > 1 ? `Averaged over ${others.map((o) => o.q).join(', ')} (too many values for one line each) and the seeds` : 'Averaged over the seeds'}; ${level} t-interval${binned ? `; values grouped into ${BINS} equal-width bins (x = bin centre)` : ''}.`;
    const seriesName = (g: string, v: number | string | undefined): string => [...(regimes.length > 1 ? [g] : []), ...(by && v !== undefined ? [`${by.q} = ${typeof v === 'number' ? fmt(v) : v}`] : [])].join(', ') || g;
    const charts: Block[] = charted.map((m) => {
      const series = regimes.flatMap((g) =>
        curves.map(({ v, curve: cv }) => ({
          name: seriesName(g, v),
          points: cv.filter((c) => c.regime === g && c.metrics[m]).map((c): BandPoint => {
            const e = c.metrics[m] as IntervalEstimate;
            return { x: c.x as number, mean: e.mean, lo: e.lo, hi: e.hi };
          }),
        })),
      );
      const title = `${metricTitle(m)} against ${p}`;
      const svg = numeric
        ? lineBandChart({ title, xLabel: p, yLabel: metricUnit(m) || m, series, width: 470, height: 280 })
        : intervalChart({ title: `${metricTitle(m)} per ${p}`, xLabel: metricTitle(m), series: series.map((x) => x.name), width: 470, rows: [...new Set(curve.map((c) => String(c.x)))].map((x) => ({ label: x, points: regimes.flatMap((g) => curves.map(({ curve: cv }) => cv.find((c) => c.regime === g && String(c.x) === x)?.metrics[m] ?? null)) })) });
      return { kind: 'chart', caption: by ? `${title}, one line per ${by.q}` : title, svg };
    });
    return {
      title: `Response to ${p}`,
      blocks: [
        { kind: 'text', text: note },
        ...charts,
        {
          kind: 'table',
          caption: `Mean [${level} interval] per value of ${p}${rest.length > 0 || (!by && table.params.length > 1) ? ' (averaged over the other varied parameters)' : ''}`,
          header: [p, ...(regimes.length > 1 ? ['regime'] : []), 'runs', ...charted.map(metricTitle)],
          rows: curve.map((c) => [c.bin ? `${fmt(c.bin[0])} .. ${fmt(c.bin[1])}` : typeof c.x === 'number' ? fmt(c.x) : c.x, ...(regimes.length > 1 ? [c.regime] : []), String(c.rows), ...charted.map((m) => { const e = c.metrics[m]; return e ? fmtInterval(e) : 'n/a'; })]),
        },
      ],
    };
  });
  if (regimes.length > 1 || table.params.length === 0) sections.unshift(byRegime(table, regimes, charted, level));
  // `columns` repeats the header; `command` goes to the Reproduce block.
  const skip = new Set(['command', 'columns', 'kind', 'schemaVersion', 'tool.name', 'scenario.hash', 'tool.version']);
  const all = meta ? flatMeta(meta) : [];
  const metaStamp = all.filter(([k]) => !skip.has(k)).slice(0, 40);
  const command = meta ? sweepCommand(meta, file) : null;
  const flat = new Map(all);
  const scenario = flat.get('scenario.id') ?? flat.get('scenarioId') ?? flat.get('scenario');
  return {
    title: `Sweep: ${scenario ?? file}`,
    subtitle: `${table.rows.length} runs; ${table.params.length} varied parameter${table.params.length === 1 ? '' : 's'} (${table.params.join(', ') || 'none'}); regimes ${regimes.join(', ')}`,
    stamp: [
      ['rows file', file],
      ['runs', String(table.rows.length)],
      ['seeds', seedRange(seeds)],
      ['regimes', regimes.join(', ')],
      ...(meta ? knownMeta(flat) : []),
      ...(meta ? metaStamp : [['metadata', `no ${file}.meta.json beside the rows: scenario, hash and version unknown`] as [string, string]]),
    ],
    reproduce: [...(command ? [command] : meta ? ['# the sweep command: see the metadata above'] : []), reportCommand],
    sections,
  };
}

/** Each charted metric per regime over all rows (the whole design and every seed). */
function byRegime(table: SweepTable, regimes: readonly string[], metrics: readonly string[], level: string): Section {
  const est = (g: string, m: string): IntervalEstimate | null => {
    const ys = table.rows.filter((r) => r.regime === g).map((r) => r.metrics[m]).filter((y): y is number => typeof y === 'number');
    return ys.length > 0 ? tInterval(ys, LEVEL) : null;
  };
  return {
    title: 'By regime',
    blocks: [
      { kind: 'text', text: `Every row of each regime: averaged over the whole design and the seeds; ${level} t-interval.` },
      ...metrics.map((m): Block => ({ kind: 'chart', caption: `${metricTitle(m)} per regime`, svg: intervalChart({ title: `${metricTitle(m)} per regime`, xLabel: metricTitle(m), series: ['mean'], width: 470, rows: regimes.map((g) => ({ label: g, points: [est(g, m)] })) }) })),
      { kind: 'table', caption: `Mean [${level} interval] per regime`, header: ['metric', ...regimes], rows: metrics.map((m) => [metricTitle(m), ...regimes.map((g) => { const e = est(g, m); return e ? fmtInterval(e) : 'n/a'; })]) },
    ],
  };
}

/** The sweep command, from the sidecar `tradesim sweep` writes (or its `command` field, if it has one). */
function sweepCommand(meta: Readonly<Record<string, unknown>>, file: string): string | null {
  if (typeof meta.command === 'string') return meta.command;
  const scenario = meta.scenario as { file?: unknown } | undefined;
  const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  if (typeof scenario?.file !== 'string') return null;
  const args = ['tradesim', 'sweep', scenario.file, ...strs(meta.vary).flatMap((v) => ['--vary', v])];
  if (typeof meta.seeds === 'number') args.push('--seeds', String(meta.seeds));
  if (typeof meta.seedStart === 'number') args.push('--seed-start', String(meta.seedStart));
  if (typeof meta.design === 'string') args.push('--design', meta.design);
  if (typeof meta.samples === 'number') args.push('--samples', String(meta.samples));
  args.push(...strs(meta.sets).flatMap((v) => ['--set', v]), '--out', file);
  return shellCommand(args);
}

/** The stamp's usual names for what the sweep sidecar holds, so every report reads the same. */
function knownMeta(flat: ReadonlyMap<string, string>): [string, string][] {
  const pick: [string, string][] = [
    ['scenario.hash', 'scenario hash (sha256)'],
    ['tool.version', 'tradesim version'],
  ];
  return pick.flatMap(([k, label]) => (flat.has(k) ? [[label, flat.get(k) as string] as [string, string]] : []));
}

/** "student-t, 95%; differences: paired-bootstrap-percentile; resamples: 2000": every scalar the artifact gives. */
function intervalText(interval: Readonly<Record<string, unknown>> & { readonly method: string }, level: string): string {
  const rest = Object.entries(interval).filter(([k, v]) => k !== 'method' && k !== 'level' && (typeof v === 'string' || typeof v === 'number'));
  return [`${interval.method}, ${level}`, ...rest.map(([k, v]) => `${k}: ${String(v)}`)].join('; ');
}

/** The compare command for this artifact's scenario files, regimes, seeds and interval settings. */
function compareCommand(c: ComparisonResult): string {
  const arms = c.arms ?? [];
  const files = arms.length > 0 ? [...new Set(arms.map((a) => a.file || '<scenario>'))] : [c.scenario.file || '<scenario>'];
  const given = arms.length > 0 ? [...new Set(arms.filter((a) => a.regimeGiven).map((a) => a.regime))] : [...c.regimes];
  const args = ['tradesim', 'compare', ...files, ...(given.length > 0 ? ['--regimes', given.join(',')] : []), '--seeds', String(c.seeds.length)];
  const contiguous = c.seeds.every((s, i) => s === (c.seeds[0] as number) + i);
  if (c.seeds.length > 0 && contiguous) args.push('--seed-start', String(c.seeds[0]));
  if (c.interval.level !== 0.95) args.push('--level', String(c.interval.level));
  if (typeof c.interval.resamples === 'number' && c.interval.resamples !== 2000) args.push('--resamples', String(c.interval.resamples));
  return `${shellCommand([...args, '--out', 'comparison.json'])}${contiguous ? '' : `  # seeds ${c.seeds.join(', ')}`}`;
}
