import { intFlag, parse, strings } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';
import { InputError } from '../../core/errors.js';
import type { ScenarioSource } from '../../core/scenario/load.js';
import type { SweepOptions } from '../../research/sweep.js';

export const SWEEP_HELP = `Usage: tradesim sweep <scenario> --vary SPEC [--vary SPEC]... --out FILE [options]

Run a chips scenario over a design of parameter values, every point with the same seeds, and stream one flat
row per run to FILE (.csv or .jsonl) in run-id order. Memory stays flat in the number of runs.

Vary specs (the path is any --set path; it names the column):
  PATH=lo:hi:steps          steps evenly spaced values from lo to hi (both included)
  PATH=a,b,c                these values (numbers or names, e.g. regime=tiered-2025,bilateral,open)
  PATH=lo:hi                the continuous range (random and lhs designs)
  PATH=dist(NAME, ...)      random and lhs designs: uniform(lo, hi), loguniform(lo, hi),
                            triangular(lo, mode, hi), normal(mean, sd[, lo, hi]), lognormal(mu, sigma[, lo, hi])

Options:
  --vary SPEC       a parameter to vary (repeatable)
  --seeds N         seeds per point (default 1): S, S+1, ..., S+N-1, the same for every point
  --seed-start S    first seed and master seed of the design (default: the scenario's seed)
  --design D        grid (default: every combination), random or lhs (Latin hypercube)
  --samples K       number of points of a random or lhs design
  --set PATH=V      override a value in every run (repeatable)
  --workers K       threads evaluating runs: this one and K-1 worker threads (default 1);
                    rows are identical whatever K
  --shard k/N       run only this shard of the run list: runs whose id mod N is k-1 (k from 1 to N)
  --out FILE        output, .csv or .jsonl; its metadata goes to FILE.meta.json
  --resume          continue an interrupted FILE (same command): no run lost or repeated
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
  tradesim sweep ... --shard 3/8 --out part-3.csv && tradesim merge part-*.csv --out all.csv

${EXIT_TABLE}
`;

export async function sweepCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      vary: { type: 'string', multiple: true },
      seeds: { type: 'string' },
      'seed-start': { type: 'string' },
      design: { type: 'string' },
      samples: { type: 'string' },
      set: { type: 'string', multiple: true },
      workers: { type: 'string' },
      shard: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
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
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out === undefined) throw new InputError({ path: '--out', message: 'missing output file', expected: 'a file ending in .csv or .jsonl, e.g. --out results.csv' });
  const design = typeof values.design === 'string' ? values.design : undefined;
  if (design !== undefined && design !== 'grid' && design !== 'random' && design !== 'lhs') {
    throw new InputError({ path: '--design', message: 'unknown design', expected: 'grid, random or lhs', found: JSON.stringify(design) });
  }
  const seeds = intFlag(values.seeds, 'seeds', 1, 100_000_000);
  const samples = intFlag(values.samples, 'samples', 1, 100_000_000);
  const seedStart = intFlag(values['seed-start'], 'seed-start', 0, Number.MAX_SAFE_INTEGER - 100_000_000);
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
      vary: strings(values.vary),
      sets: strings(values.set),
      ...(design !== undefined ? { design } : {}),
      ...(seeds !== undefined ? { seeds } : {}),
      ...(samples !== undefined ? { samples } : {}),
      ...(seedStart !== undefined ? { seedStart } : {}),
      ...(typeof values.shard === 'string' ? { shard: values.shard } : {}),
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
      onProgress: (done, total, from) => {
        bar ??= progress('sweep', total, { json, start: from });
        bar.update(done);
      },
    });
    bar?.finish();
    if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      const resumed = summary.resumedFrom > 0 ? ` (resumed after ${summary.resumedFrom})` : '';
      process.stdout.write(`wrote ${summary.written} of ${summary.runs} rows${resumed} to ${summary.out} in ${summary.seconds.toFixed(1)} s with ${summary.workers} worker(s); metadata in ${summary.meta}\n`);
    }
  } finally {
    await pool?.destroy();
  }
  return EXIT.ok;
}
