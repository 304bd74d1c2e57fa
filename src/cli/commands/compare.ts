import { jsonText, safeData } from '../../core/safe-text.js';
import { intFlag, parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';
import type { CompareArm } from '../../research/compare.js';

/** Most scenario files one comparison takes (every pair gets a table). */
const MAX_FILES = 12;

export const COMPARE_HELP = `Usage: tradesim compare <scenario> --regimes A,B,... --seeds N [options]
       tradesim compare <scenario-a> <scenario-b> [<scenario-c> ...] --seeds N [--regimes A,...] [options]
       tradesim compare <scenario> --regimes A,B,... --uncertainty N [--seeds K] [options]

Run arms with the same seeds (common random numbers: run i of every arm uses seed S+i) and report, per
metric, the mean and a confidence interval for each arm, the paired differences between arms with their
intervals, and who gains and loses per country. An arm is a scenario under a regime:
  - one scenario and --regimes A,B: the scenario under each regime (labelled A, B);
  - two or more scenarios (a variant and its base): each under its own regime and timeline (labelled by
    scenario id), or with --regimes, each under each given regime (labelled id:regime when both vary).

Options:
  --regimes A,B,...  regimes to run (built-in: tiered-2025, bilateral, open, tiered-plus-deals; or the
                     scenario's own); a given regime is fixed for the whole run (timeline regime changes
                     ignored)
  --seeds N          number of seeds per arm (at least 2)
  --seed-start S     first seed (default: the first scenario's seed); seeds are S, S+1, ..., S+N-1
  --level L          confidence level of every interval (default 0.95)
  --resamples B      bootstrap resamples for the paired differences (default 2000)
  --rounds N         number of rounds (every arm)
  --set PATH=V       override a value in every scenario, e.g. --set countries[IND].patience=0.9 (repeatable)
  --json             print the comparison artifact as JSON (and nothing else) on stdout
  --csv              print one tidy CSV table (kind, regime, versus, country, metric, mean, lo, hi, n, ...)
  --out FILE         also write the comparison to FILE, atomically: CSV if FILE ends in .csv, else JSON
  --wide             every column of the text tables (by default they fit the terminal, or 80 columns)
  --uncertainty N    (one scenario file, not arms of several) compare over N uncertain worlds drawn from
                     the scenario's uncertain: section (Latin hypercube, stream "uncertainty/lhs"): every
                     regime runs in every world with the same seeds (--seeds per world, default 1); reports each regime's distribution over the worlds,
                     each paired difference's distribution, its mean with a bootstrap interval over worlds and
                     P(b beats a); a difference with no variance is labelled deterministic, never significant
  --factors A,B      with --uncertainty: only these uncertain: entries (default all)
  --workers K        with --uncertainty: threads running the worlds (results identical whatever K)
  --rows FILE.csv    with --uncertainty: also write one row per run (world, regime, seed, the world's values,
                     the metrics), as tradesim sweep writes them
  -h, --help         show this help

Differences are b - a, for every pair of arms in the order given (the second arm minus the first, ...).
Intervals: means use the Student t interval; paired differences (over the same seeds) use the bootstrap
percentile interval, resampling seeds from the seeded stream "compare/bootstrap" (the JSON also gives the
paired t interval). A country "gains" (or "loses") chips when the interval of its paired difference lies
above (below) zero. Methods: docs/research.md. Per-run final metrics are in the JSON under "runs", and equal
what "tradesim run <scenario> [--regime R] --seed s" gives; "arms" records each arm's file, scenario id, hash
and regime.

Examples:
  tradesim compare scenarios/bilateral-2025.yaml --regimes tiered-2025,bilateral,open --seeds 200
  tradesim compare scenarios/history-2025-2026.yaml scenarios/counterfactual-tiered-kept.yaml --seeds 20
  tradesim compare my-variant.yaml scenarios/bilateral-2025.yaml --seeds 50 --json --out cmp.json
  tradesim compare scenarios/base-2025.yaml --regimes tiered-2025,bilateral --uncertainty 200 --seeds 2 --workers 2 --out u.json

${EXIT_TABLE}
`;

export async function compareCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      regimes: { type: 'string' },
      seeds: { type: 'string' },
      'seed-start': { type: 'string' },
      level: { type: 'string' },
      resamples: { type: 'string' },
      rounds: { type: 'string' },
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      out: { type: 'string' },
      wide: { type: 'boolean' },
      uncertainty: { type: 'string' },
      factors: { type: 'string' },
      workers: { type: 'string' },
      rows: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    MAX_FILES,
  );
  if (values.help) {
    process.stdout.write(COMPARE_HELP);
    return EXIT.ok;
  }
  if (values.uncertainty !== undefined) {
    if (positionals.length > 1) {
      // The worlds come from one scenario's uncertain: section; two files may declare different ones, so there
      // is no common set of worlds to pair their arms on.
      const { InputError } = await import('../../core/errors.js');
      throw new InputError({
        path: '--uncertainty',
        message: `--uncertainty compares the regimes of one scenario over its uncertain: worlds; it does not take ${positionals.length} scenario files (arms)`,
        expected: 'one scenario with --regimes A,B, e.g. tradesim compare scenarios/base-2025.yaml --regimes tiered-2025,bilateral --uncertainty 200',
      });
    }
    return (await import('./compare-uncertainty.js')).compareUncertaintyCommand(values, positionals, argv);
  }
  for (const flag of ['factors', 'workers', 'rows'] as const) {
    if (values[flag] !== undefined) {
      const { InputError } = await import('../../core/errors.js');
      throw new InputError({ path: `--${flag}`, message: `--${flag} goes with --uncertainty`, expected: '--uncertainty N' });
    }
  }
  const [{ InputError }, { compareArms }, { comparisonCsv, comparisonReport }, { loadChecked, located }, { layoutFor, styleFor, writeAtomic }, { progress }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../research/compare.js'),
    import('../../report/compare.js'),
    import('./shared.js'),
    import('../io.js'),
    import('../progress.js'),
  ]);
  const files = positionals;
  if (files.length === 0) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/bilateral-2025.yaml (with --regimes A,B), or two scenario files' });
  if (values.json === true && values.csv === true) throw new InputError({ path: '--csv', message: '--json and --csv cannot be used together', expected: 'one output format' });
  const regimes = typeof values.regimes === 'string' ? values.regimes.split(',').map((r) => r.trim()).filter(Boolean) : [];
  if (files.length === 1 && regimes.length === 0) {
    throw new InputError({ path: '--regimes', message: 'missing regimes: one scenario needs --regimes, or give a second scenario file to compare against', expected: 'e.g. --regimes tiered-2025,bilateral,open, or: tradesim compare my-variant.yaml scenarios/bilateral-2025.yaml' });
  }
  if (new Set(regimes).size !== regimes.length) throw new InputError({ path: '--regimes', message: 'a regime is named twice', found: JSON.stringify(regimes.join(',')) });
  const seeds = intFlag(values.seeds, 'seeds', 2, 1_000_000);
  if (seeds === undefined) throw new InputError({ path: '--seeds', message: 'missing number of seeds', expected: 'a whole number of at least 2, e.g. --seeds 200' });
  const seedStart = intFlag(values['seed-start'], 'seed-start', 0, Number.MAX_SAFE_INTEGER - 1_000_000);
  const rounds = intFlag(values.rounds, 'rounds', 1, 400);
  const resamples = intFlag(values.resamples, 'resamples', 100, 1_000_000);
  let level: number | undefined;
  if (values.level !== undefined) {
    level = Number(values.level);
    if (!(level > 0 && level < 1)) throw new InputError({ path: '--level', message: 'not a confidence level', expected: 'a number strictly between 0 and 1, e.g. 0.95', found: JSON.stringify(values.level) });
  }
  // Load every file once, then check that every regime resolves and compiles for it (bad names exit 2 before
  // any run). An arm is a file under a given regime, or under its own when none is given.
  const arms: CompareArm[] = [];
  for (const file of files) {
    const loaded = await loadChecked(file, values.set);
    const s = loaded.scenario;
    if (s.kind !== 'chips') throw new InputError({ file, path: 'kind', message: 'only chips scenarios can be compared (they have regimes and countries)', found: 'a bargaining scenario' });
    for (const r of regimes) await loadChecked(file, values.set, r);
    // A problem found while running (an expression's value) gets this file and its line.
    const within = <T,>(fn: () => T): T => located(loaded, file, fn);
    if (regimes.length === 0) arms.push({ scenario: s, file, within });
    else for (const regime of regimes) arms.push({ scenario: s, file, regime, within });
  }
  const bar = progress('compare', arms.length * seeds, { json: values.json === true || values.csv === true });
  const { provenance } = await import('../provenance.js');
  const compared = compareArms(arms, {
    seeds,
    ...(seedStart !== undefined ? { seedStart } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(resamples !== undefined ? { resamples } : {}),
    ...(rounds !== undefined ? { rounds } : {}),
    onProgress: (d) => bar.update(d),
  });
  const result = { ...compared, provenance: provenance('compare', argv, { sets: values.set, rounds, regime: regimes.length > 0 ? regimes.join(',') : undefined }) };
  bar.finish();
  const json = jsonText(result);
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out !== undefined) await writeAtomic(out, out.toLowerCase().endsWith('.csv') ? comparisonCsv(result) : json);
  if (values.json === true) process.stdout.write(json);
  else if (values.csv === true) process.stdout.write(comparisonCsv(result));
  else process.stdout.write(comparisonReport(safeData(result, { multiline: true }), styleFor(process.stdout), layoutFor(process.stdout, values.wide === true)));
  return EXIT.ok;
}
