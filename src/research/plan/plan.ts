/**
 * Making a sweep plan: check the sweep, measure how fast its runs go here, choose the shard count so that
 * each shard runs at least `minMinutes` (a batch task that runs for seconds spends more time being scheduled
 * and starting Node than computing), cut the shards into arrays a scheduler accepts, and freeze the scenario.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { InputError } from '../../core/errors.js';
import { packageFile } from '../../core/paths.js';
import { loadScenarioText, readScenarioSource, type ScenarioSource } from '../../core/scenario/load.js';
import { toPlain } from '../../core/scenario/source.js';
import { toolVersion } from '../../core/version.js';
import type { Shard } from '../design.js';
import { rowLine, type RowFormat } from '../rows.js';
import { MAX_SHARDS, SHARD_PLACEHOLDER } from '../shard-env.js';
import { prepareSweep, sweepChunks, type SweepOptions } from '../sweep.js';
import { PLAN_FILE, SCENARIO_FILE, type Engine, type Plan } from './model.js';

/** What `tradesim sweep plan` was asked for. */
export interface PlanRequest {
  readonly engine: Engine;
  /** The sweep: scenario, vary, sets, design, samples, seeds, seedStart (its workers are per task). */
  readonly sweep: SweepOptions & { readonly source?: ScenarioSource };
  readonly format: RowFormat;
  readonly dir: string;
  /** Shards wanted (at most: fewer when shards would be shorter than minMinutes). */
  readonly shards?: number;
  readonly minMinutes?: number;
  /** Runs a second of one task (all its workers); measured when not given. */
  readonly runsPerSecond?: number;
  /** How long to measure. */
  readonly measureSeconds?: number;
  readonly workers?: number;
  readonly throttle?: number;
  readonly retries?: number;
  readonly maxArraySize?: number;
  readonly image?: string;
  readonly tradesim?: readonly string[];
  readonly memoryMb?: number;
  readonly sbatch?: readonly string[];
  readonly efs?: string;
  readonly queue?: string;
  readonly pvc?: string;
  readonly name?: string;
  /** Progress notes for stderr (the measurement, a shard count lowered). */
  readonly note?: (message: string) => void;
}

export const DEFAULT_MIN_MINUTES = 10;
export const DEFAULT_MEASURE_SECONDS = 3;
export const DEFAULT_RETRIES = 3;

/**
 * The most tasks of one array. Slurm: task ids below MaxArraySize (1001 unless the site changed it), and ids
 * here are shard numbers from 1. AWS Batch: array size at most 10,000. Kubernetes: an Indexed Job's
 * completions at most 100,000. GNU parallel: no limit.
 */
export const MAX_ARRAY: Readonly<Record<Engine, number>> = { slurm: 1001, awsbatch: 10_000, k8s: 100_000, parallel: 0 };

export function tasksPerArray(engine: Engine, maxArraySize: number): number {
  if (maxArraySize <= 0) return Number.POSITIVE_INFINITY;
  return engine === 'slurm' ? maxArraySize - 1 : maxArraySize;
}

/** `shards` cut into groups of at most `per`, in order: the arrays that run them. */
export function chunk<T>(shards: readonly T[], per: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < shards.length; i += Math.min(per, shards.length)) groups.push(shards.slice(i, i + per));
  return groups;
}

