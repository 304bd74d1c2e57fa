import { SCENARIO_RUN_FLAGS, intFlag, parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const RUN_HELP = `Usage: tradesim run <scenario> [options]

Run a scenario (YAML or JSON) once with a seed and report the outcome.

Options:
  --seed N        master seed (default: the scenario's seed)
  --regime R      regime to run under (built-in: tiered-2025, bilateral, open, tiered-plus-deals;
                  or one the scenario defines under "regimes")
  --rounds N      number of rounds (chips scenarios)
  --set PATH=V    override a value, e.g. --set countries[IND].patience=0.9 (repeatable)
  --json          print the result artifact as JSON (and nothing else) on stdout
  --out FILE      also write the JSON result artifact to FILE (atomically)
  --no-tui        print the text report even on a terminal (no interactive replay)
  -h, --help      show this help

On a terminal (stdin and stdout a TTY, CI not set) the run opens an interactive replay (tradesim replay
--help lists its keys), and the text report is printed when you quit it. Otherwise, or with --no-tui, the
text report goes to stdout; with --json only the JSON artifact does. Diagnostics go to stderr.

${EXIT_TABLE}
`;

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...SCENARIO_RUN_FLAGS, 'no-tui': { type: 'boolean' } },
    1,
  );
  if (values.help) {
    process.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  // Heavy modules load only after --help has been answered, so help stays instant.
  const [{ InputError }, { runScenario }, { emitResult, loadChecked, located }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../sim/run.js'),
    import('./shared.js'),
  ]);
  const { interactive, openTui, preloadTui } = await import('./replay.js');
  const tui = values.json !== true && values['no-tui'] !== true && interactive();
  // Load the replay while the scenario loads and runs, so it opens as soon as the result exists.
  if (tui) preloadTui();
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/bilateral-2025.yaml' });
  const regime = typeof values.regime === 'string' ? values.regime : undefined;
  const loaded = await loadChecked(file, values.set, regime);
  const seed = intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  const rounds = intFlag(values.rounds, 'rounds', 1, 400);
  if (loaded.scenario.kind === 'bargaining' && (regime !== undefined || rounds !== undefined)) {
    throw new InputError({ file, path: regime !== undefined ? '--regime' : '--rounds', message: 'only chips scenarios have regimes and rounds', found: 'a bargaining scenario' });
  }
  const result = located(loaded, file, () =>
    runScenario(loaded.scenario, {
      file,
      ...(seed !== undefined ? { seed } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      ...(regime !== undefined ? { regime } : {}),
    }),
  );
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (tui) {
    // The report printed after the replay stays in the scrollback.
    if (out !== undefined) await (await import('../io.js')).writeAtomic(out, (await import('../../core/safe-text.js')).jsonText(result));
    const code = await openTui(result);
    await emitResult(result, { json: false });
    return code;
  }
  await emitResult(result, { json: values.json === true, out });
  return EXIT.ok;
}
