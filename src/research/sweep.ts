/**
 * Parameter sweeps and Monte Carlo designs: plan the deterministic run list, evaluate it in chunks (in this
 * thread and, with --workers K > 1, in a tinypool of K-1 worker threads), and deliver rows strictly in run-id
 * order whatever the number of workers (finished chunks wait in a window of a few chunks per thread, so
 * memory does not grow with the number of runs).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { serialize } from 'node:v8';
import { InputError } from '../core/errors.js';
import type { Provenance } from '../core/events.js';
import { RNG_ALGORITHM } from '../core/rng.js';
import { readScenarioSource, sourceLoader, type ScenarioSource } from '../core/scenario/load.js';
import { toolVersion } from '../core/version.js';
import { compileChips } from '../sim/chips/compile.js';
import { fingerprint, type Fingerprint } from './fingerprint.js';
import { parseShard } from './shard-env.js';
import { makeDesign, shardRuns, type Design, type DesignName, type Shard } from './design.js';
import { columnsFor, rowObject, type RowFormat, type RowValues, type SweepRow } from './rows.js';
import { makeEvaluator, planKey, pointSets, relabelAll, type Evaluate, type SweepPlan } from './sweep-eval.js';
import { AHEAD, checkCount, startSweepPool, toShared, type SweepPool } from './sweep-pool.js';
import type { ChunkTask } from './sweep-worker.js';
import { isDiscrete, parseVary, quantile, type ParamValue, type VarySpec } from './vary.js';
import type { DesignTable, WorldsDesign, WorldsSpec } from './worlds-design.js';
import { isWorldsSweep, probeWorlds, worldsSpec } from './worlds-plan.js';

export { startSweepPool, type SweepPool } from './sweep-pool.js';

export interface SweepOptions {
  /** Scenario file (YAML or JSON) of kind chips. */
  readonly scenario: string;
  /** That file as already read (readScenarioSource), so that it is not read and parsed again. */
  readonly source?: ScenarioSource;
  /** --vary specs, e.g. "exporter.supplyPerRound=300000:500000:5" (see src/research/vary.ts). */
  readonly vary?: readonly string[];
  /** --set overrides applied to every run before the varied values. */
  readonly sets?: readonly string[];
  /** How the sweep was started (the exact command, its folder): recorded in the metadata for the report. */
  readonly provenance?: Provenance;
  /** Default grid. */
  readonly design?: DesignName;
  /** Number of parameter samples (random and lhs designs). */
  readonly samples?: number;
  /** Seeds per point; default 1. */
  readonly seeds?: number;
  /** First seed; default the scenario's seed. Also the master seed of the design's streams. */
  readonly seedStart?: number;
  /** Threads that evaluate runs: this one and workers-1 worker threads; default 1 (this thread only). */
  readonly workers?: number;
  /** This shard's part of the run list only: { index: k, count: N } or "k/N". */
  readonly shard?: Shard | string | null;
  /** Runs per task sent to a worker; default chosen from the run count. Rows do not depend on it. */
  readonly chunkSize?: number;
  /** Levers crossed factorially over the worlds: lists or lo:hi:steps, e.g. "regime=tiered-2025,bilateral". */
  readonly levers?: readonly string[];
  /** N uncertain worlds: a Latin hypercube over the scenario's `uncertain:` entries. */
  readonly uncertainty?: number;
  /** A design file (readDesignFile): its rows are the worlds. */
  readonly designFile?: DesignTable;
  /** Saltelli's matrices of N rows over the factors (what `sensitivity --method sobol` runs). */
  readonly saltelli?: number;
  /** The `uncertain:` entries to sample (default: all). */
  readonly factors?: readonly string[];
  /** The regime of every run of a worlds design, unless a lever or the design file sets one. */
  readonly regime?: string;
}

