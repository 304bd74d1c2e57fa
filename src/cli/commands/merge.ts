import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const MERGE_HELP = `Usage: tradesim merge <file>... --out FILE [--plan plan.json] [--allow-mixed] [--json]

Combine the outputs of one sweep run in shards (--shard k/N) into one file in run-id order. Checks that every
input's metadata (FILE.meta.json) describes the same sweep, that every run id is present exactly once, that
each finished shard's rows match the digest in its metadata, and that one runtime (Node, V8, platform,
architecture) wrote them all. With all shards complete, the result is byte-identical to running the sweep
unsharded.

An input may be a pattern with {shard} (quote it): results/part-{shard}.csv stands for the files of shards 1 to
N, so that a shard whose file was never written is named too.

Options:
  --out FILE      merged output (.csv or .jsonl, as the inputs), written atomically, with FILE.meta.json
  --plan FILE     the plan.json of "tradesim sweep plan": its shard count, and the commands that rerun shards
  --allow-mixed   merge rows written by different runtimes (recorded as "mixed" in FILE.meta.json)
  --json          print a JSON summary on stdout (also when the check fails: the problems and shards to rerun)
  -h, --help      show this help

When runs are missing (a shard failed, was never run, or was interrupted), the message names the shards to
run again in scheduler array syntax (--array=3,7) and, with --plan, the commands that do it; nothing is
written and the exit status is 1. Inputs that are not outputs of one sweep, or cannot be read, exit 2.

Examples:
  tradesim merge part-1.csv part-2.csv part-3.csv --out all.csv
  tradesim merge 'results/part-{shard}.csv' --out results/all.csv --plan plan.json

${EXIT_TABLE}
`;

export async function mergeCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: 'string' },
      plan: { type: 'string' },
      'allow-mixed': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    100_000,
  );
  if (values.help) {
    process.stdout.write(MERGE_HELP);
    return EXIT.ok;
  }
  const [{ InputError }, { mergeSweeps, MergeCheckError }, { readPlan }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../research/merge.js'),
    import('../../research/plan/files.js'),
  ]);
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out === undefined) throw new InputError({ path: '--out', message: 'missing output file', expected: 'e.g. --out merged.csv' });
  const plan = typeof values.plan === 'string' ? await readPlan(values.plan) : undefined;
  const json = values.json === true;
  try {
    const s = await mergeSweeps(positionals, out, { allowMixed: values['allow-mixed'] === true, ...(plan !== undefined ? { plan } : {}) });
    if (json) process.stdout.write(`${JSON.stringify({ ok: true, ...s }, null, 2)}\n`);
    else process.stdout.write(`merged ${s.files} file(s) into ${s.out}: all ${s.runs} runs, each once${s.mixed > 0 ? `, from ${s.mixed + 1} runtimes (--allow-mixed)` : ''}; sha256 ${s.sha256}\n`);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof MergeCheckError)) throw e;
    process.stderr.write(`tradesim: merge: ${e.message}\n`);
    const r = e.resubmit;
    if (r !== null) {
      process.stderr.write(`tradesim: merge: run again ${r.shards.length === 1 ? 'shard' : 'shards'} ${r.array.slice('--array='.length)} of ${r.of} (${r.array})\n`);
      if (r.remove.length > 0) process.stderr.write(`tradesim: merge: first delete (their rows cannot be continued): ${r.remove.map((f) => `${f} ${f}.meta.json`).join(' ')}\n`);
      for (const c of r.commands) process.stderr.write(`  ${c}\n`);
    }
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, problems: e.problems, resubmit: r }, null, 2)}\n`);
    return EXIT.failed;
  }
}
