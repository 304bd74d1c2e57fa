/** Report content for each input kind: stamps, statistics of sweep rows, escaping, HTML and Markdown parity. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChipsResult, ComparisonResult, SensitivityResult } from '../../src/core/events.js';
import { runSensitivity } from '../../src/cli/commands/sensitivity-run.js';
import { buildReport, BINS, responseCurve } from '../../src/report/build.js';
import { renderHtml, renderMarkdown, mdEsc, type ReportDoc } from '../../src/report/doc.js';
import { parseSweepCsv, type SweepTable } from '../../src/report/input.js';
import { tInterval as tIntervalAt } from '../../src/research/stats.js';
import { compareArms } from '../../src/research/compare.js';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';

const tInterval = (xs: readonly number[]) => tIntervalAt(xs, 0.95);
import { comparisonFixture, runFixture, sweepFixture, toCsv, TOY } from './fixtures.js';

const EVIL_TITLE = `<script>alert('pwned')</script><img src=x onerror=alert(1)> & | *bold* [link](http://x)`;

let run: ChipsResult;
let evil: ChipsResult;
let comparison: ComparisonResult;
let sensitivity: SensitivityResult;
let sweep: SweepTable;

beforeAll(async () => {
  run = await runFixture(7);
  evil = await runFixture(7, [`title=${JSON.stringify(EVIL_TITLE)}`]);
  comparison = await comparisonFixture(['tiered-2025', 'bilateral'], [1, 2, 3, 4], [`title=${JSON.stringify(EVIL_TITLE)}`]);
  sensitivity = await runSensitivity({
    file: TOY,
    metric: 'leakage',
    vary: ['countries[MID].enforcement=0.3:0.9', 'exporter.supplyPerRound=15000:25000'],
    method: 'oat',
    levels: 4,
    trajectories: 4,
    seeds: 3,
    seed: undefined,
    regime: undefined,
    rounds: undefined,
    sets: [],
    argv: ['x'],
    progress: false,
  });
  const f = await sweepFixture({ vary: [{ path: 'exporter.supplyPerRound', values: [15000, 25000] }, { path: 'countries[MID].enforcement', values: [0.3, 0.9] }], seeds: [1, 2, 3], regimes: ['bilateral', 'open'] });
  sweep = parseSweepCsv(toCsv(f), 'sweep.csv');
}, 120_000);

const docs = (): [string, ReportDoc][] => [
  ['run', buildReport({ kind: 'run', file: 'r.json', result: run }, 'tradesim report r.json --html r.html')],
  ['comparison', buildReport({ kind: 'comparison', file: 'c.json', result: comparison }, 'tradesim report c.json --html c.html')],
  ['sensitivity', buildReport({ kind: 'sensitivity', file: 's.json', result: sensitivity }, 'tradesim report s.json --html s.html')],
  ['sweep', buildReport({ kind: 'sweep', file: 'sweep.csv', table: sweep, meta: null, metaFile: 'sweep.csv.meta.json' }, 'tradesim report sweep.csv --html w.html')],
];

describe('response curves from sweep rows', () => {
  const table: SweepTable = {
    params: ['p'],
    metrics: ['m', 'q'],
    rows: [
      { run: 0, seed: 1, params: { p: 1 }, regime: 'a', metrics: { m: 1, q: null } },
      { run: 1, seed: 2, params: { p: 1 }, regime: 'a', metrics: { m: 3, q: null } },
      { run: 2, seed: 3, params: { p: 1 }, regime: 'a', metrics: { m: 8, q: 2 } },
      { run: 3, seed: 1, params: { p: 2 }, regime: 'a', metrics: { m: 10, q: 1 } },
      { run: 4, seed: 1, params: { p: 1 }, regime: 'b', metrics: { m: 7, q: 1 } },
    ],
  };

  it('groups by regime and value, with the mean and t-interval over the rows (nulls left out)', () => {
    const c = responseCurve(table, 'p');
    expect(c.map((x) => [x.regime, x.x, x.rows])).toEqual([
      ['a', 1, 3],
      ['a', 2, 1],
      ['b', 1, 1],
    ]);
    expect(c[0]?.metrics.m).toEqual(tInterval([1, 3, 8]));
    expect(c[0]?.metrics.q).toEqual(tInterval([2]));
    expect(c[0]?.bin).toBeNull();
  });

  it('bins a parameter with many distinct values (random or LHS designs) into equal-width bins', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ run: i, seed: i, params: { p: i / 99 }, regime: 'a', metrics: { m: i } }));
    const c = responseCurve({ params: ['p'], metrics: ['m'], rows }, 'p');
    expect(c).toHaveLength(BINS);
    expect(c.reduce((s, x) => s + x.rows, 0)).toBe(100);
    expect(c[0]?.bin?.[0]).toBe(0);
    expect(c[BINS - 1]?.bin?.[1]).toBeCloseTo(1, 12);
    expect(c.every((x, i) => i === 0 || (x.x as number) > (c[i - 1]?.x as number))).toBe(true);
  });

  it('averages a grid sweep over the other parameter: every row counted once per curve', () => {
    const c = responseCurve(sweep, 'exporter.supplyPerRound');
    expect(c).toHaveLength(4); // 2 regimes x 2 values
    expect(c.every((x) => x.rows === 6)).toBe(true); // 2 values of the other parameter x 3 seeds
  });
});

describe('reports', () => {
  it.each(['run', 'comparison', 'sensitivity', 'sweep'])('%s: a self-contained page with no script and no external resource', (kind) => {
    const doc = docs().find(([k]) => k === kind)?.[1] as ReportDoc;
    const html = renderHtml(doc);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // Tags only: escaped text may well read "src=" (the hostile title does).
    expect(html).not.toMatch(/<(script|link|iframe|img|object|embed|image)\b|<[^>]*\s(src|href|xlink:href)=|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<svg');
    expect(doc.reproduce.at(-1)).toMatch(/^tradesim report /);
  });

  it('stamps a run with scenario id, hash, seed, version and the command to reproduce it', () => {
    const doc = buildReport({ kind: 'run', file: 'r.json', result: run }, 'tradesim report r.json --html r.html');
    const stamp = new Map(doc.stamp);
    expect(stamp.get('scenario hash (sha256)')).toBe(run.scenario.hash);
    expect(stamp.get('seed')).toBe('7');
    expect(stamp.get('tradesim version')).toBe(run.tool.version);
    expect(doc.reproduce[0]).toBe(`tradesim run ${TOY} --seed 7 --regime ${run.regime} --out result.json`);
  });

  it('adds up allocations by tier from the countries', () => {
    const doc = buildReport({ kind: 'run', file: 'r.json', result: run }, 'x');
    const tierTable = doc.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.caption === 'Per tier');
    const delivered = run.countries.filter((c) => c.tier === 2).reduce((s, c) => s + c.delivered, 0);
    expect(tierTable?.kind === 'table' && tierTable.rows[1]?.[3]).toBe(new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(delivered));
  });

  it('stamps a comparison with its seeds and the sensitivity with its command', () => {
    const c = new Map(buildReport({ kind: 'comparison', file: 'c.json', result: comparison }, 'x').stamp);
    expect(c.get('seeds')).toBe('4 seeds: 1..4');
    const s = buildReport({ kind: 'sensitivity', file: 's.json', result: sensitivity }, 'x');
    expect(s.reproduce[0]).toBe('tradesim sensitivity x');
    expect(new Map(s.stamp).get('metric')).toBe('leakage');
  });

  it('a comparison of scenario variants: each arm in the stamp, both files in the reproduce command, who gains and loses per country', async () => {
    const base = (await loadScenarioFile(TOY)).scenario as ChipsScenario;
    const variant = (await loadScenarioFile(TOY, { sets: ['exporter.supplyPerRound=9000', 'id=toy-less'] })).scenario as ChipsScenario;
    const c = compareArms([{ scenario: base, file: TOY }, { scenario: variant, file: 'toy-less.yaml' }], { seeds: 3, resamples: 200 });
    const doc = buildReport({ kind: 'comparison', file: 'c.json', result: c }, 'tradesim report c.json --html c.html');
    const stamp = new Map(doc.stamp);
    expect(stamp.get('arm 1')).toMatch(/^three-country\s+scenarios\/teaching\/three-country\.yaml, its own regime/);
    expect(stamp.get('arm 2')).toMatch(/^toy-less\s+toy-less\.yaml/);
    expect(doc.reproduce[0]).toMatch(/^tradesim compare scenarios\/teaching\/three-country\.yaml toy-less\.yaml --seeds 3 /);
    expect(doc.reproduce[0]).not.toContain('--regimes');
    const gains = doc.sections.find((s) => s.title === 'Who gains and loses');
    expect(gains?.blocks.map((b) => b.kind)).toEqual(['text', 'chart', 'table']);
    const table = gains?.blocks.find((b) => b.kind === 'table');
    expect(table?.kind === 'table' && table.rows.map((r) => r[0])).toEqual(expect.arrayContaining(['Midland (MID)']));
    expect(table?.kind === 'table' && table.rows.every((r) => ['gains', 'loses', 'no change', 'unclear'].includes(r[2] ?? ''))).toBe(true);
    expect(renderHtml(doc)).toContain('Change in chips delivered (chips), toy-less - three-country');
  });

  it('uses the sweep sidecar for the stamp and says when there is none', () => {
    const meta = { scenario: { id: 'three-country', hash: 'abc123' }, tool: { version: '9.9.9' }, command: 'tradesim sweep s.yaml --seeds 3' };
    const withMeta = buildReport({ kind: 'sweep', file: 'w.csv', table: sweep, meta, metaFile: 'w.csv.meta.json' }, 'x');
    expect(new Map(withMeta.stamp).get('scenario hash (sha256)')).toBe('abc123');
    expect(withMeta.reproduce[0]).toBe('tradesim sweep s.yaml --seeds 3');
    const without = buildReport({ kind: 'sweep', file: 'w.csv', table: sweep, meta: null, metaFile: 'w.csv.meta.json' }, 'x');
    expect(new Map(without.stamp).get('metadata')).toMatch(/no w\.csv\.meta\.json/);
  });

  it('builds the sweep command and stamp from the sidecar tradesim sweep writes', () => {
    const meta = {
      kind: 'tradesim-sweep',
      schemaVersion: 1,
      tool: { name: 'tradesim', version: '0.1.0' },
      scenario: { id: 'three-country', file: 'scenarios/teaching/three-country.yaml', hash: 'f00d' },
      masterSeed: 1,
      seedStart: 1,
      seeds: 3,
      design: 'grid',
      samples: null,
      vary: ['exporter.supplyPerRound=15000,25000', 'countries[MID].enforcement=0.3,0.9'],
      sets: ['rounds=4'],
      columns: sweep.params,
    };
    const doc = buildReport({ kind: 'sweep', file: 'w.csv', table: sweep, meta, metaFile: 'w.csv.meta.json' }, 'x');
    expect(doc.reproduce[0]).toBe(
      'tradesim sweep scenarios/teaching/three-country.yaml --vary exporter.supplyPerRound=15000,25000 --vary countries[MID].enforcement=0.3,0.9 --seeds 3 --seed-start 1 --design grid --set rounds=4 --out w.csv',
    );
    const stamp = new Map(doc.stamp);
    expect(stamp.get('scenario hash (sha256)')).toBe('f00d');
    expect(stamp.get('tradesim version')).toBe('0.1.0');
    expect(stamp.has('columns')).toBe(false);
    expect(doc.title).toBe('Sweep: three-country');
    // Two regimes: a by-regime summary comes first.
    expect(doc.sections[0]?.title).toBe('By regime');
  });

  it('escapes an untrusted scenario title in HTML and Markdown', () => {
    for (const result of [evil, comparison]) {
      const doc = buildReport(result.kind === 'chips' ? { kind: 'run', file: 'e.json', result } : { kind: 'comparison', file: 'e.json', result }, 'x');
      const html = renderHtml(doc);
      expect(html).not.toMatch(/<script|<img/i);
      expect(html).toContain('&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;');
      const md = renderMarkdown(doc);
      expect(md).not.toMatch(/<script|<img/i);
      expect(md).toContain('&lt;script&gt;');
      expect(md).not.toContain('[link](');
    }
  });

  it('gives Markdown the same tables as the HTML page', () => {
    for (const [, doc] of docs()) {
      const md = renderMarkdown(doc);
      const html = renderHtml(doc);
      for (const s of doc.sections) {
        for (const b of s.blocks) {
          if (b.kind === 'table') {
            for (const r of b.rows) expect(md).toContain(`| ${r.map(mdEsc).join(' | ')} |`);
          }
          if (b.kind === 'chart') expect(md).toContain(`*Chart: ${mdEsc(b.caption)} (in the HTML report).*`);
        }
      }
      expect(md).not.toContain('<svg');
      expect(html.match(/<table/g)?.length).toBe(1 + doc.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'table').length);
    }
  });
});