/** The sidecar `<out>.meta.json` of a sweep output: what --resume and merge check. */
export interface SweepMeta {
  readonly kind: 'tradesim-sweep';
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  readonly scenario: { readonly id: string; readonly file: string; readonly hash: string };
  readonly rng: string;
  readonly masterSeed: number;
  readonly seedStart: number;
  readonly seeds: number;
  readonly design: DesignName;
  readonly samples: number | null;
  readonly vary: readonly string[];
  readonly sets: readonly string[];
  readonly format: RowFormat;
  readonly columns: readonly string[];
  readonly points: number;
  readonly totalRuns: number;
  readonly shard: Shard | null;
  readonly runsInShard: number;
  /** The runtime and inputs that wrote the rows (absent in metadata from before tradesim recorded it). */
  readonly fingerprint?: Fingerprint;
  /** Other runtimes whose rows are in the file too: --resume --allow-mixed, merge --allow-mixed. */
  readonly mixed?: readonly Fingerprint[];
  /** The command that started the file, and its folder (absent in metadata from before tradesim recorded it). */
  readonly provenance?: Provenance;
  /** Written once the file holds all its rows: their count and the sha256 of the row lines (no header). */
  readonly rows?: RowDigest;
  /** A levers x worlds design (design 'worlds'): levers, the source of the worlds and the factors drawn. */
  readonly worlds?: WorldsSpec;
  /** The regime of every run of a worlds design (when set). */
  readonly regime?: string;
  /** The `uncertain:` entries sampled (when restricted). */
  readonly factors?: readonly string[];
}

export interface RowDigest {
  readonly count: number;
  readonly sha256: string;
}

/** Meta fields that say how and whether the rows were written, not which rows: --resume and merge check them apart. */
export const RUN_RECORD_KEYS = ['fingerprint', 'mixed', 'rows', 'provenance'] as const satisfies readonly (keyof SweepMeta)[];

export interface PreparedSweep {
  readonly plan: SweepPlan;
  readonly columns: readonly string[];
  /** The meta of this sweep, for a given output format. */
  meta(format: RowFormat): SweepMeta;
  readonly runsInShard: number;
}

const DESIGNS: readonly DesignName[] = ['grid', 'random', 'lhs', 'worlds'];

/** Values worth trying before any run, so that a bad path or value exits 2 at once. */
function probeValues(v: VarySpec): ParamValue[] {
  if (isDiscrete(v)) {
    const xs = v.kind.values;
    return xs.length <= 50 ? [...xs] : [xs[0], xs[Math.floor(xs.length / 2)], xs[xs.length - 1]].filter((x): x is ParamValue => x !== undefined);
  }
  return [quantile(v, 1e-4), quantile(v, 0.5), quantile(v, 1 - 1e-4)];
}

/** What startSweep planned, for prepareSweep to continue from rather than plan again. */
export interface Planned {
  readonly plan: SweepPlan;
  readonly vary: readonly VarySpec[];
  readonly load: ReturnType<typeof sourceLoader>;
  readonly base: ReturnType<ReturnType<typeof sourceLoader>>;
  readonly design: Design;
  readonly runsInShard: number;
}

/** The flags checked, the base scenario loaded and the run list fixed: all the threads need to start. */
function planSweep(o: SweepOptions, source: ScenarioSource): Planned {
  const worlds = isWorldsSweep(o);
  const design = o.design ?? (worlds ? 'worlds' : 'grid');
  if (!DESIGNS.includes(design) || (design === 'worlds' && !worlds)) throw new InputError({ path: '--design', message: `unknown design ${JSON.stringify(design)}`, expected: 'grid, random or lhs' });
  const seeds = o.seeds ?? 1;
  checkCount(seeds, '--seeds', 1, 100_000_000);
  checkCount(o.samples, '--samples', 1, 100_000_000);
  checkCount(o.seedStart, '--seed-start', 0, Number.MAX_SAFE_INTEGER - 100_000_000);
  const shard = typeof o.shard === 'string' ? parseShard(o.shard) : (o.shard ?? null);
  const vary = worlds ? [] : (o.vary ?? []).map(parseVary);
  const sets = [...(o.sets ?? [])];
  const load = sourceLoader(source);
  const base = load({ sets });
  const seedStart = o.seedStart ?? base.scenario.seed;
  const spec = worlds ? worldsSpec(o, base) : undefined;
  const plan: SweepPlan = {
    file: o.scenario,
    sets,
    vary: vary.map((v) => v.spec),
    design,
    ...(o.samples !== undefined ? { samples: o.samples } : {}),
    seeds,
    seedStart,
    masterSeed: seedStart,
    shard,
    source,
    ...(spec !== undefined ? { worlds: spec } : {}),
    ...(worlds && o.regime !== undefined ? { regime: o.regime } : {}),
    ...(worlds && o.factors !== undefined ? { only: [...o.factors] } : {}),
  };
  const d = makeDesign({ ...plan, vary, ...(o.samples !== undefined ? { samples: o.samples } : {}) });
  return { plan, vary, load, base, design: d, runsInShard: shardRuns(d.totalRuns, shard).count };
}

