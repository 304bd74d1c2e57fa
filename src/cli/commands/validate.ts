import { InputError } from '../../core/errors.js';
import { safeText } from '../../core/safe-text.js';
import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const VALIDATE_HELP = `Usage: tradesim validate <scenario> [--set PATH=V]... [--json]

Check a scenario file: syntax, schema, references (regime, strategies and their parameters) and expressions,
without running it. Prints "ok" and a summary, or the problems found (exit 2).

Options:
  --set PATH=V    apply an override first (repeatable)
  --json          print {"ok": true, "id", "kind", "hash"} on success
  -h, --help      show this help

${EXIT_TABLE}
`;

export async function validate(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { set: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 1);
  if (values.help) {
    process.stdout.write(VALIDATE_HELP);
    return EXIT.ok;
  }
  const { loadChecked } = await import('./shared.js');
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file' });
  const loaded = await loadChecked(file, values.set);
  const s = loaded.scenario;
  const summary =
    s.kind === 'chips'
      ? `${s.countries.length} countries, ${s.adversaries.length} adversaries, regime ${typeof s.regime === 'string' ? s.regime : s.regime.id}, ${s.rounds} rounds`
      : `${s.issues.length} issue(s), parties ${s.parties[0].name} and ${s.parties[1].name}`;
  if (values.json) process.stdout.write(`${JSON.stringify({ ok: true, id: s.id, kind: s.kind, hash: loaded.hash })}\n`);
  else process.stdout.write(`ok: ${safeText(file)} (${s.kind} scenario "${s.id}": ${summary})\n`);
  return EXIT.ok;
}
