/**
 * Report inputs made by running the simulation, so report tests need neither the compare nor the sweep
 * command. The sweep rows follow the contract of `tradesim sweep`: columns run, seed, one per varied parameter
 * (named by its path), regime, then metrics.<key> (null -> empty cell); JSONL has the same keys.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChipsResult, ComparisonResult, FinalMetrics } from '../../src/core/events.js';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import { compare } from '../../src/research/compare.js';
import { FINAL_METRIC_KEYS } from '../../src/research/metrics.js';
import { runChips } from '../../src/sim/run.js';

export const TOY = 'scenarios/teaching/three-country.yaml';

async function chipsAt(file: string, sets: readonly string[]) {
  const loaded = await loadScenarioFile(file, { sets });
  if (loaded.scenario.kind !== 'chips') throw new Error(`${file} is not a chips scenario`);
  return loaded.scenario;
}

export async function runFixture(seed = 7, sets: readonly string[] = [], file = TOY): Promise<ChipsResult> {
  return runChips(await chipsAt(file, sets), { seed, file });
}

export interface SweepFixture {
  readonly header: readonly string[];
  /** Cells as written: numbers, text, or null for an undefined metric. */
  readonly rows: readonly (readonly (number | string | null)[])[];
}

/** A grid sweep: every combination of the varied values, each at `seeds` seeds, under each regime. */
export async function sweepFixture(opts: {
  readonly vary: readonly { readonly path: string; readonly values: readonly number[] }[];
  readonly seeds: readonly number[];
  readonly regimes?: readonly string[];
  readonly file?: string;
}): Promise<SweepFixture> {
  const file = opts.file ?? TOY;
  const regimes = opts.regimes ?? ['bilateral'];
  let points: number[][] = [[]];
  for (const v of opts.vary) points = points.flatMap((p) => v.values.map((x) => [...p, x]));
  const rows: (number | string | null)[][] = [];
  let run = 0;
  for (const point of points) {
    const scenario = await chipsAt(file, opts.vary.map((v, i) => `${v.path}=${point[i]}`));
    for (const regime of regimes) {
      for (const seed of opts.seeds) {
        const final: FinalMetrics = runChips(scenario, { seed, regime, events: false }).metrics.final;
        rows.push([run++, seed, ...point, regime, ...FINAL_METRIC_KEYS.map((k) => final[k])]);
      }
    }
  }
  return { header: ['run', 'seed', ...opts.vary.map((v) => v.path), 'regime', ...FINAL_METRIC_KEYS.map((k) => `metrics.${k}`)], rows };
}

const csvCell = (v: number | string | null): string => (v === null ? '' : typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function toCsv(f: SweepFixture): string {
  return [f.header, ...f.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function toJsonl(f: SweepFixture): string {
  return f.rows.map((r) => JSON.stringify(Object.fromEntries(f.header.map((h, i) => [h, r[i] ?? null])))).join('\n') + '\n';
}

export function writeSweep(dir: string, name: string, f: SweepFixture, meta?: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, name.endsWith('.jsonl') ? toJsonl(f) : toCsv(f));
  if (meta) writeFileSync(`${file}.meta.json`, JSON.stringify(meta, null, 2));
  return file;
}

/** A comparison artifact computed the way `tradesim compare` is specified (t-intervals here). */
/** A comparison as `tradesim compare` makes it (the library function the command calls). */
export async function comparisonFixture(regimes: readonly string[], seeds: readonly number[], sets: readonly string[] = [], file = TOY): Promise<ComparisonResult> {
  return compare(await chipsAt(file, sets), { regimes, seeds, file, resamples: 200 });
}
