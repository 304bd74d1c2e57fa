/**
 * The metric catalogue (src/core/metrics.ts) is the one list every consumer reads. For every metric: it is
 * finite on every shipped chips scenario (null only where the catalogue allows it and the metric has nothing
 * to measure), the parameter change it names moves it, and it appears in every consumer: the result, the text
 * report, the TUI report and compare views, the invariant names of `tradesim check`, the sweep columns, the
 * HTML report and the metric tables of docs/model.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/check/outputs.js';
import type { ChipsResult, ComparisonResult } from '../../src/core/events.js';
import { FINAL_METRICS, ROUND_METRICS, type MetricDef } from '../../src/core/metrics.js';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { buildReport } from '../../src/report/build.js';
import { textReport } from '../../src/report/text.js';
import { columnsFor } from '../../src/research/rows.js';
import { runChips } from '../../src/sim/run.js';
import { initFor, replayData } from '../../src/tui/data.js';
import { initialState } from '../../src/tui/state.js';
import { compareLines } from '../../src/tui/views/compare.js';
import { reportLines } from '../../src/tui/views/report.js';
import { ROOT } from '../helpers/cli.js';

const CHIPS = ['scenarios/base-2025.yaml', 'scenarios/bilateral-2025.yaml', 'scenarios/tiered-2025.yaml', 'scenarios/open-market.yaml', 'scenarios/history-2025-2026.yaml', 'scenarios/counterfactual-tiered-kept.yaml', 'scenarios/teaching/three-country.yaml'];

async function scenario(file: string): Promise<ChipsScenario> {
  return (await loadScenarioFile(join(ROOT, file))).scenario as ChipsScenario;
}

/** The scenario with a --set style change of one top-level-or-nested value (paths as in the catalogue). */
function varied(s: ChipsScenario, def: MetricDef): ChipsScenario {
  const doc = structuredClone(s) as unknown as Record<string, unknown>;
  const steps = def.movedBy.path.split('.').flatMap((p) => {
    const m = /^(\w+)\[(\w+)\]$/.exec(p);
    return m ? [m[1] as string, `#${m[2] as string}`] : [p];
  });
  let node: unknown = doc;
  for (let i = 0; i < steps.length - 1; i++) {
    const k = steps[i] as string;
    node = k.startsWith('#') ? (node as { id: string }[]).find((x) => x.id === k.slice(1)) : (node as Record<string, unknown>)[k];
  }
  const last = steps[steps.length - 1] as string;
  const parent = node as Record<string, unknown>;
  const v = def.movedBy.value;
  parent[last] = typeof v === 'object' ? (parent[last] as number) * v.times : last === 'strategy' ? { name: v, params: {} } : v;
  return doc as unknown as ChipsScenario;
}

describe('every final and per-round metric', () => {
  it.each(CHIPS)('is finite on %s (null only where the catalogue allows it)', async (file) => {
    const r = runChips(await scenario(file), { seed: 1, events: false });
    for (const m of FINAL_METRICS) {
      const v = r.metrics.final[m.key];
      if (v === null) expect('nullable' in m && m.nullable, `${m.key} is null`).toBe(true);
      else expect(Number.isFinite(v), `${m.key} = ${v}`).toBe(true);
    }
    for (const round of r.metrics.perRound) for (const m of ROUND_METRICS) expect(Number.isFinite(round[m.key]), `${m.key}`).toBe(true);
  });

  it('moves when the parameter its catalogue entry names changes (on the calibrated world)', async () => {
    const cache = new Map<string, ChipsResult>();
    const base = async (file: string): Promise<ChipsResult> => {
      let r = cache.get(file);
      if (!r) {
        r = runChips(await scenario(file), { seed: 1, events: false });
        cache.set(file, r);
      }
      return r;
    };
    const still: string[] = [];
    for (const def of [...FINAL_METRICS, ...ROUND_METRICS] as readonly MetricDef[]) {
      const variant: MetricDef['movedBy'] = def.movedBy;
      const file = variant.scenario ?? 'scenarios/bilateral-2025.yaml';
      const a = await base(file);
      const b = runChips(varied(await scenario(file), def), { seed: 1, events: false });
      const isFinal = (FINAL_METRICS as readonly MetricDef[]).includes(def);
      const pick = (r: ChipsResult): number[] =>
        isFinal ? [Number(r.metrics.final[def.key as keyof ChipsResult['metrics']['final']] ?? NaN)] : r.metrics.perRound.map((m) => m[def.key as keyof (typeof m)]);
      const [va, vb] = [pick(a), pick(b)];
      const moved = va.some((x, i) => Math.abs(x - (vb[i] ?? NaN)) > 1e-9 * Math.max(1, Math.abs(x)) || Number.isNaN(x) !== Number.isNaN(vb[i] ?? NaN));
      if (!moved) still.push(`${def.key} (${def.movedBy.path})`);
    }
    expect(still).toEqual([]);
  }, 120_000);
});

