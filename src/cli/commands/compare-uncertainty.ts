/**
 * `tradesim compare --uncertainty N`: the regimes over N uncertain worlds (src/research/uncertainty.ts), with
 * text, --json, --csv and --out as plain compare, and --rows for the per-run rows.
 */
import { provenance } from '../provenance.js';
import { csvLine } from '../../core/csv.js';
import { InputError } from '../../core/errors.js';
import { jsonText, safeData } from '../../core/safe-text.js';
import { intFlag, listFlag, strings, type Parsed } from '../args.js';
import { EXIT } from '../exit-codes.js';

export async function compareUncertaintyCommand(values: Parsed['values'], positionals: readonly string[], argv: readonly string[]): Promise<number> {
  const [{ compareUncertain }, { uncertaintyCsv, uncertaintyReport }, { loadChecked }, { styleFor, writeAtomic }, { progress }, { readScenarioSource }] = await Promise.all([
    import('../../research/uncertainty.js'),
    import('../../report/uncertainty-text.js'),
    import('./shared.js'),
    import('../io.js'),
    import('../progress.js'),
    import('../../core/scenario/load.js'),
  ]);
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/base-2025.yaml' });
  if (values.json === true && values.csv === true) throw new InputError({ path: '--csv', message: '--json and --csv cannot be used together', expected: 'one output format' });
  const regimes = typeof values.regimes === 'string' ? values.regimes.split(',').map((r) => r.trim()).filter(Boolean) : [];
  if (regimes.length < 2) throw new InputError({ path: '--regimes', message: regimes.length === 0 ? 'missing regimes' : 'a comparison over uncertainty needs at least two regimes', expected: 'a comma-separated list, e.g. --regimes tiered-2025,bilateral' });
  const worlds = intFlag(values.uncertainty, 'uncertainty', 2, 10_000_000) as number;
  const seeds = intFlag(values.seeds, 'seeds', 1, 1_000_000);
  const seedStart = intFlag(values['seed-start'], 'seed-start', 0, Number.MAX_SAFE_INTEGER - 1_000_000);
  const rounds = intFlag(values.rounds, 'rounds', 1, 400);
  const resamples = intFlag(values.resamples, 'resamples', 100, 1_000_000);
  const workers = intFlag(values.workers, 'workers', 1, 256);
  let level: number | undefined;
  if (values.level !== undefined) {
    level = Number(values.level);
    if (!(level > 0 && level < 1)) throw new InputError({ path: '--level', message: 'not a confidence level', expected: 'a number strictly between 0 and 1, e.g. 0.95', found: JSON.stringify(values.level) });
  }
  const rowsOut = typeof values.rows === 'string' ? values.rows : undefined;
  if (rowsOut !== undefined && !/\.csv$/i.test(rowsOut)) throw new InputError({ path: '--rows', message: 'the rows file must be CSV', expected: 'a file ending in .csv', found: JSON.stringify(rowsOut) });
  const factors = listFlag(values.factors);
  const sets = [...strings(values.set), ...(rounds !== undefined ? [`rounds=${rounds}`] : [])];
  // Load once and check that every regime resolves and compiles (bad names exit 2 before any run).
  const source = await readScenarioSource(file);
  const loaded = await loadChecked(file, sets, undefined, source);
  if (loaded.scenario.kind !== 'chips') throw new InputError({ file, path: '--regimes', message: 'only chips scenarios have regimes', found: 'a bargaining scenario' });
  for (const r of regimes) await loadChecked(file, sets, r, source);
  const json = values.json === true || values.csv === true;
  const bar = progress('compare', worlds * regimes.length * (seeds ?? 1), { json });
  const rows: string[] = [];
  const compared = await compareUncertain({
    scenario: file,
    source,
    sets,
    regimes,
    worlds,
    ...(seeds !== undefined ? { seeds } : {}),
    ...(seedStart !== undefined ? { seedStart } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(resamples !== undefined ? { resamples } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(factors !== undefined ? { factors } : {}),
    onProgress: (d) => bar.update(d),
    ...(rowsOut !== undefined
      ? {
          onRows: (chunk, columns) => {
            if (rows.length === 0) rows.push(csvLine(columns));
            for (const r of chunk) rows.push(csvLine(r));
          },
        }
      : {}),
  });
  bar.finish();
  const result = { ...compared, provenance: provenance('compare', argv, { sets: values.set, regime: regimes.join(',') }) };
  const text = jsonText(result);
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out !== undefined) await writeAtomic(out, out.toLowerCase().endsWith('.csv') ? uncertaintyCsv(result) : text);
  if (rowsOut !== undefined) await writeAtomic(rowsOut, rows.join(''), '--rows');
  if (values.json === true) process.stdout.write(text);
  else if (values.csv === true) process.stdout.write(uncertaintyCsv(result));
  else process.stdout.write(uncertaintyReport(safeData(result, { multiline: true }), styleFor(process.stdout)));
  return EXIT.ok;
}