/**
 * Check the inputs, load the scenario, and fix the run list. Throws InputError naming the flag. Given the
 * plan a schedule was started with (the same options), it goes on from there.
 */
export async function prepareSweep(o: SweepOptions, planned?: Planned): Promise<PreparedSweep> {
  const { plan, vary, load, base, design: d, runsInShard } = planned ?? planSweep(o, o.source ?? (await readScenarioSource(o.scenario)));
  const { sets, design, seeds, seedStart, shard } = plan;
  if (base.scenario.kind !== 'chips') throw new InputError({ file: o.scenario, message: 'a sweep needs a chips scenario', found: 'a bargaining scenario' });
  compileChips(base.scenario);
  const spec = plan.worlds;
  if (spec !== undefined) probeWorlds({ sets, file: o.scenario, ...(plan.regime !== undefined ? { regime: plan.regime } : {}) }, d as WorldsDesign, spec, load);
  // Each varied value alone on the base scenario: a bad path or value names its --vary spec before any run.
  for (const [j, v] of vary.entries()) {
    for (const x of probeValues(v)) {
      const values: ParamValue[] = vary.map((w, k) => (k === j ? x : (probeValues(w)[0] as ParamValue)));
      const all = pointSets(plan, vary, values);
      try {
        const { scenario } = load({ sets: all });
        if (scenario.kind === 'chips') compileChips(scenario);
      } catch (e) {
        if (e instanceof InputError) throw relabelAll(e, vary, all, sets.length);
        throw e;
      }
    }
  }
  const columns = columnsFor(d.paths ?? vary.map((v) => v.path));
  return {
    plan,
    columns,
    runsInShard,
    meta: (format) => ({
      kind: 'tradesim-sweep',
      schemaVersion: 1,
      tool: { name: 'tradesim', version: toolVersion() },
      scenario: { id: base.scenario.id, file: o.scenario, hash: base.hash },
      rng: RNG_ALGORITHM,
      masterSeed: plan.masterSeed,
      seedStart,
      seeds,
      design,
      samples: o.samples ?? null,
      vary: plan.vary,
      sets,
      format,
      columns,
      points: d.points,
      totalRuns: d.totalRuns,
      shard,
      runsInShard,
      fingerprint: fingerprint(toolVersion(), base.hash),
      ...(o.provenance !== undefined ? { provenance: o.provenance } : {}),
      ...(spec !== undefined ? { worlds: spec } : {}),
      ...(plan.regime !== undefined ? { regime: plan.regime } : {}),
      ...(plan.only !== undefined ? { factors: plan.only } : {}),
    }),
  };
}

/**
 * The largest chunk, with any number of threads: a whole point of a typical sweep (1,000 seeds), so that each
 * thread meets fewer points and pays their transients (preparing, new type feedback) less often. Measured on
 * 2 cores, 10,000 runs: 2 threads 2-3% faster than with 500; the window (a few chunks per thread) stays small.
 */
const MAX_CHUNK = 1000;

/**
 * Where the chunk starting at `pos` ends: at most `cap` runs, cut at the last change of point within that,
 * if any. A worker then prepares a point's scenario once for all of its runs in the chunk, and two workers
 * rarely prepare the same point (preparing costs about as much as 30 runs).
 */
function chunkEnds(plan: SweepPlan, runsInShard: number): (pos: number, cap: number) => number {
  const n = plan.shard?.count ?? 1;
  const first = (plan.shard?.index ?? 1) - 1;
  const pointAt = (pos: number): number => Math.floor((first + pos * n) / plan.seeds);
  return (pos, cap) => {
    const end = Math.min(runsInShard, pos + cap);
    if (end === runsInShard || pointAt(end) === pointAt(end - 1)) {
      // The cap falls inside a point: cut at that point's start if it began inside this chunk.
      const startId = pointAt(end) * plan.seeds;
      const startPos = Math.ceil((startId - first) / n);
      return end === runsInShard || startPos <= pos ? end : startPos;
    }
    return end;
  };
}

