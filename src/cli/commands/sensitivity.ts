import { jsonText, safeData } from '../../core/safe-text.js';
import { SCENARIO_RUN_FLAGS, intFlag, parse, strings } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const SENSITIVITY_HELP = `Usage: tradesim sensitivity <scenario> --metric KEY --vary PATH=LO:HI [--vary ...] [options]
       tradesim sensitivity <scenario> --method sobol [--samples N] [--factors A,B] [--metric K1,K2] [options]
       tradesim sensitivity --method sobol --function EXPR --param NAME=DIST [--param ...] [--samples N]

Which parameters move one final metric most. Each parameter is applied with the --set machinery, and every
parameter point runs the same seeds (common random numbers).

Methods:
  oat     one at a time (tornado): each parameter at LO and at HI with the others at their scenario
          value; the effect is the paired difference HI - LO with a 95% t-interval over the seeds.
          Runs: (2 x parameters + 1) x seeds.
  morris  Morris elementary effects on a LEVELS-point grid: mu, mu* (importance) and sigma
          (non-linearity or interaction) per parameter, in metric units per LO..HI.
          Runs: trajectories x (parameters + 1) x seeds, plus the base point.
  sobol   variance-based global sensitivity over the scenario's uncertain: section (one group per entry;
          --factors to choose): Saltelli's design from the named streams "sensitivity/sobol/A|B/<factor>",
          first-order (Saltelli 2010) and total (Jansen 1999) indices with bootstrap percentile intervals,
          their convergence over N, and the seed as one more factor (its indices: the share of the variance
          that seed noise makes). Runs: N x (entries + 3) x seeds, through the sweep machinery (--workers,
          --rows, --resume). With --function, the same on an expression of --param inputs (no seed).

Options:
  --metric KEY       a final metric, e.g. leakage, revenueUsd, marketShare (see the run artifact's metrics.final)
  --vary PATH=LO:HI  a numeric scenario value and its range, e.g. exporter.supplyPerRound=300000:700000
                     (repeatable; paths as for --set)
  --method M         oat (default) or morris
  --levels L         Morris grid levels, 2 to 20 (default 4)
  --trajectories R   Morris trajectories, 1 to 1000 (default 10)
  --seeds N          seeds per point, 1 to 10000 (default 10; sobol: 1): the master seed and the next N - 1
  --seed S           master seed (default: the scenario's); also seeds the Morris trajectories
  --regime R         regime to run under
  --rounds N         number of rounds
  --set PATH=V       override a base value (repeatable)
  --samples N        sobol: rows N of Saltelli's matrices A and B, at least 16 (default 1024)
  --factors A,B      sobol: only these uncertain: entries (default all)
  --function EXPR    sobol: analyse this expression of the --param inputs instead of a scenario
                     (e.g. "sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)")
  --param SPEC       sobol with --function: NAME=lo:hi (uniform) or NAME=dist(uniform|loguniform, lo, hi),
                     dist(triangular, lo, mode, hi), dist(normal, mean, sd[, lo, hi]),
                     dist(lognormal, mu, sigma[, lo, hi]); numbers may be constant expressions (-pi, 2*pi)
  --level L          sobol: level of the bootstrap intervals (default 0.95)
  --resamples B      sobol: bootstrap resamples (default 500)
  --workers K        sobol: threads running the design (indices identical whatever K)
  --rows FILE        sobol: also write the runs as sweep rows (.csv or .jsonl, with FILE.meta.json)
  --resume           sobol with --rows: continue an interrupted FILE
  --force            sobol with --rows: overwrite FILE
  --json             print the sensitivity artifact as JSON (and nothing else) on stdout
  --out FILE         also write the JSON artifact to FILE (atomically)
  -h, --help         show this help

Examples:
  tradesim sensitivity scenarios/bilateral-2025.yaml --metric leakage \\
    --vary exporter.supplyPerRound=300000:700000 --vary countries[IND].enforcement=0.2:0.9 --seeds 5
  tradesim sensitivity scenarios/teaching/three-country.yaml --metric concessionsUsd --method morris \\
    --vary countries[MID].patience=0.8:0.99 --vary exporter.price=20000:30000 --trajectories 8 --out sens.json
  tradesim report sens.json --html sens.html
  tradesim sensitivity scenarios/bilateral-2025.yaml --method sobol --samples 1024 --workers 2 --out sobol.json
  tradesim sensitivity --method sobol --function "sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)" \\
    --param x1=-pi:pi --param x2=-pi:pi --param x3=-pi:pi --samples 8192

${EXIT_TABLE}
`;

export async function sensitivity(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      metric: { type: 'string' },
      vary: { type: 'string', multiple: true },
      method: { type: 'string' },
      levels: { type: 'string' },
      trajectories: { type: 'string' },
      seeds: { type: 'string' },
      samples: { type: 'string' },
      factors: { type: 'string' },
      function: { type: 'string' },
      param: { type: 'string', multiple: true },
      level: { type: 'string' },
      resamples: { type: 'string' },
      workers: { type: 'string' },
      rows: { type: 'string' },
      resume: { type: 'boolean' },
      force: { type: 'boolean' },
      ...SCENARIO_RUN_FLAGS,
    },
    1,
  );
  if (values.help) {
    process.stdout.write(SENSITIVITY_HELP);
    return EXIT.ok;
  }
  if (values.method === 'sobol') return (await import('./sensitivity-sobol.js')).sobolCommand(values, positionals, argv);
  const sobolOnly = ['samples', 'factors', 'function', 'param', 'level', 'resamples', 'workers', 'rows', 'resume', 'force'].find((f) => values[f] !== undefined);
  if (sobolOnly !== undefined) {
    const { InputError } = await import('../../core/errors.js');
    throw new InputError({ path: `--${sobolOnly}`, message: `--${sobolOnly} goes with --method sobol`, expected: '--method sobol' });
  }
  const { runSensitivity } = await import('./sensitivity-run.js');
  const method = values.method === undefined ? 'oat' : String(values.method);
  const result = await runSensitivity({
    file: positionals[0],
    metric: values.metric === undefined ? undefined : String(values.metric),
    vary: strings(values.vary),
    method,
    levels: intFlag(values.levels, 'levels', 2, 20) ?? 4,
    trajectories: intFlag(values.trajectories, 'trajectories', 1, 1000) ?? 10,
    seeds: intFlag(values.seeds, 'seeds', 1, 10_000) ?? 10,
    seed: intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER),
    regime: values.regime === undefined ? undefined : String(values.regime),
    rounds: intFlag(values.rounds, 'rounds', 1, 400),
    sets: strings(values.set),
    argv,
    progress: values.json !== true && process.stderr.isTTY === true,
  });
  const [{ writeAtomic }, { sensitivityText }] = await Promise.all([import('../io.js'), import('../../report/sensitivity-text.js')]);
  const json = jsonText(result);
  if (typeof values.out === 'string') await writeAtomic(values.out, json);
  process.stdout.write(values.json === true ? json : sensitivityText(safeData(result, { multiline: true })));
  return EXIT.ok;
}
