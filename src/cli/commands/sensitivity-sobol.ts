/** `tradesim sensitivity --method sobol`: on a scenario's uncertain factors or on a --function (src/research/sobol-run.ts). */
import { provenance } from '../provenance.js';
import { InputError } from '../../core/errors.js';
import { jsonText, safeData } from '../../core/safe-text.js';
import { intFlag, listFlag, strings, type Parsed } from '../args.js';
import { EXIT } from '../exit-codes.js';

function numberFlag(v: unknown, name: string, ok: (x: number) => boolean, expected: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!ok(x)) throw new InputError({ path: `--${name}`, message: 'not a valid value', expected, found: JSON.stringify(String(v)) });
  return x;
}

export async function sobolCommand(values: Parsed['values'], positionals: readonly string[], argv: readonly string[]): Promise<number> {
  const [{ sobolFunction, sobolScenario }, { sobolText }, { writeAtomic }, { progress }, { shellCommand }] = await Promise.all([
    import('../../research/sobol-run.js'),
    import('../../report/sobol-text.js'),
    import('../io.js'),
    import('../progress.js'),
    import('../../report/shell.js'),
  ]);
  const samples = intFlag(values.samples, 'samples', 16, 10_000_000) ?? 1024;
  const level = numberFlag(values.level, 'level', (x) => x > 0 && x < 1, 'a number strictly between 0 and 1, e.g. 0.95');
  const resamples = intFlag(values.resamples, 'resamples', 100, 100_000);
  const command = shellCommand(['tradesim', 'sensitivity', ...argv]);
  const json = values.json === true;
  const common = { samples, command, ...(level !== undefined ? { level } : {}), ...(resamples !== undefined ? { resamples } : {}) };
  let bar: ReturnType<typeof progress> | undefined;
  const onProgress = (done: number, total: number): void => {
    bar ??= progress('sobol', total, { json });
    bar.update(done);
  };
  const morrisOnly = ['vary', 'levels', 'trajectories'].find((f) => values[f] !== undefined);
  if (morrisOnly !== undefined) throw new InputError({ path: `--${morrisOnly}`, message: `--${morrisOnly} goes with --method oat or morris; sobol varies the scenario's uncertain: entries`, expected: '--factors A,B to choose uncertain: entries, or --function with --param' });
  let result;
  if (typeof values.function === 'string') {
    if (positionals[0] !== undefined) throw new InputError({ path: positionals[0], message: 'a --function needs no scenario', expected: 'either a scenario or --function with --param' });
    const scenarioOnly = ['factors', 'workers', 'rows', 'resume', 'force', 'regime', 'set', 'seeds', 'rounds', 'metric'].find((f) => values[f] !== undefined);
    if (scenarioOnly !== undefined) throw new InputError({ path: `--${scenarioOnly}`, message: `--${scenarioOnly} goes with a scenario, not with --function`, expected: '--function with --param, --samples, --seed, --level, --resamples' });
    const seed = intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    result = sobolFunction({ ...common, expression: values.function, params: strings(values.param), ...(seed !== undefined ? { seed } : {}), onProgress });
  } else {
    const file = positionals[0];
    if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file (or --function)', expected: 'a path such as scenarios/bilateral-2025.yaml, or --function EXPR with --param' });
    if (values.param !== undefined) throw new InputError({ path: '--param', message: '--param goes with --function', expected: 'a scenario\'s uncertain: entries (--factors to choose), or --function' });
    const rows = typeof values.rows === 'string' ? values.rows : undefined;
    if ((values.resume === true || values.force === true) && rows === undefined) throw new InputError({ path: values.resume === true ? '--resume' : '--force', message: 'goes with --rows FILE', expected: '--rows FILE.csv' });
    const { loadChecked } = await import('./shared.js');
    const { readScenarioSource } = await import('../../core/scenario/load.js');
    const source = await readScenarioSource(file);
    const regime = typeof values.regime === 'string' ? values.regime : undefined;
    const rounds = intFlag(values.rounds, 'rounds', 1, 400);
    const sets = [...strings(values.set), ...(rounds !== undefined ? [`rounds=${rounds}`] : [])];
    await loadChecked(file, sets, regime, source);
    const seeds = intFlag(values.seeds, 'seeds', 1, 10_000);
    const seed = intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER - 100_000_000);
    const workers = intFlag(values.workers, 'workers', 1, 256);
    const factors = listFlag(values.factors);
    const metrics = listFlag(values.metric);
    result = await sobolScenario({
      ...common,
      scenario: file,
      source,
      sets,
      ...(regime !== undefined ? { regime } : {}),
      ...(seeds !== undefined ? { seeds } : {}),
      ...(seed !== undefined ? { seedStart: seed } : {}),
      ...(factors !== undefined ? { factors } : {}),
      ...(metrics !== undefined ? { metrics } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(rows !== undefined ? { rows } : {}),
      ...(values.resume === true ? { resume: true } : {}),
      ...(values.force === true ? { force: true } : {}),
      onProgress,
    });
  }
  bar?.finish();
  // What made it, as run and report record it for every artifact (issue 20).
  result = { ...result, provenance: provenance('sensitivity', argv, { sets: values.set, regime: typeof values.regime === 'string' ? values.regime : undefined }) };
  const text = jsonText(result);
  if (typeof values.out === 'string') await writeAtomic(values.out, text);
  process.stdout.write(json ? text : sobolText(safeData(result, { multiline: true })));
  return EXIT.ok;
}
