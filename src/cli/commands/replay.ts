import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';
import type { ReplayableArtifact } from '../../core/events.js';

export const REPLAY_HELP = `Usage: tradesim replay <result.json> [options]

Replay a saved result artifact (from tradesim run --out or --json, or tradesim compare) in the terminal:
step through the rounds, watch each negotiation on the utility plane, and read the outcome report. A
comparison artifact opens the regimes side by side.

Options:
  --no-tui        print the plain text report instead of the interactive replay
  --end           open at the last round (the outcome) instead of the first
  --wide          with the plain report: every column (by default it fits the terminal, or 80 columns)
  -h, --help      show this help

Keys (also in the footer; ? shows them all): space play/pause, left/right or h/l step, g/G start/end,
+/- speed, : go to round, up/down country, / search, tab view, q quit.

Without a terminal (stdout or stdin not a TTY, or CI=true) the plain report is printed. The file is checked
first: not JSON, another schemaVersion, an unknown kind, a broken structure or a scenario hash that does not
match its parameters each give a message naming the file and the problem, and exit code 2.

${EXIT_TABLE}
`;

/** The replay opens only on an interactive terminal: both ends a TTY and not in CI. */
export function interactive(): boolean {
  const ci = process.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return process.stdout.isTTY === true && process.stdin.isTTY === true && !inCi;
}

/** Start loading Ink, React and the replay while other work goes on; idempotent. */
export function preloadTui(): void {
  // Nobody awaits this if the run fails first; a failed load is reported by openTui.
  void import('../../tui/load.js').then((m) => m.loadReplay()).catch(() => undefined);
}

/** Open the Ink replay and return its exit code. */
export async function openTui(artifact: ReplayableArtifact, opts: { atEnd?: boolean } = {}): Promise<number> {
  const [{ loadReplay }, { useColour }] = await Promise.all([import('../../tui/load.js'), import('../io.js')]);
  const { openReplay } = await loadReplay();
  return openReplay(artifact, { colour: useColour(process.stdout), ...(opts.atEnd ? { atEnd: true } : {}) });
}

export async function replay(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { 'no-tui': { type: 'boolean' }, end: { type: 'boolean' }, wide: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 1);
  if (values.help) {
    process.stdout.write(REPLAY_HELP);
    return EXIT.ok;
  }
  const [{ InputError }, { readArtifact }] = await Promise.all([import('../../core/errors.js'), import('../../report/artifact.js')]);
  const file = positionals[0];
  if (file === undefined) throw new InputError({ path: '<result.json>', message: 'missing result file', expected: 'a path such as result.json (from tradesim run --out result.json)' });
  const tui = values['no-tui'] !== true && interactive();
  if (tui) preloadTui();
  const artifact = await readArtifact(file);
  if (tui) return openTui(artifact, { atEnd: values.end === true });
  process.stdout.write(await plainReport(artifact, values.wide === true));
  return EXIT.ok;
}

/** The text report of a run, or the side-by-side table of a comparison, without colour codes or Ink. */
async function plainReport(artifact: ReplayableArtifact, wide: boolean): Promise<string> {
  const [{ textReport }, { styleFor, layoutFor }, { safeData }] = await Promise.all([import('../../report/text.js'), import('../io.js'), import('../../core/safe-text.js')]);
  // A saved artifact is untrusted text: control characters in its titles and names are made harmless.
  const a = safeData(artifact, { multiline: true });
  const layout = layoutFor(process.stdout, wide);
  if (a.kind !== 'comparison') return textReport(a, styleFor(process.stdout), layout);
  const [{ compareLines }, { replayData, initFor }, { initialState }, { lineText }] = await Promise.all([
    import('../../tui/views/compare.js'),
    import('../../tui/data.js'),
    import('../../tui/state.js'),
    import('../../tui/views/segments.js'),
  ]);
  const data = replayData(a);
  const state = initialState(initFor(data, { atEnd: true }));
  return `${compareLines({ data, state, width: layout.wide ? 200 : layout.width, height: 200 }).map((l) => lineText(l).trimEnd()).join('\n')}\n`;
}