describe('every metric appears in every consumer', () => {
  it('the result, the text report, the TUI views, the invariant names, the sweep columns, the HTML report and docs/model.md', async () => {
    const s = await scenario('scenarios/bilateral-2025.yaml');
    const r = runChips({ ...s, rounds: 2 }, { seed: 1 });
    const text = textReport(r);
    const data = replayData(r);
    const tui = reportLines({ data, state: initialState(initFor(data, { atEnd: true })), width: 200, height: 200 })
      .map((l) => l.map((x) => x.text).join(''))
      .join('\n');
    const summary = Object.fromEntries(FINAL_METRICS.map((m) => [m.key, { mean: 1, lo: 1, hi: 1, n: 1 }]));
    const comparison = { kind: 'comparison', regimes: ['a'], seeds: [1], summaries: { a: summary }, interval: { method: 't', level: 0.95 }, examples: { a: r }, countries: {}, differences: [] } as unknown as ComparisonResult;
    const cdata = replayData(comparison);
    const compare = compareLines({ data: cdata, state: initialState(initFor(cdata)), width: 300, height: 300 })
      .map((l) => l.map((x) => x.text).join(''))
      .join('\n');
    const names = catalogue(s);
    const columns = columnsFor([]);
    const html = JSON.stringify(buildReport({ kind: 'run', file: 'r.json', result: r }, 'tradesim report r.json'));
    const docs = readFileSync(join(ROOT, 'docs/model.md'), 'utf8');
    for (const m of FINAL_METRICS) {
      expect(r.metrics.final, m.key).toHaveProperty(m.key);
      expect(text, m.key).toContain(m.label);
      expect(tui, m.key).toContain(m.label);
      expect(compare, m.key).toContain(m.label);
      expect(names.scalars, m.key).toContain(`final.${m.key}`);
      expect(columns, m.key).toContain(`metrics.${m.key}`);
      expect(html, m.key).toContain(m.label);
      expect(docs, m.key).toContain(`| \`${m.key}\` |`);
    }
    for (const m of ROUND_METRICS) {
      expect(r.metrics.perRound[0], m.key).toHaveProperty(m.key);
      expect(tui, m.key).toContain(m.label);
      expect(Object.keys(names.lists), m.key).toContain(`rounds.${m.key}`);
      expect(docs, m.key).toContain(`| \`${m.key}\` |`);
    }
  });

  it('no source file outside the catalogue hard-codes a list of final metric keys', () => {
    // A second list would drift from the catalogue: consumers must map over FINAL_METRICS / ROUND_METRICS.
    const files = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
    const keys = new Set<string>(FINAL_METRICS.map((m) => m.key));
    // An array literal of quoted names with three or more final metric keys in it.
    const listsKeys = (text: string): boolean =>
      [...text.matchAll(/\[([^[\]]*)\]/g)].some((m) => [...(m[1] ?? '').matchAll(/'(\w+)'/g)].filter((q) => keys.has(q[1] ?? '')).length >= 3);
    const offenders = files('src').filter((f) => !f.endsWith('core/metrics.ts') && listsKeys(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
