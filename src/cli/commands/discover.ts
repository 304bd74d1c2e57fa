/** `tradesim discover`: scenario discovery (PRIM, CART) on sweep rows (src/research/discover.ts). */
import { provenance } from '../provenance.js';
import { jsonText, safeData } from '../../core/safe-text.js';
import { intFlag, listFlag, parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const DISCOVER_HELP = `Usage: tradesim discover <rows.csv|rows.jsonl> --where "CONDITION" [--arms COL=A,B] [options]

Scenario discovery: under which inputs does the condition hold? Rows are those of tradesim sweep (levers x
uncertain worlds, --vary designs, --design files) or any table with a header. A case of interest is a row
where --where holds. PRIM (Friedman & Fisher 1999, as Bryant & Lempert 2010 and the EMA Workbench use it)
peels the box of all rows, records coverage and density along the way, chooses a box, pastes it back out
while density holds, and gives each restricted input its quasi-p-value; a permutation test of the whole
search says whether such a box arises by chance. A CART tree is the second view.

Options:
  --where COND        the condition, in the scenario expression language over final.<metric> (or
                      metrics.<metric>), e.g. "final.leakage < 50000 and final.revenueUsd > 1e11"; in a
                      table without metrics.* columns, any column by name
  --arms COL=A,B      pair the rows of two arms in the same world and seed (e.g. regime=tiered-2025,bilateral)
                      and compare them: the condition reads a.final.<metric> and b.final.<metric>, e.g.
                      --where "b.final.leakage < a.final.leakage"
  --inputs A,B        the input columns (default: every parameter column that varies; never run, seed,
                      world, matrix, sample or metrics)
  --threshold D       choose the most covering box with density >= D (default: the box least likely under
                      no structure, by its binomial tail against the base rate)
  --step K            choose step K of the peeling trajectory instead (to inspect another trade-off)
  --peel A            share of the box's rows peeled per step (default 0.05)
  --paste A           share of the box's rows added per pasting step (default 0.05)
  --mass-min M        smallest box, as a share of rows (default 0.05; also CART's smallest leaf)
  --alpha A           significance level (default 0.05): quasi-p-values at or above it are dropped
  --permutations R    shuffles of the outcome for the permutation test (default 200; 0: none)
  --seed S            master seed of the shuffles (stream "discover/prim/permutation"; default 1)
  --depth D           depth of the CART tree, 1 to 8 (default 3)
  --json              print the discovery artifact as JSON (and nothing else) on stdout
  --out FILE          also write the JSON artifact to FILE (atomically)
  -h, --help          show this help

Examples:
  tradesim sweep scenarios/base-2025.yaml --levers regime=tiered-2025,bilateral --uncertainty 200 --out w.csv
  tradesim discover w.csv --where "final.leakage > 20000" --inputs regime,exporter.supplyPerRound
  tradesim discover w.csv --arms regime=tiered-2025,bilateral --where "b.final.leakage < a.final.leakage"

${EXIT_TABLE}
`;

export async function discoverCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      where: { type: 'string' },
      inputs: { type: 'string' },
      arms: { type: 'string' },
      threshold: { type: 'string' },
      step: { type: 'string' },
      peel: { type: 'string' },
      paste: { type: 'string' },
      'mass-min': { type: 'string' },
      alpha: { type: 'string' },
      permutations: { type: 'string' },
      seed: { type: 'string' },
      depth: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(DISCOVER_HELP);
    return EXIT.ok;
  }
  const [{ InputError }, { discover, readTable }, { discoveryText }, { styleFor, writeAtomic }, { shellCommand }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../research/discover.js'),
    import('../../report/discover-text.js'),
    import('../io.js'),
    import('../../report/shell.js'),
  ]);
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<rows>', message: 'missing rows file', expected: 'a .csv or .jsonl file written by tradesim sweep' });
  if (typeof values.where !== 'string' || values.where.trim() === '') throw new InputError({ path: '--where', message: 'missing condition', expected: 'e.g. --where "final.leakage > 20000"' });
  const num = (name: string): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const x = Number(v);
    if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(x)) throw new InputError({ path: `--${name}`, message: 'not a number', found: JSON.stringify(String(v)) });
    return x;
  };
  const threshold = num('threshold');
  const peelAlpha = num('peel');
  const pasteAlpha = num('paste');
  const massMin = num('mass-min');
  const alpha = num('alpha');
  const permutations = intFlag(values.permutations, 'permutations', 0, 100_000);
  const masterSeed = intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  const depth = intFlag(values.depth, 'depth', 1, 8);
  const step = intFlag(values.step, 'step', 1, 100_000);
  const inputs = listFlag(values.inputs);
  const table = await readTable(file);
  const found = discover(table, {
    where: values.where,
    command: shellCommand(['tradesim', 'discover', ...argv]),
    ...(inputs !== undefined ? { inputs } : {}),
    ...(typeof values.arms === 'string' ? { arms: values.arms } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(peelAlpha !== undefined ? { peelAlpha } : {}),
    ...(pasteAlpha !== undefined ? { pasteAlpha } : {}),
    ...(massMin !== undefined ? { massMin } : {}),
    ...(alpha !== undefined ? { alpha } : {}),
    ...(permutations !== undefined ? { permutations } : {}),
    ...(masterSeed !== undefined ? { masterSeed } : {}),
    ...(depth !== undefined ? { depth } : {}),
    ...(step !== undefined ? { step } : {}),
  });
  const result = { ...found, provenance: provenance('discover', argv, {}) };
  const text = jsonText(result);
  if (typeof values.out === 'string') await writeAtomic(values.out, text);
  process.stdout.write(values.json === true ? text : discoveryText(safeData(result, { multiline: true }), styleFor(process.stdout)));
  return EXIT.ok;
}
