import { fc, test } from '@fast-check/vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { loadScenarioFile, readScenarioSource, type ScenarioSource } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { makeDesign, shardRuns } from '../../src/research/design.js';
import { FINAL_METRIC_KEYS } from '../../src/research/metrics.js';
import { parseCsvRow } from '../../src/research/rows.js';
import { prepareSweep, startSweep, sweep, sweepChunks } from '../../src/research/sweep.js';
import type { SweepPool } from '../../src/research/sweep-pool.js';
import runChunk from '../../src/research/sweep-worker.js';
import { makeEvaluator, planKey } from '../../src/research/sweep-eval.js';
import { sweepToFile } from '../../src/research/sweep-file.js';
import { parseVary, quantile } from '../../src/research/vary.js';
import { runChips } from '../../src/sim/run.js';

const TOY = 'scenarios/teaching/three-country.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-sweep-'));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('vary specs', () => {
  it('reads ranges, lists and distributions', () => {
    expect(parseVary('exporter.supplyPerRound=10000:20000:3').kind).toEqual({ type: 'values', values: [10000, 15000, 20000] });
    expect(parseVary('x.y=0.1:0.3:3').kind).toEqual({ type: 'values', values: [0.1, 0.2, 0.3] });
    expect(parseVary('regime=tiered-2025,bilateral, open').kind).toEqual({ type: 'values', values: ['tiered-2025', 'bilateral', 'open'] });
    expect(parseVary('countries[MID].patience=0.5:0.9').kind).toEqual({ type: 'range', lo: 0.5, hi: 0.9 });
    expect(parseVary('a=dist(normal, 0.8, 0.05, 0.5, 0.99)').kind).toEqual({ type: 'dist', name: 'normal', args: [0.8, 0.05, 0.5, 0.99] });
  });

  it.each([
    ['a', /missing '='/],
    ['=1,2', /missing path/],
    ['a=', /missing values/],
    ['a=2:1:3', /range is empty/],
    ['a=1:2:1', /steps must be/],
    ['a=1:x:3', /hi is not a number/],
    ['a=dist(gamma, 1, 2)', /unknown distribution/],
    ['a=dist(normal, 1)', /wrong number of arguments/],
    ['a=dist(normal, 1, -1)', /sd must be positive/],
    ['a..b=1,2', /malformed path/],
    ['a=1,,2', /empty item/],
  ])('refuses %s naming --vary', (spec, message) => {
    let err: unknown;
    try {
      parseVary(spec);
    } catch (e) {
      err = e;
    }
    expect(String(err)).toMatch(message);
    expect((err as { problems: { path: string }[] }).problems[0]?.path).toBe('--vary');
  });

  it('draws inside truncation bounds and follows the quantile function', () => {
    const v = parseVary('a=dist(normal, 0.8, 0.2, 0.5, 0.99)');
    for (const u of [0, 1e-9, 0.3, 0.5, 0.9, 1 - 1e-12]) {
      const x = quantile(v, u) as number;
      expect(x).toBeGreaterThanOrEqual(0.5);
      expect(x).toBeLessThanOrEqual(0.99);
    }
    expect(quantile(parseVary('a=dist(normal, 3, 2)'), 0.5)).toBeCloseTo(3, 9);
    expect(quantile(parseVary('a=dist(triangular, 0, 1, 2)'), 0.5)).toBeCloseTo(1, 9);
    expect(quantile(parseVary('a=dist(loguniform, 1, 100)'), 0.5)).toBeCloseTo(10, 9);
  });
});

