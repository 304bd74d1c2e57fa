import { intFlag, parse, strings } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';
import { InputError } from '../../core/errors.js';
import type { ScenarioSource } from '../../core/scenario/load.js';
import type { SweepOptions } from '../../research/sweep.js';
import { outForShard, parseShard, parseShardList, shardFromEnv } from '../../research/shard-env.js';
import type { Options, Parsed } from '../args.js';

export const SWEEP_HELP = `Usage: tradesim sweep <scenario> --vary SPEC [--vary SPEC]... --out FILE [options]
       tradesim sweep <scenario> [--levers SPEC]... (--uncertainty N | --design FILE.csv) --out FILE [options]

Run a chips scenario over a design of parameter values, every point with the same seeds, and stream one flat
row per run to FILE (.csv or .jsonl) in run-id order. Memory stays flat in the number of runs.

Levers x uncertain worlds (docs/research.md): --levers are policy choices crossed factorially (every
combination); --uncertainty N draws N worlds from the scenario's uncertain: section (Latin hypercube from the
stream "uncertainty/lhs"), or --design FILE.csv takes the worlds from a file (a header of value paths, e.g.
from SALib or the EMA Workbench); every lever combination meets every world with the same seeds (paired).
Rows then carry world, the lever columns and the world's values (scale(<path>) columns are factors on the
scenario's own values), then regime and the metrics.

Vary specs (the path is any --set path; it names the column):
  PATH=lo:hi:steps          steps evenly spaced values from lo to hi (both included)
  PATH=a,b,c                these values (numbers or names, e.g. regime=tiered-2025,bilateral,open)
  PATH=lo:hi                the continuous range (random and lhs designs)
  PATH=dist(NAME, ...)      random and lhs designs: uniform(lo, hi), loguniform(lo, hi),
                            triangular(lo, mode, hi), normal(mean, sd[, lo, hi]), lognormal(mu, sigma[, lo, hi])

Options:
  --vary SPEC       a parameter to vary (repeatable)
  --levers SPEC     a policy lever, PATH=a,b,c or PATH=lo:hi:steps (repeatable); regime=... runs each
                    combination under that regime for the whole run
  --uncertainty N   N uncertain worlds (at least 2) from the scenario's uncertain: section
  --factors A,B     with --uncertainty: only these uncertain: entries (default all)
  --design FILE.csv the worlds from a design file (one row per world) instead of --uncertainty
  --seeds N         seeds per point (default 1): S, S+1, ..., S+N-1, the same for every point
  --seed-start S    first seed and master seed of the design (default: the scenario's seed)
  --design D        grid (default: every combination), random or lhs (Latin hypercube)
  --samples K       number of points of a random or lhs design
  --set PATH=V      override a value in every run (repeatable)
  --workers K       threads evaluating runs: this one and K-1 worker threads (default 1);
                    rows are identical whatever K
  --shard k/N       run only this shard of the run list: runs whose id mod N is k-1 (k from 1 to N)
  --shard auto      the shard from the batch system's array index: SLURM_ARRAY_TASK_ID (Slurm; the id
                    is the shard number), JOB_COMPLETION_INDEX (Kubernetes Indexed Job),
                    AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch) or PARALLEL_SEQ (GNU parallel); 0-based
                    indexes count from shard 1
  --shards N        with --shard auto: the sweep's number of shards (needed unless the launcher says it:
                    SLURM_ARRAY_TASK_COUNT, JOB_COMPLETIONS)
  --shard-list L    with --shard auto: task i of the array runs the i-th shard of L (e.g. 3,7 or 1001-2000)
  --out FILE        output, .csv or .jsonl; its metadata goes to FILE.meta.json; {shard} in FILE becomes
                    the shard number (--out results/part-{shard}.csv)
  --resume          continue an interrupted FILE (same command): no run lost or repeated; starts FILE
                    if it does not exist, so an array task can always be retried with it
  --allow-mixed     with --resume: continue a FILE begun under another Node/V8/platform/architecture
                    (recorded in its metadata; rows may then differ in the last digits)
  --force           overwrite an existing FILE
  --json            print a JSON summary (and nothing else) on stdout; no progress bar
  -h, --help        show this help

Rows: run, seed, one column per --vary path, regime, metrics.<key> for every final metric (empty cell /
null where a metric is undefined). Run id r is point floor(r / N) with seed S + (r mod N). A progress bar with
ETA goes to stderr when it is a terminal. Combine shards with "tradesim merge". See docs/research.md.

Examples:
  tradesim sweep scenarios/bilateral-2025.yaml --vary exporter.supplyPerRound=300000:500000:5 --seeds 20 --out s.csv
  tradesim sweep scenarios/base-2025.yaml --vary regime=tiered-2025,bilateral,open --vary countries[IND].patience=0.5,0.9 --seeds 50 --workers 2 --out r.jsonl
  tradesim sweep scenarios/bilateral-2025.yaml --design lhs --samples 200 --vary "countries[IND].patience=dist(normal, 0.8, 0.05, 0.5, 0.99)" --out lhs.csv
  tradesim sweep scenarios/base-2025.yaml --levers regime=tiered-2025,bilateral --uncertainty 200 --seeds 3 --workers 2 --out worlds.csv
  tradesim sweep scenarios/base-2025.yaml --levers regime=tiered-2025,bilateral --design salib.csv --out d.csv
  tradesim sweep ... --shard 3/8 --out part-3.csv && tradesim merge part-*.csv --out all.csv
  tradesim sweep ... --shard auto --shards 16 --out 'results/part-{shard}.csv' --resume    (in an array task)
  tradesim sweep plan <scenario> ... --shards 16 --emit slurm    (a ready job script; see its --help)

${EXIT_TABLE}
`;

