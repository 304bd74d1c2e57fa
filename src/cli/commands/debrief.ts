import { jsonText } from '../../core/safe-text.js';
import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const DEBRIEF_HELP = `Usage: tradesim debrief <session.json>... [options]

Class debrief from the session files students' "tradesim play" runs wrote (finished sessions): per exercise
and seat, the distribution of outcomes against the computer agent and the Nash point, and who conceded
what and when. A session file is not trusted: its digest must match, and its figures come from replaying its
moves on its exercise (same level and seed). When the exercise is not available here, the figures stored in
the session are used, each checked and every total recomputed, and a note on stderr says so.

Options:
  --md FILE     also write the Markdown to FILE
  --html FILE   write a self-contained HTML page (inline SVG, no network) to FILE
  --json        print the grouped data as JSON (and nothing else) on stdout
  -h, --help    show this help

Without --json the Markdown goes to stdout.

Examples:
  tradesim debrief results/*.session.json
  tradesim debrief results/*.json --html class.html

${EXIT_TABLE}
`;

export async function debrief(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { md: { type: 'string' }, html: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    10_000,
  );
  if (values.help) {
    process.stdout.write(DEBRIEF_HELP);
    return EXIT.ok;
  }
  const [{ InputError }, { readJsonFile }, cls, { writeAtomic, diag }, { sessionDebrief }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../classroom/files.js'),
    import('../../classroom/class-debrief.js'),
    import('../io.js'),
    import('../../classroom/verify.js'),
  ]);
  if (positionals.length === 0) throw new InputError({ path: '<session.json>', message: 'no session files given', expected: 'one or more files written by tradesim play' });
  const entries = [];
  for (const file of positionals) {
    // Figures come from replaying each session's moves (a session file is untrusted), not from the file.
    const { doc, tree } = await readJsonFile(file, 'session file');
    const entry = await sessionDebrief(file, doc, tree);
    if (entry.note !== undefined) diag(`tradesim: note: ${entry.note}`);
    entries.push({ file, debrief: entry.debrief });
  }
  const groups = cls.groupClass(entries);
  const markdown = cls.classMarkdown(groups);
  if (typeof values.md === 'string') await writeAtomic(values.md, markdown);
  if (typeof values.html === 'string') await writeAtomic(values.html, cls.classHtml(groups));
  if (values.json === true) process.stdout.write(jsonText(groups));
  else process.stdout.write(markdown);
  return EXIT.ok;
}
