/** `tradesim robustness`: lever combinations over uncertain worlds (src/research/robustness.ts). */
import { provenance } from '../provenance.js';
import { jsonText, safeData } from '../../core/safe-text.js';
import { listFlag, parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const ROBUSTNESS_HELP = `Usage: tradesim robustness <rows.csv|rows.jsonl> [--metric K1,K2] [--satisfy "CLAUSES"] [options]

Which policy holds up across what is not known? Reads the rows of a levers x worlds sweep (tradesim sweep
<scenario> --levers ... --uncertainty N), where every lever combination ran in the same worlds, and gives per
combination: each metric's mean and quantiles over the worlds (a world's value is its mean over its seeds),
regret (how far it falls short of the best combination in each world, by the metric's direction), the
share of worlds meeting --satisfy thresholds, and a ranking.

Options:
  --metric K1,K2     final metrics (default: the catalogue's headline metrics); the first with a direction
                     ranks by regret
  --satisfy CLAUSES  thresholds, all of which must hold, separated by commas, e.g.
                     "final.leakage < 50000, final.revenueUsd > 1e11"
  --rank R           satisficing (default with --satisfy), regret (minimax regret, default otherwise) or mean
  --levers A,B       the lever columns (default: the sweep's --levers, from FILE.meta.json)
  --json             print the robustness artifact as JSON (and nothing else) on stdout
  --out FILE         also write the JSON artifact to FILE (atomically)
  -h, --help         show this help

Examples:
  tradesim sweep scenarios/base-2025.yaml --levers regime=tiered-2025,bilateral --uncertainty 200 --out w.csv
  tradesim robustness w.csv --metric leakage,revenueUsd --satisfy "final.leakage < 50000"

${EXIT_TABLE}
`;

export async function robustnessCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      metric: { type: 'string' },
      satisfy: { type: 'string' },
      rank: { type: 'string' },
      levers: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(ROBUSTNESS_HELP);
    return EXIT.ok;
  }
  const [{ InputError }, { readTable }, { robustness }, { robustnessText }, { styleFor, writeAtomic }, { shellCommand }, { pathExists, readInputText }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../research/discover.js'),
    import('../../research/robustness.js'),
    import('../../report/robustness-text.js'),
    import('../io.js'),
    import('../../report/shell.js'),
    import('../../core/files.js'),
  ]);
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<rows>', message: 'missing rows file', expected: 'a .csv or .jsonl file written by tradesim sweep --levers ... --uncertainty N' });
  const rank = values.rank;
  if (rank !== undefined && rank !== 'satisficing' && rank !== 'regret' && rank !== 'mean') throw new InputError({ path: '--rank', message: 'unknown ranking', expected: 'satisficing, regret or mean', found: JSON.stringify(rank) });
  const table = await readTable(file);
  let meta: Record<string, unknown> | null = null;
  if (await pathExists(`${file}.meta.json`)) {
    const text = await readInputText(`${file}.meta.json`, { what: 'sweep metadata', maxBytes: 16 * 1024 * 1024 });
    try {
      meta = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new InputError({ file: `${file}.meta.json`, line: 1, message: 'not JSON', expected: 'the metadata tradesim sweep writes' });
    }
  }
  const metrics = listFlag(values.metric);
  const levers = listFlag(values.levers);
  const found = robustness(
    table,
    {
      command: shellCommand(['tradesim', 'robustness', ...argv]),
      ...(metrics !== undefined ? { metrics } : {}),
      ...(levers !== undefined ? { levers } : {}),
      ...(typeof values.satisfy === 'string' ? { satisfy: values.satisfy } : {}),
      ...(rank !== undefined ? { rank } : {}),
    },
    meta,
  );
  const result = { ...found, provenance: provenance('robustness', argv, {}) };
  const text = jsonText(result);
  if (typeof values.out === 'string') await writeAtomic(values.out, text);
  process.stdout.write(values.json === true ? text : robustnessText(safeData(result, { multiline: true }), styleFor(process.stdout)));
  return EXIT.ok;
}