export async function sweepCommand(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'plan') return (await import('./sweep-plan.js')).sweepPlanCommand(argv.slice(1));
  const { values, positionals } = parse(
    argv,
    {
      ...SWEEP_DESIGN_FLAGS,
      levers: { type: 'string', multiple: true },
      uncertainty: { type: 'string' },
      factors: { type: 'string' },
      workers: { type: 'string' },
      shard: { type: 'string' },
      shards: { type: 'string' },
      'shard-list': { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      'allow-mixed': { type: 'boolean' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(SWEEP_HELP);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/bilateral-2025.yaml' });
  const outGiven = typeof values.out === 'string' ? values.out : undefined;
  if (outGiven === undefined) throw new InputError({ path: '--out', message: 'missing output file', expected: 'a file ending in .csv or .jsonl, e.g. --out results.csv' });
  const shard = shardFlag(values);
  const out = outForShard(outGiven, shard === undefined ? null : parseShard(shard));
  const worlds = await worldsOptions(values);
  const design = designOptions(worlds.designFile !== undefined ? { ...values, design: undefined } : values);
  const workers = intFlag(values.workers, 'workers', 1, 256);
  // The worker threads load their code while this thread loads its own and reads and checks the scenario.
  const { startSweepPool } = await import('../../research/sweep-pool.js');
  const pool = await startSweepPool(workers ?? 1);
  try {
    const [{ readScenarioSource }, { sweepToFile }, { startSweep }, { loadChecked }, { progress }] = await Promise.all([
      import('../../core/scenario/load.js'),
      import('../../research/sweep-file.js'),
      import('../../research/sweep.js'),
      import('./shared.js'),
      import('../progress.js'),
    ]);
    const source = await readScenarioSource(file);
    const options: SweepOptions & { readonly source: ScenarioSource } = {
      scenario: file,
      source,
      ...design,
      ...worlds,
      ...(shard !== undefined ? { shard } : {}),
      provenance: (await import('../provenance.js')).provenance('sweep', argv, { sets: values.set }),
    };
    const resume = values.resume === true;
    // The worker threads start on the first chunks while this thread checks the scenario (a resumed sweep
    // starts where its file ends, known only after those checks).
    const schedule = resume ? null : startSweep(options, pool);
    // Located messages (file, line) for problems in the scenario itself, before the sweep runs it.
    await loadChecked(file, values.set, undefined, source);
    const json = values.json === true;
    let bar: ReturnType<typeof progress> | undefined;
    const summary = await sweepToFile({
      ...options,
      pool,
      schedule,
      out,
      resume,
      force: values.force === true,
      allowMixed: values['allow-mixed'] === true,
      onProgress: (done, total, from) => {
        bar ??= progress('sweep', total, { json, start: from });
        bar.update(done);
      },
    });
    bar?.finish();
    if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      const resumed = summary.resumedFrom > 0 ? ` (resumed after ${summary.resumedFrom})` : '';
      const of = shard !== undefined ? ` (shard ${shard})` : '';
      process.stdout.write(`wrote ${summary.written} of ${summary.runs} rows${resumed}${of} to ${summary.out} in ${summary.seconds.toFixed(1)} s with ${summary.workers} worker(s); metadata in ${summary.meta}\n`);
    }
  } finally {
    await pool?.destroy();
  }
  return EXIT.ok;
}

/** The flags that say which runs a sweep has (sweep and sweep plan). */
export const SWEEP_DESIGN_FLAGS = {
  vary: { type: 'string', multiple: true },
  seeds: { type: 'string' },
  'seed-start': { type: 'string' },
  design: { type: 'string' },
  samples: { type: 'string' },
  set: { type: 'string', multiple: true },
} as const satisfies Options;

/** Those flags, checked, as sweep options. */
export function designOptions(values: Parsed['values']): Pick<SweepOptions, 'vary' | 'sets' | 'design' | 'seeds' | 'samples' | 'seedStart'> {
  const design = typeof values.design === 'string' ? values.design : undefined;
  if (design !== undefined && design !== 'grid' && design !== 'random' && design !== 'lhs') {
    throw new InputError({ path: '--design', message: 'unknown design', expected: 'grid, random or lhs', found: JSON.stringify(design) });
  }
  const seeds = intFlag(values.seeds, 'seeds', 1, 100_000_000);
  const samples = intFlag(values.samples, 'samples', 1, 100_000_000);
  const seedStart = intFlag(values['seed-start'], 'seed-start', 0, Number.MAX_SAFE_INTEGER - 100_000_000);
  return {
    vary: strings(values.vary),
    sets: strings(values.set),
    ...(design !== undefined ? { design } : {}),
    ...(seeds !== undefined ? { seeds } : {}),
    ...(samples !== undefined ? { samples } : {}),
    ...(seedStart !== undefined ? { seedStart } : {}),
  };
}

/** --levers, --uncertainty, --factors and --design FILE.csv, checked, as sweep options. */
export async function worldsOptions(values: Parsed['values']): Promise<Pick<SweepOptions, 'levers' | 'uncertainty' | 'factors' | 'designFile'>> {
  const design = typeof values.design === 'string' ? values.design : undefined;
  const file = design !== undefined && !['grid', 'random', 'lhs'].includes(design) ? design : undefined;
  if (file !== undefined && !/\.csv$/i.test(file)) throw new InputError({ path: '--design', message: 'unknown design', expected: 'grid, random, lhs, or a design file ending in .csv', found: JSON.stringify(file) });
  const uncertainty = intFlag(values.uncertainty, 'uncertainty', 2, 10_000_000);
  const factors = typeof values.factors === 'string' ? values.factors.split(',').map((x) => x.trim()).filter(Boolean) : undefined;
  const designFile = file !== undefined ? await (await import('../../research/design-file.js')).readDesignFile(file) : undefined;
  return {
    levers: strings(values.levers),
    ...(uncertainty !== undefined ? { uncertainty } : {}),
    ...(factors !== undefined ? { factors } : {}),
    ...(designFile !== undefined ? { designFile } : {}),
  };
}

/** --shard as "k/N": as given, or for `auto` from the batch system's array index (src/research/shard-env.ts). */
function shardFlag(values: Parsed['values']): string | undefined {
  const given = typeof values.shard === 'string' ? values.shard : undefined;
  const shards = intFlag(values.shards, 'shards', 1, 1_000_000);
  const list = typeof values['shard-list'] === 'string' ? parseShardList(values['shard-list']) : undefined;
  if (given?.trim() !== 'auto') {
    const extra = shards !== undefined ? '--shards' : list !== undefined ? '--shard-list' : undefined;
    if (extra !== undefined) throw new InputError({ path: extra, message: `${extra} goes with --shard auto`, expected: '--shard auto, or --shard k/N alone' });
    return given;
  }
  const { shard } = shardFromEnv(process.env, { ...(shards !== undefined ? { shards } : {}), ...(list !== undefined ? { list } : {}) });
  return `${shard.index}/${shard.count}`;
}
