import { jsonText, safeData } from '../../core/safe-text.js';
import { intFlag, parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const COMPARE_HELP = `Usage: tradesim compare <scenario> --regimes A,B,... --seeds N [options]

Run a chips scenario under several regimes with the same seeds (common random numbers: run i of every
regime uses seed S+i) and report, per metric, the mean and a confidence interval for each regime, the paired
differences between regimes with their intervals, and a per-country table.

Options:
  --regimes A,B,...  regimes to compare (built-in: tiered-2025, bilateral, open, tiered-plus-deals; or the
                     scenario's own)
  --seeds N          number of seeds per regime (at least 2)
  --seed-start S     first seed (default: the scenario's seed); seeds are S, S+1, ..., S+N-1
  --level L          confidence level of every interval (default 0.95)
  --resamples B      bootstrap resamples for the paired differences (default 2000)
  --rounds N         number of rounds
  --set PATH=V       override a value, e.g. --set countries[IND].patience=0.9 (repeatable)
  --json             print the comparison artifact as JSON (and nothing else) on stdout
  --csv              print one tidy CSV table (kind, regime, versus, country, metric, mean, lo, hi, n, ...)
  --out FILE         also write the comparison to FILE, atomically: CSV if FILE ends in .csv, else JSON
  --uncertainty N    compare over N uncertain worlds drawn from the scenario's uncertain: section (Latin
                     hypercube, stream "uncertainty/lhs"): every regime runs in every world with the same
                     seeds (--seeds per world, default 1); reports each regime's distribution over the worlds,
                     each paired difference's distribution, its mean with a bootstrap interval over worlds and
                     P(b beats a); a difference with no variance is labelled deterministic, never significant
  --factors A,B      with --uncertainty: only these uncertain: entries (default all)
  --workers K        with --uncertainty: threads running the worlds (results identical whatever K)
  --rows FILE.csv    with --uncertainty: also write one row per run (world, regime, seed, the world's values,
                     the metrics), as tradesim sweep writes them
  -h, --help         show this help

Intervals: means use the Student t interval; paired differences (b - a over the same seeds) use the
bootstrap percentile interval, resampling seeds from the seeded stream "compare/bootstrap" (the JSON also
gives the paired t interval). Methods: docs/research.md. Per-run final metrics are in the JSON under "runs",
and equal what "tradesim run <scenario> --regime R --seed s" gives.

Examples:
  tradesim compare scenarios/bilateral-2025.yaml --regimes tiered-2025,bilateral,open --seeds 200
  tradesim compare scenarios/base-2025.yaml --regimes bilateral,open --seeds 50 --json --out cmp.json
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
      uncertainty: { type: 'string' },
      factors: { type: 'string' },
      workers: { type: 'string' },
      rows: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(COMPARE_HELP);
    return EXIT.ok;
  }
  if (values.uncertainty !== undefined) return (await import('./compare-uncertainty.js')).compareUncertaintyCommand(values, positionals);
  for (const flag of ['factors', 'workers', 'rows'] as const) {
    if (values[flag] !== undefined) {
      const { InputError } = await import('../../core/errors.js');
      throw new InputError({ path: `--${flag}`, message: `--${flag} goes with --uncertainty`, expected: '--uncertainty N' });
    }
  }
  const [{ InputError }, { compare }, { comparisonCsv, comparisonReport }, { loadChecked, located }, { styleFor, writeAtomic }, { progress }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../research/compare.js'),
    import('../../report/compare.js'),
    import('./shared.js'),
    import('../io.js'),
    import('../progress.js'),
  ]);
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/bilateral-2025.yaml' });
  if (values.json === true && values.csv === true) throw new InputError({ path: '--csv', message: '--json and --csv cannot be used together', expected: 'one output format' });
  const regimes = typeof values.regimes === 'string' ? values.regimes.split(',').map((r) => r.trim()).filter(Boolean) : [];
  if (regimes.length === 0) throw new InputError({ path: '--regimes', message: 'missing regimes', expected: 'a comma-separated list, e.g. --regimes tiered-2025,bilateral,open' });
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
  // Load once, then check that every regime resolves and compiles (bad names exit 2 before any run).
  const loaded = await loadChecked(file, values.set);
  const s = loaded.scenario;
  if (s.kind !== 'chips') throw new InputError({ file, path: '--regimes', message: 'only chips scenarios have regimes', found: 'a bargaining scenario' });
  for (const r of regimes) await loadChecked(file, values.set, r);
  const bar = progress('compare', regimes.length * seeds, { json: values.json === true || values.csv === true });
  const result = located(loaded, file, () =>
    compare(s, {
      regimes,
      seeds,
      file,
      ...(seedStart !== undefined ? { seedStart } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(resamples !== undefined ? { resamples } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      onProgress: (d) => bar.update(d),
    }),
  );
  bar.finish();
  const json = jsonText(result);
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out !== undefined) await writeAtomic(out, out.toLowerCase().endsWith('.csv') ? comparisonCsv(result) : json);
  if (values.json === true) process.stdout.write(json);
  else if (values.csv === true) process.stdout.write(comparisonCsv(result));
  else process.stdout.write(comparisonReport(safeData(result, { multiline: true }), styleFor(process.stdout)));
  return EXIT.ok;
}
