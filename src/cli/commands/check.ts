import { jsonText, safeData, safeText } from '../../core/safe-text.js';
import { intFlag, parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const CHECK_HELP = `Usage: tradesim check <scenario> [options]

Hunt for counterexamples to the scenario's invariants. Draws values for the parameters declared under
"uncertain:" and seeds with fast-check, runs the simulation and evaluates every invariant (and comparative
invariants over two runs). On a failure it shrinks to the smallest counterexample found, prints it (the
values that break it, the invariant, the values seen), writes a scenario file that reproduces it and prints
the replay command. See docs/testing.md.

Options:
  --runs N        parameter sets to draw (default 1000; 1 when nothing varies)
  --seed S        fast-check seed for the whole check (default: the scenario's seed), 0 to 2147483647
  --path P        replay path printed with a counterexample (use with its --seed)
  --set PATH=V    override a value first, e.g. --set exporter.supplyPerRound=300000 (repeatable)
  --out-dir D     where to write the reproduction file (default: counterexamples)
  --json          print the check report as JSON (and nothing else) on stdout
  -h, --help      show this help

Progress goes to stderr on a terminal only.

Examples:
  tradesim check scenarios/teaching/three-country.yaml
  tradesim check scenarios/bilateral-2025.yaml --runs 20 --seed 7 --json

${EXIT_TABLE}
`;

export async function check(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      runs: { type: 'string' },
      seed: { type: 'string' },
      path: { type: 'string' },
      set: { type: 'string', multiple: true },
      'out-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(CHECK_HELP);
    return EXIT.ok;
  }
  // Heavy modules (fast-check, the simulation) load only after --help has been answered.
  const [{ InputError }, { plan, check: runCheck }, { reportText, reproductionYaml }, { loadChecked, located }, { writeAtomic }, { join, resolve }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../check/check.js'),
    import('../../check/report.js'),
    import('./shared.js'),
    import('../io.js'),
    import('node:path'),
  ]);
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/teaching/three-country.yaml' });
  const runs = intFlag(values.runs, 'runs', 1, 1_000_000);
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 31 - 1);
  const replayPath = typeof values.path === 'string' ? values.path : undefined;
  if (replayPath !== undefined && !/^\d+(:\d+)*$/.test(replayPath)) {
    throw new InputError({ path: '--path', message: 'not a replay path', expected: 'numbers separated by colons, as printed with a counterexample (e.g. 12:0:3)', found: JSON.stringify(replayPath) });
  }
  if (replayPath !== undefined && seed === undefined) throw new InputError({ path: '--path', message: '--path replays a check only with the --seed printed next to it', expected: '--seed S --path P' });
  const loaded = await loadChecked(file, values.set);
  const p = located(loaded, file, () => plan(loaded));

  const tty = process.stderr.isTTY === true;
  let last = 0;
  const onProgress = tty
    ? (done: number, planned: number, shrinking: boolean) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        process.stderr.write(`\r\x1b[Kcheck: ${shrinking ? `failed after ${done} runs, shrinking` : `${done}/${planned} runs`}`);
      }
    : undefined;
  const report = located(loaded, file, () =>
    runCheck(p, { ...(runs !== undefined ? { runs } : {}), ...(seed !== undefined ? { seed } : {}), ...(replayPath !== undefined ? { path: replayPath } : {}), ...(onProgress ? { onProgress } : {}) }),
  );
  if (tty) process.stderr.write('\r\x1b[K');

  let written: string | undefined;
  if (report.counterexample !== undefined) {
    const dir = typeof values['out-dir'] === 'string' ? values['out-dir'] : 'counterexamples';
    const name = `${report.scenario}.${report.counterexample.invariant.name}.yaml`;
    written = join(dir, name);
    await writeAtomic(written, reproductionYaml(p, report, resolve(written), file));
  }
  if (values.json) process.stdout.write(jsonText({ ...report, counterexample: report.counterexample === undefined ? undefined : { ...report.counterexample, assignments: undefined }, reproduction: written ?? null }));
  else process.stdout.write(reportText(safeData(report, { multiline: true }), safeText(file), written));
  return report.ok ? EXIT.ok : EXIT.failed;
}
