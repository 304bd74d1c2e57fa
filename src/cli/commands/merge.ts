import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const MERGE_HELP = `Usage: tradesim merge <file>... --out FILE [--json]

Combine the outputs of one sweep run in shards (--shard k/N) into one file in run-id order. Checks that every
input's metadata (FILE.meta.json) describes the same sweep, and that every run id is present exactly once.
With all shards complete, the result is byte-identical to running the sweep unsharded.

Options:
  --out FILE   merged output (.csv or .jsonl, as the inputs), written atomically, with FILE.meta.json
  --json       print a JSON summary on stdout
  -h, --help   show this help

Exit status 1 when runs are missing or duplicated (the message lists them; nothing is written), 2 when the
inputs are not outputs of one sweep or cannot be read.

Example:
  tradesim merge part-1.csv part-2.csv part-3.csv --out all.csv

${EXIT_TABLE}
`;

export async function mergeCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    100_000,
  );
  if (values.help) {
    process.stdout.write(MERGE_HELP);
    return EXIT.ok;
  }
  const [{ InputError }, { mergeSweeps, MergeCheckError }] = await Promise.all([import('../../core/errors.js'), import('../../research/merge.js')]);
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out === undefined) throw new InputError({ path: '--out', message: 'missing output file', expected: 'e.g. --out merged.csv' });
  try {
    const s = await mergeSweeps(positionals, out);
    if (values.json === true) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    else process.stdout.write(`merged ${s.files} file(s) into ${s.out}: all ${s.runs} runs, each once\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof MergeCheckError) {
      process.stderr.write(`tradesim: merge: ${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  }
}