interface Slot {
  rows?: RowValues[];
  failed?: unknown;
  readonly settled: Promise<void>;
}

/**
 * The chunks of one sweep, from position `from` on: which are handed out, and the finished ones waiting in a
 * window for their turn (a few per thread, so memory does not grow with the number of runs). Chunks shrink
 * towards the end so that the threads finish together. Made by startSweep or sweepChunks.
 */
export class ChunkSchedule {
  readonly key: string;
  readonly count: number;
  readonly from: number;
  readonly pool: SweepPool | null;
  /** The plan it was started from, when startSweep made it. */
  readonly planned: Planned | undefined;
  /** Chunks handed out, in position order; the head is the next to deliver. */
  readonly window: Slot[] = [];
  /** The first position not handed out yet. */
  next: number;
  private inFlight = 0;
  private readonly endOf: (pos: number) => number;
  private readonly task: (from: number, to: number) => ChunkTask;
  /** Room for this thread to run ahead of a slower worker thread: a few chunks per thread. */
  private readonly limit: number;

  constructor(plan: SweepPlan, count: number, from: number, pool: SweepPool | null, chunkSize?: number, planned?: Planned) {
    this.planned = planned;
    this.key = planKey(plan);
    this.count = count;
    this.from = from;
    this.next = from;
    this.pool = pool;
    const workers = (pool?.threads ?? 0) + 1;
    this.limit = workers * AHEAD * 2;
    const endAt = chunkEnds(plan, count);
    // Guided: about a quarter of each thread's share of what is left, from 32 to MAX_CHUNK runs.
    this.endOf = (pos) => endAt(pos, chunkSize ?? Math.max(32, Math.min(MAX_CHUNK, Math.ceil((count - pos) / (workers * 4)))));
    const { source, ...sent } = plan;
    const shared = pool !== null && source !== undefined ? toShared(serialize(source)) : undefined;
    const key = this.key;
    this.task = (from, to) => ({ planKey: key, plan: sent, ...(shared !== undefined ? { source: shared } : {}), from, to });
  }

  /** Hand each worker thread chunks until it holds AHEAD of them (or the window is full). */
  fill(): void {
    const pool = this.pool;
    while (pool && this.inFlight < pool.threads * AHEAD && this.next < this.count && this.window.length < this.limit) {
      const to = this.endOf(this.next);
      const slot: Slot = {
        settled: pool.run(this.task(this.next, to)).then(
          (r) => {
            if ('problems' in r) slot.failed = new InputError(r.problems);
            else slot.rows = r.rows;
          },
          (e: unknown) => {
            slot.failed = e;
          },
        ).finally(() => {
          this.inFlight--;
        }),
      };
      this.inFlight++;
      this.window.push(slot);
      this.next = to;
    }
  }

  /** The next chunk, for this thread to evaluate, if there is one and room in the window. */
  takeOwn(): { readonly from: number; readonly to: number; readonly slot: Slot } | undefined {
    if (this.next >= this.count || this.window.length >= this.limit) return undefined;
    const own = { from: this.next, to: this.endOf(this.next), slot: { settled: Promise.resolve() } };
    this.window.push(own.slot);
    this.next = own.to;
    return own;
  }
}

/** Runs this thread evaluates between looks at the worker threads (see evaluateOwn). */
const SLICE = 16;
/** How long this thread may go without handing out work while worker threads are busy, in ms. */
const REFILL_MS = 20;

/**
 * This thread's chunk, with a pause every ~REFILL_MS to take in the worker threads' results and hand them
 * more chunks. Evaluated in one go, a chunk of ~1,000 runs kept this thread away from the pool for ~0.5 s, and
 * a worker thread whose queue held only short chunks (the ends of points) sat idle for 0.1-0.2 s at a time:
 * 0.5 s in all on a 10,000-run sweep with 2 workers, by traces of each chunk's start and end.
 */
async function evaluateOwn(local: Evaluate, from: number, to: number, schedule: ChunkSchedule): Promise<RowValues[]> {
  const rows: RowValues[] = [];
  let since = performance.now();
  for (let at = from; at < to; ) {
    const end = Math.min(to, at + SLICE);
    for (const row of local(at, end)) rows.push(row);
    at = end;
    if (at < to && performance.now() - since >= REFILL_MS) {
      await nextTurn();
      schedule.fill();
      since = performance.now();
    }
  }
  return rows;
}