describe('designs and the run list', () => {
  const a = parseVary('a=1,2,3');
  const b = parseVary('b=10,20');
  it('grid: every combination, the last --vary fastest, seeds innermost', () => {
    const d = makeDesign({ design: 'grid', vary: [a, b], seeds: 2, seedStart: 5, masterSeed: 5 });
    expect(d.points).toBe(6);
    expect(d.totalRuns).toBe(12);
    expect(Array.from({ length: 6 }, (_, p) => d.pointValues(p))).toEqual([[1, 10], [1, 20], [2, 10], [2, 20], [3, 10], [3, 20]]);
    expect(d.run(7)).toEqual({ point: 3, seed: 6 });
  });

  test.prop([fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 6 })], { numRuns: 40 })('lhs puts one sample in every stratum of every parameter', (k, seed) => {
    const v = [parseVary('x=0:1'), parseVary('y=dist(uniform, 10, 20)')];
    const d = makeDesign({ design: 'lhs', vary: v, samples: k, seeds: 1, seedStart: seed, masterSeed: seed });
    const xs = Array.from({ length: k }, (_, p) => d.pointValues(p));
    const strata = (j: number, lo: number, hi: number) => xs.map((p) => Math.floor((((p[j] as number) - lo) / (hi - lo)) * k)).sort((m, n) => m - n);
    expect(strata(0, 0, 1)).toEqual(Array.from({ length: k }, (_, i) => i));
    expect(strata(1, 10, 20)).toEqual(Array.from({ length: k }, (_, i) => i));
  });

  it('random and lhs designs are reproducible from the master seed, and a new spec leaves the others alone', () => {
    const x = parseVary('x=0:1');
    const y = parseVary('y=0:1');
    for (const design of ['random', 'lhs'] as const) {
      const one = makeDesign({ design, vary: [x], samples: 20, seeds: 1, seedStart: 1, masterSeed: 1 });
      const two = makeDesign({ design, vary: [x, y], samples: 20, seeds: 1, seedStart: 1, masterSeed: 1 });
      const other = makeDesign({ design, vary: [x], samples: 20, seeds: 1, seedStart: 2, masterSeed: 2 });
      for (let p = 0; p < 20; p++) expect(two.pointValues(p)[0]).toBe(one.pointValues(p)[0]);
      expect(one.pointValues(3)).not.toEqual(other.pointValues(3));
    }
  });

  test.prop([fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 12 })], { numRuns: 60 })('shards partition the run list: every run once, in order', (total, n) => {
    const seen: number[] = [];
    for (let k = 1; k <= n; k++) {
      const s = shardRuns(total, { index: k, count: n });
      const ids = Array.from({ length: s.count }, (_, j) => s.id(j));
      expect(ids.every((id) => id % n === k - 1 && id < total)).toBe(true);
      expect(ids).toEqual([...ids].sort((p, q) => p - q));
      seen.push(...ids);
    }
    expect(seen.sort((p, q) => p - q)).toEqual(Array.from({ length: total }, (_, i) => i));
  });
});

