import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const REPORT_HELP = `Usage: tradesim report <input> (--html OUT.html | --md OUT.md) [--html ... --md ...]

Write a self-contained report (HTML with inline SVG charts and CSS, no scripts and no network access; or
Markdown with the same tables) of a saved result, stamped with the scenario id and hash, the seeds, the tradesim
version and the commands that reproduce it.

Inputs:
  result.json        a run (tradesim run --out): allocations by country and by tier, key metrics, per round
  comparison.json    tradesim compare: metrics per regime with intervals, paired differences, per country;
                     with --uncertainty: distributions over the worlds, strips of the paired differences,
                     P(b beats a)
  sensitivity.json   tradesim sensitivity: tornado plot (oat) or Morris mu*/sigma; with --method sobol:
                     first-order and total indices with intervals (bars), their convergence over N
  discovery.json     tradesim discover --out: PRIM trade-off curve, trajectory, box limits, CART tree
  robustness.json    tradesim robustness --out: ranking, quantiles over worlds, regret table
  results.csv|.jsonl tradesim sweep rows: response curves of the metrics to each varied parameter, mean and
                     95% t-interval over seeds (a <file>.meta.json sidecar, if present, supplies the stamp)

Options:
  --html FILE   write the HTML page to FILE (atomically)
  --md FILE     write Markdown to FILE (atomically)
  -h, --help    show this help

Examples:
  tradesim run scenarios/bilateral-2025.yaml --seed 7 --out result.json && tradesim report result.json --html report.html
  tradesim report results.csv --md results.md

${EXIT_TABLE}
`;

export async function report(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { html: { type: 'string' }, md: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, 1);
  if (values.help) {
    process.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  const [{ InputError }, { readReportInput }, { buildReport }, { renderHtml, renderMarkdown }, { writeAtomic, diag }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../report/input.js'),
    import('../../report/build.js'),
    import('../../report/doc.js'),
    import('../io.js'),
  ]);
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<input>', message: 'missing input file', expected: 'a result, comparison, sensitivity, discovery or robustness .json, or sweep rows .csv / .jsonl' });
  const html = typeof values.html === 'string' ? values.html : undefined;
  const md = typeof values.md === 'string' ? values.md : undefined;
  if (html === undefined && md === undefined) throw new InputError({ path: '--html', message: 'no output named', expected: '--html OUT.html or --md OUT.md (or both)' });
  const doc = buildReport(await readReportInput(file), { argv, cwd: process.cwd() });
  if (html !== undefined) await writeAtomic(html, renderHtml(doc), '--html');
  if (md !== undefined) await writeAtomic(md, renderMarkdown(doc), '--md');
  diag(`tradesim: wrote ${[html, md].filter((x) => x !== undefined).join(' and ')}`);
  return EXIT.ok;
}