/**
 * Hand the worker threads the first chunks of a sweep now, before the caller checks the scenario (about
 * 0.3 s of this thread's time, during which the threads would otherwise wait): they warm up on runs they
 * would make anyway. Pass the result to sweepChunks (or sweepToFile) with the same options. Null with no
 * worker threads, or when planning rejects the options: the caller's checks then report the problem as
 * usual. Chunks of a sweep that is then abandoned write nothing; destroying the pool ends them.
 */
export function startSweep(o: SweepOptions & { readonly source: ScenarioSource }, pool: SweepPool | null, from = 0): ChunkSchedule | null {
  if (pool === null) return null;
  let planned: Planned;
  try {
    planned = planSweep(o, o.source);
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
  const schedule = new ChunkSchedule(planned.plan, planned.runsInShard, from, pool, o.chunkSize, planned);
  schedule.fill();
  return schedule;
}

/**
 * Chunks of rows, in run-id order, of positions [from, runsInShard) of the shard's run list. This thread
 * evaluates chunks itself and, with more than one worker, keeps each worker thread a few chunks ahead.
 * Given a pool (startSweepPool), the worker count is its threads plus this one and the caller keeps
 * ownership; given a schedule (startSweep), its pool; otherwise `workers` (default 1) and a pool started and
 * ended here.
 */
export async function* sweepChunks(
  p: PreparedSweep,
  opts: { workers?: number; from?: number; chunkSize?: number; pool?: SweepPool | null; schedule?: ChunkSchedule | null } = {},
): AsyncGenerator<RowValues[]> {
  const given = opts.schedule ?? undefined;
  const own = given === undefined && opts.pool === undefined;
  const pool = given !== undefined ? given.pool : own ? await startSweepPool(opts.workers ?? 1) : (opts.pool ?? null);
  try {
    const from = opts.from ?? 0;
    if (given !== undefined && (given.key !== planKey(p.plan) || given.count !== p.runsInShard || given.from !== from)) {
      throw new Error('sweepChunks: the schedule was started for another sweep (startSweep with other options)');
    }
    const schedule = given ?? new ChunkSchedule(p.plan, p.runsInShard, from, pool, opts.chunkSize);
    const { window } = schedule;
    let local: Evaluate | undefined;
    for (;;) {
      const head = window[0];
      if (head !== undefined && (head.rows !== undefined || head.failed !== undefined)) {
        window.shift();
        if (head.failed !== undefined) throw head.failed;
        yield head.rows as RowValues[];
        continue;
      }
      // This thread's next chunk comes before the ones it now hands to worker threads, so rows reach the
      // output from the start, while the threads are still loading.
      const mine = schedule.takeOwn();
      schedule.fill();
      if (mine !== undefined) {
        local ??= await makeEvaluator(p.plan);
        mine.slot.rows = pool === null ? local(mine.from, mine.to) : await evaluateOwn(local, mine.from, mine.to, schedule);
        // Let worker results, the consumer's writes and progress output in between chunks.
        await nextTurn();
        continue;
      }
      if (head === undefined) return;
      await head.settled;
    }
  } finally {
    if (own) await pool?.destroy();
  }
}

/**
 * Library entry: the rows of a sweep, in run-id order, as objects keyed by column (see src/research/rows.ts).
 *
 *   for await (const row of sweep({ scenario: 'scenarios/bilateral-2025.yaml',
 *     vary: ['exporter.supplyPerRound=300000:500000:3'], seeds: 10 })) console.log(row['metrics.leakage']);
 */
export async function* sweep(o: SweepOptions): AsyncGenerator<SweepRow> {
  const pool = await startSweepPool(o.workers ?? 1);
  try {
    const source = o.source ?? (await readScenarioSource(o.scenario));
    const schedule = startSweep({ ...o, source }, pool);
    const p = await prepareSweep({ ...o, source }, schedule?.planned);
    for await (const rows of sweepChunks(p, { pool, schedule, ...(o.chunkSize !== undefined ? { chunkSize: o.chunkSize } : {}) })) {
      for (const r of rows) yield rowObject(p.columns, r);
    }
  } finally {
    await pool?.destroy();
  }
}