describe('sweep rows', () => {
  it('follow the row contract and equal tradesim run with the same --set and seed', async () => {
    const s = (await loadScenarioFile(TOY, { sets: ['exporter.supplyPerRound=15000', 'countries[MID].patience=0.9'] })).scenario as ChipsScenario;
    const rows = await collect(sweep({ scenario: TOY, vary: ['exporter.supplyPerRound=15000:25000:3', 'countries[MID].patience=0.7,0.9'], seeds: 2, seedStart: 4 }));
    expect(rows.length).toBe(12);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'run',
      'seed',
      'exporter.supplyPerRound',
      'countries[MID].patience',
      'regime',
      ...FINAL_METRIC_KEYS.map((k) => `metrics.${k}`),
    ]);
    expect(rows.map((r) => r.run)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const row = rows[3];
    expect(row).toMatchObject({ run: 3, seed: 5, 'exporter.supplyPerRound': 15000, 'countries[MID].patience': 0.9, regime: 'bilateral' });
    const final = runChips(s, { seed: 5, events: false }).metrics.final;
    for (const k of FINAL_METRIC_KEYS) expect(row?.[`metrics.${k}`]).toEqual(final[k]);
  });

  it('an evaluator given the read source (as worker threads are) needs no file and gives the same rows', async () => {
    const { plan } = await prepareSweep({ scenario: TOY, vary: ['exporter.supplyPerRound=15000:25000:3'], seeds: 3 });
    expect(plan.source?.files).toEqual([resolve(TOY)]);
    const { source: read, ...withoutSource } = plan;
    const fromFile = (await makeEvaluator(withoutSource))(0, 9);
    // The source crosses to a worker thread v8-serialized; a missing file shows that nothing is read again.
    const source = deserialize(serialize(read)) as ScenarioSource;
    const fromSource = (await makeEvaluator({ ...plan, file: join(tmp(), 'gone.yaml'), source }))(0, 9);
    expect(fromSource).toEqual(fromFile);
    expect(planKey({ ...plan, source })).toBe(planKey(plan));
  });

  it('a sweep started before its checks (startSweep) gives the rows of one started after them', async () => {
    // The worker entry run in this thread stands in for a worker thread: same tasks, same code.
    const pool: SweepPool = { threads: 1, run: runChunk, destroy: async () => {} };
    const o = { scenario: TOY, vary: ['exporter.supplyPerRound=15000:25000:3'], seeds: 40, chunkSize: 7 };
    const source = await readScenarioSource(TOY);
    const schedule = startSweep({ ...o, source }, pool);
    expect(schedule?.next).toBeGreaterThan(0);
    const p = await prepareSweep(o);
    const early = (await collect(sweepChunks(p, { pool, schedule }))).flat();
    const plain = (await collect(sweepChunks(p, { pool: null }))).flat();
    expect(early).toEqual(plain);
    expect(early.length).toBe(120);
    // Planning problems are left to the caller's checks; a schedule of another sweep is refused.
    expect(startSweep({ ...o, source, design: 'nope' as 'grid' }, pool)).toBeNull();
    expect(startSweep({ ...o, source }, null)).toBeNull();
    const other = startSweep({ ...o, source, seeds: 41 }, pool);
    await expect(collect(sweepChunks(p, { pool, schedule: other }))).rejects.toThrow(/another sweep/);
  });

  it('this thread hands worker threads more chunks while it evaluates a long one of its own', async () => {
    const issued: number[] = [];
    const pool: SweepPool = { threads: 1, run: (task) => (issued.push(task.from), runChunk(task)), destroy: async () => {} };
    const p = await prepareSweep({ scenario: TOY, vary: ['exporter.supplyPerRound=15000:25000:4'], seeds: 100 });
    // A clock that moves 25 ms a reading: every slice of this thread's chunk is then past the refill interval.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += 25));
    let atFirst = -1;
    const rows: unknown[] = [];
    try {
      for await (const chunk of sweepChunks(p, { pool, chunkSize: 64 })) {
        if (atFirst < 0) atFirst = issued.length;
        rows.push(...chunk);
      }
    } finally {
      clock.mockRestore();
    }
    // This thread's chunk (runs 0-63) comes first; before it, the pool got AHEAD = 3 chunks, and it got more
    // while this thread was still on it, as the in-thread stand-in finished them.
    expect(atFirst).toBeGreaterThan(3);
    expect(rows).toEqual((await collect(sweepChunks(p, { pool: null }))).flat());
  });

  it('vary the regime by name and pass strategy names through --set', async () => {
    const rows = await collect(sweep({ scenario: TOY, vary: ['regime=tiered-2025,open', 'exporter.strategy=boulware,linear'] }));
    expect(rows.map((r) => [r.regime, r['exporter.strategy']])).toEqual([
      ['tiered-2025', 'boulware'],
      ['tiered-2025', 'linear'],
      ['open', 'boulware'],
      ['open', 'linear'],
    ]);
    // One regime column, not the varied one and the resolved one side by side.
    expect(Object.keys(rows[0] ?? {}).slice(0, 5)).toEqual(['run', 'seed', 'regime', 'exporter.strategy', 'metrics.delivered']);
  });

  it('rejects a bad path or value before any run, naming --vary and the spec', async () => {
    await expect(collect(sweep({ scenario: TOY, vary: ['countries[MDI].patience=0.5,0.9'] }))).rejects.toThrow(/--vary countries\[MDI\]\.patience=0\.5,0\.9.*did you mean 'MID'|did you mean 'MID'.*--vary/);
    await expect(collect(sweep({ scenario: TOY, vary: ['countries[MID].patience=0.5:2:4'] }))).rejects.toThrow(/too large.*--vary countries\[MID\]\.patience=0\.5:2:4/);
    await expect(collect(sweep({ scenario: TOY, vary: ['regime=tiered,open'] }))).rejects.toThrow(/unknown regime "tiered"/);
    await expect(collect(sweep({ scenario: TOY, vary: ['x=dist(uniform, 0, 1)'] }))).rejects.toThrow(/grid needs a finite list/);
    await expect(collect(sweep({ scenario: TOY, design: 'lhs', vary: ['countries[MID].patience=0.5:0.9'] }))).rejects.toThrow(/lhs design needs a number of samples/);
  });

  it('writes CSV and JSONL with the same values; resume drops a partial line and finishes byte-identical', async () => {
    const dir = tmp();
    const opts = { scenario: TOY, vary: ['exporter.supplyPerRound=15000:25000:5'], seeds: 6, chunkSize: 4 };
    const full = join(dir, 'full.csv');
    await sweepToFile({ ...opts, out: full });
    const text = readFileSync(full, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(31);
    const jl = join(dir, 'full.jsonl');
    await sweepToFile({ ...opts, out: jl });
    const objs = readFileSync(jl, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(objs[0] ?? {}).join(',')).toBe(lines[0]);
    objs.forEach((o, i) => expect(parseCsvRow(lines[i + 1] ?? '')).toEqual(Object.values(o)));

    // A file cut in the middle of a row, as a process killed during a write leaves it.
    const part = join(dir, 'part.csv');
    const cut = text.indexOf('\n', Math.floor(text.length / 2)) - 7;
    writeFileSync(part, text.slice(0, cut));
    writeFileSync(`${part}.meta.json`, readFileSync(`${full}.meta.json`));
    const r = await sweepToFile({ ...opts, out: part, resume: true });
    expect(r.resumedFrom).toBeGreaterThan(5);
    expect(r.resumedFrom + r.written).toBe(30);
    expect(readFileSync(part, 'utf8')).toBe(text);
    // Resuming a complete file writes nothing; another sweep's file is refused.
    expect((await sweepToFile({ ...opts, out: part, resume: true })).written).toBe(0);
    await expect(sweepToFile({ ...opts, seeds: 7, out: part, resume: true })).rejects.toThrow(/different sweep \(seeds, totalRuns, runsInShard differ/);
    await expect(sweepToFile({ ...opts, out: part })).rejects.toThrow(/already exists/);
  });
});