/** A job name every scheduler takes (a DNS label, with room for "-merge", "-retry-2"). */
function jobName(id: string, key: string): string {
  const base = `tradesim-${id}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 40).replace(/-$/, '');
  return `${base}-${createHash('sha256').update(key).digest('hex').slice(0, 6)}`;
}

/** The tradesim that is running now, as the command a task runs (the same Node, so the same fingerprint). */
export function thisTradesim(): string[] {
  return [process.execPath, fileURLToPath(packageFile('bin/tradesim.js'))];
}

interface Measured {
  readonly runsPerSecond: number;
  readonly bytesPerRow: number;
}

/**
 * Runs a second of one thread on the runs of `shard` (the work of one task: a shard meets a new point every
 * run when the shard count exceeds the seeds, which costs more than consecutive runs of one point), timed
 * after the first chunk, which carries the start-up compiling that a long shard pays once.
 */
async function measure(o: SweepOptions & { readonly source: ScenarioSource }, shard: Shard, seconds: number): Promise<Measured> {
  const p = await prepareSweep({ ...o, shard, workers: 1 });
  const t0 = performance.now();
  let from = t0;
  let timed = 0;
  let all = 0;
  let bytes = 0;
  for await (const rows of sweepChunks(p, { pool: null, chunkSize: 4 })) {
    for (const r of rows) bytes += Buffer.byteLength(rowLine('csv', p.columns, r));
    all += rows.length;
    if (all === rows.length) {
      from = performance.now();
      continue;
    }
    timed += rows.length;
    if (performance.now() - from >= seconds * 1000) break;
  }
  const [runs, ms] = timed > 0 ? [timed, performance.now() - from] : [all, performance.now() - t0];
  return { runsPerSecond: runs / Math.max(ms / 1000, 1e-6), bytesPerRow: all > 0 ? bytes / all : 500 };
}

const round = (x: number, digits: number): number => Number(x.toPrecision(digits));

/** The shard count: as asked, but no more than gives shards of minMinutes at `perTask` runs a second. */
function shardCount(total: number, perTask: number, minMinutes: number, wanted: number | undefined): number {
  const byTime = minMinutes > 0 ? Math.max(1, Math.floor(total / (perTask * minMinutes * 60))) : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(wanted ?? byTime, byTime, total, MAX_SHARDS));
}

export interface MadePlan {
  readonly plan: Plan;
  /** The scenario, its extends chain merged in: the plan's scenario.yaml. */
  readonly scenarioText: string;
}

export async function makePlan(req: PlanRequest): Promise<MadePlan> {
  const minMinutes = req.minMinutes ?? DEFAULT_MIN_MINUTES;
  if (req.shards === undefined && minMinutes <= 0) {
    throw new InputError({ path: '--shards', message: 'with --min-minutes 0 the shard count must be given', expected: '--shards N' });
  }
  const source = req.sweep.source ?? (await readScenarioSource(req.sweep.scenario));
  const sweep = { ...req.sweep, source, shard: null, workers: 1 };
  const meta = (await prepareSweep(sweep)).meta(req.format);
  const scenarioText = frozenScenario(source, meta.scenario.hash, req.sweep.scenario, resolve(req.dir, SCENARIO_FILE));
  const workers = req.workers ?? 1;
  const total = meta.totalRuns;

  let rate: Plan['rate'];
  let bytesPerRow = 500;
  let shards: number;
  if (req.runsPerSecond !== undefined) {
    rate = { runsPerSecond: req.runsPerSecond, measured: false, on: null };
    shards = shardCount(total, req.runsPerSecond, minMinutes, req.shards);
  } else {
    // Measured on the first shard of the split asked for, and again on the split chosen if it differs.
    const seconds = req.measureSeconds ?? DEFAULT_MEASURE_SECONDS;
    let on = Math.min(req.shards ?? 1, total);
    let m = await measure(sweep, { index: 1, count: on }, seconds);
    shards = shardCount(total, m.runsPerSecond * workers, minMinutes, req.shards);
    if (shards !== on) {
      on = shards;
      m = await measure(sweep, { index: 1, count: on }, seconds);
      shards = shardCount(total, m.runsPerSecond * workers, minMinutes, req.shards);
    }
    // An upper bound of a task's speed (W threads never quite make W times one): shards last at least this long.
    rate = { runsPerSecond: round(m.runsPerSecond * workers, 4), measured: true, on: `shard 1/${on}, ${workers === 1 ? 'one thread' : `one thread x ${workers} workers`}` };
    bytesPerRow = m.bytesPerRow;
    req.note?.(`measured ${round(m.runsPerSecond, 3)} runs/s a thread on shard 1/${on} of ${total} runs`);
  }
  if (req.shards !== undefined && shards < req.shards) {
    req.note?.(`${req.shards} shards would run ${(total / req.shards / rate.runsPerSecond / 60).toFixed(1)} min each, under ${minMinutes} min: using ${shards} (--min-minutes 0 keeps ${req.shards})`);
  }
  const runsPerShard = Math.ceil(total / shards);
  const minutes = runsPerShard / rate.runsPerSecond / 60;
  const all = Array.from({ length: shards }, (_, i) => i + 1);
  const maxArraySize = req.maxArraySize ?? MAX_ARRAY[req.engine];
  const ext = req.format;
  const plan: Plan = {
    kind: 'tradesim-sweep-plan',
    schemaVersion: 1,
    tool: toolVersion(),
    engine: req.engine,
    dir: resolve(req.dir),
    name: req.name ?? jobName(meta.scenario.id, JSON.stringify([meta.scenario.hash, meta.vary, meta.sets, meta.design, meta.samples, meta.seeds, meta.seedStart, shards])),
    scenario: { given: req.sweep.scenario, file: SCENARIO_FILE, id: meta.scenario.id, hash: meta.scenario.hash },
    sweep: {
      vary: meta.vary,
      sets: meta.sets,
      design: meta.design,
      samples: meta.samples,
      seeds: meta.seeds,
      seedStart: req.sweep.seedStart ?? null,
      format: req.format,
    },
    points: meta.points,
    totalRuns: total,
    shards,
    requestedShards: req.shards ?? null,
    minMinutes,
    runsPerShard,
    rate,
    minutesPerShard: round(minutes, 3),
    bytesPerRow: Math.round(bytesPerRow),
    options: {
      workers,
      throttle: req.throttle ?? null,
      retries: req.retries ?? DEFAULT_RETRIES,
      maxArraySize,
      image: req.image ?? `tradesim:${toolVersion()}`,
      tradesim: req.tradesim ?? thisTradesim(),
      memoryMb: req.memoryMb ?? 512 + 512 * workers,
      // Room for a slower node and a retry's start-up: twice the estimate and a quarter of an hour.
      timeMinutes: Math.ceil(minutes * 2 + 15),
      sbatch: req.sbatch ?? [],
      efs: req.efs ?? null,
      queue: req.queue ?? null,
      pvc: req.pvc ?? null,
    },
    out: `results/part-${SHARD_PLACEHOLDER}.${ext}`,
    merged: `results/all.${ext}`,
    arrays: chunk(all, tasksPerArray(req.engine, maxArraySize)).map((g, i, gs) => ({ file: arrayFile(req.engine, i, gs.length), first: g[0] as number, last: g[g.length - 1] as number })),
  };
  return { plan, scenarioText };
}

/** The file of array i of n. */
export function arrayFile(engine: Engine, i: number, n: number, suffix = ''): string {
  const tag = n > 1 ? `-${i + 1}` : '';
  switch (engine) {
    case 'slurm':
      return `sweep${suffix}${tag}.sbatch`;
    case 'k8s':
      return `job${suffix}.yaml`;
    case 'awsbatch':
      return `submit${suffix}${tag}.json`;
    case 'parallel':
      return 'sweep.sh';
  }
}

/**
 * The scenario with its extends chain merged in, as YAML: tasks read one file that cannot change under them.
 * Checked to load to the same content hash as the scenario given.
 */
function frozenScenario(source: ScenarioSource, hash: string, given: string, at: string): string {
  const head = `# The scenario of this sweep plan, frozen from ${given} (extends chain merged in).\n# Content hash ${hash}: tradesim checks it against every shard's metadata.\n`;
  const text = head + stringify(toPlain(source.tree), { lineWidth: 0 });
  const again = loadScenarioText(text, at).hash;
  if (again !== hash) throw new Error(`the frozen scenario hashes to ${again}, not ${hash}`);
  return text;
}

/** The task command's arguments (after the tradesim command), for the shards of one array. */
export function taskArgs(plan: Plan, shards: { readonly list?: string; readonly only?: number } = {}): string[] {
  const s = plan.sweep;
  const which =
    shards.only !== undefined
      ? ['--shard', `${shards.only}/${plan.shards}`]
      : ['--shard', 'auto', '--shards', String(plan.shards), ...(shards.list !== undefined ? ['--shard-list', shards.list] : [])];
  return [
    'sweep',
    plan.scenario.file,
    ...s.vary.flatMap((v) => ['--vary', v]),
    ...s.sets.flatMap((v) => ['--set', v]),
    ...(s.design !== 'grid' ? ['--design', s.design] : []),
    ...(s.samples !== null ? ['--samples', String(s.samples)] : []),
    '--seeds',
    String(s.seeds),
    ...(s.seedStart !== null ? ['--seed-start', String(s.seedStart)] : []),
    '--workers',
    String(plan.options.workers),
    ...which,
    '--out',
    plan.out,
    '--resume',
  ];
}

export function mergeArgs(plan: Plan): string[] {
  return ['merge', plan.out, '--out', plan.merged, '--plan', PLAN_FILE];
}
