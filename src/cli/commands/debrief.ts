import { jsonText } from '../../core/safe-text.js';
import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const DEBRIEF_HELP = `Usage: tradesim debrief <session.json | class-folder | sessions.zip>... [options]
       tradesim collect <class-folder | sessions.zip>... [options]     (the same: the teacher's collect flow)

Class debrief from the session files students' "tradesim play" runs wrote: per exercise and seat, the
distribution of outcomes against the computer agent and the Nash point, and who conceded what and when.
Give session files, a class folder (every *.json in it and its subfolders) or a .zip of them.

Every file is judged on its own: an unfinished session, the same session twice (copied, or handed in twice)
and a file that is not a session, or fails its checks, are left out with a warning naming it and saying why
(and listed in the debrief); the rest are debriefed (exit 0). Only when no file is usable does the command
exit 2. A session file is not trusted: its digest must match, and its figures come from replaying its moves
on its exercise (same level and seed), found by its hash (the path it names is relative to the session
file, so a class folder may move). When the exercise is not available here, the figures stored in the
session are used, each checked and every total recomputed, and a note on stderr says so.

Options:
  --md FILE     also write the Markdown to FILE
  --html FILE   write a self-contained HTML page (inline SVG, no network) to FILE
  --json        print the grouped data as JSON (and nothing else) on stdout
  -h, --help    show this help

Without --json the Markdown goes to stdout; warnings and notes go to stderr.

Examples:
  tradesim debrief results/*.session.json
  tradesim debrief results/ --html class.html
  tradesim collect sessions.zip --html class.html

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
  const [{ InputError }, cls, { writeAtomic, diag }, { classInput, collectInputs }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../classroom/class-debrief.js'),
    import('../io.js'),
    import('../../classroom/collect.js'),
  ]);
  if (positionals.length === 0) throw new InputError({ path: '<session.json>', message: 'no session files given', expected: 'session files written by tradesim play, a class folder or a .zip of them' });
  const collected = await collectInputs(positionals);
  if (collected.length === 0) throw new InputError({ path: '<session.json>', message: `no session files in ${positionals.join(', ')}`, expected: 'session files (*.json) written by tradesim play' });
  const input = await classInput(collected);
  for (const n of input.notes) diag(`tradesim: note: ${n}`);
  // Nothing usable: every reason, as errors (exit 2).
  if (input.entries.length === 0) throw new InputError(input.setAside.flatMap((x) => x.problems));
  for (const x of input.setAside) diag(`tradesim: warning: ${x.file}: ${x.why === 'refused' || x.why === 'not a session' ? `left out: ${x.text}` : x.text}`);
  if (input.setAside.length > 0) diag(`tradesim: warning: ${input.setAside.length} of ${collected.length} files left out of the class debrief; ${input.entries.length} debriefed`);
  const groups = cls.groupClass(input.entries);
  const markdown = cls.classMarkdown(groups, input.setAside);
  if (typeof values.md === 'string') await writeAtomic(values.md, markdown, '--md');
  if (typeof values.html === 'string') await writeAtomic(values.html, cls.classHtml(groups, input.setAside), '--html');
  if (values.json === true) process.stdout.write(jsonText(groups));
  else process.stdout.write(markdown);
  return EXIT.ok;
}
