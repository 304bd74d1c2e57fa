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
  --wide          every column of the text report (by default tables fit the terminal, or 80 columns)
  -h, --help      show this help

On a terminal (stdin and stdout a TTY, CI not set) the run opens an interactive replay (tradesim replay
--help lists its keys), and the text report is printed when you quit it. Otherwise, or with --no-tui, the
text report goes to stdout; with --json only the JSON artifact does. Diagnostics go to stderr.

${EXIT_TABLE}
`;

/** Largest countries x rounds a run artifact (JSON, replay) may cover: ~370 MB of JSON, below V8's string limit (~512 MB). */
export const ARTIFACT_COUNTRY_ROUNDS = 100_000;

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...SCENARIO_RUN_FLAGS, 'no-tui': { type: 'boolean' }, wide: { type: 'boolean' } },
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
  let tui = values.json !== true && values['no-tui'] !== true && interactive();
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
  const out = typeof values.out === 'string' ? values.out : undefined;
  // The event log grows with countries x rounds (~3.7 kB of JSON each: `run scenarios/bilateral-2025.yaml --json
  // | wc -c` is 1.15 MB for 26 x 12): past the limit an artifact would not
  // fit in one string, so the run is refused before it starts rather than failing after minutes.
  const s = loaded.scenario;
  const cells = s.kind === 'chips' ? (s.countries.length + s.adversaries.length) * (rounds ?? s.rounds) : 0;
  const tooBig = cells > ARTIFACT_COUNTRY_ROUNDS;
  if (tooBig && (values.json === true || out !== undefined)) {
    throw new InputError({
      file,
      path: values.json === true ? '--json' : '--out',
      message: `the result artifact would hold an event log of about ${Math.round((cells * 3.2) / 1000).toLocaleString('en-US')} MB (${cells.toLocaleString('en-US')} country-rounds)`,
      expected: `at most ${ARTIFACT_COUNTRY_ROUNDS.toLocaleString('en-US')} country-rounds for an artifact: fewer --rounds or countries; the text report (no --json/--out) has no such limit; tradesim sweep writes metrics only`,
    });
  }
  if (tooBig && tui) {
    process.stderr.write(`tradesim: ${cells.toLocaleString('en-US')} country-rounds is too large to replay; printing the text report\n`);
    tui = false;
  }
  // Only the replay and the artifact read the event log; the text report does not, so it runs without one.
  const events = tui || values.json === true || out !== undefined;
  const { provenance } = await import('../provenance.js');
  const made = located(loaded, file, () =>
    runScenario(loaded.scenario, {
      file,
      events,
      ...(seed !== undefined ? { seed } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      ...(regime !== undefined ? { regime } : {}),
    }),
  );
  // The exact command and the what-if choices travel with the artifact (report prints them).
  const result = { ...made, provenance: provenance('run', argv, { sets: values.set, rounds, regime }) };
  if (tui) {
    // The report printed after the replay stays in the scrollback.
    if (out !== undefined) await (await import('../io.js')).writeAtomic(out, (await import('../../core/safe-text.js')).jsonText(result));
    const code = await openTui(result);
    await emitResult(result, { json: false, wide: values.wide === true });
    return code;
  }
  await emitResult(result, { json: values.json === true, out, wide: values.wide === true });
  return EXIT.ok;
}
