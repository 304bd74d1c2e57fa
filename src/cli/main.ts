/**
 * CLI entry: picks the command and imports only its module, so `--help`, `--version` and `list` never load
 * the simulation or the terminal UI. Every error a user can cause exits 2 with a message and no stack trace.
 */
import { formatProblem, isInputError } from '../core/errors.js';
import { OutputError, allowReadingOutside, writeFailureText } from '../core/files.js';
import { safeText } from '../core/safe-text.js';
import { didYouMean } from '../core/suggest.js';
import { toolVersion } from '../core/version.js';
import { EXIT, EXIT_TABLE } from './exit-codes.js';

export type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<Command> }>> = {
  run: { summary: 'run a scenario and report the outcome', load: async () => (await import('./commands/run.js')).run },
  validate: { summary: 'check a scenario file without running it', load: async () => (await import('./commands/validate.js')).validate },
  replay: { summary: 'replay a saved result in the terminal', load: async () => (await import('./commands/replay.js')).replay },
  list: { summary: 'list scenarios, regimes and strategies', load: async () => (await import('./commands/list.js')).list },
  compare: { summary: 'compare regimes or scenario variants over the same seeds', load: async () => (await import('./commands/compare.js')).compareCommand },
  sweep: { summary: 'run a parameter sweep or Monte Carlo design to CSV/JSONL (sweep plan: batch jobs for it)', load: async () => (await import('./commands/sweep.js')).sweepCommand },
  merge: { summary: 'merge sweep shard outputs, checking every run is there once', load: async () => (await import('./commands/merge.js')).mergeCommand },
  sensitivity: { summary: 'which parameters move a metric most (one-at-a-time, Morris, Sobol)', load: async () => (await import('./commands/sensitivity.js')).sensitivity },
  discover: { summary: 'scenario discovery on sweep rows: where does a condition hold (PRIM, CART)', load: async () => (await import('./commands/discover.js')).discoverCommand },
  robustness: { summary: 'robustness of lever combinations over uncertain worlds: regret, satisficing, ranking', load: async () => (await import('./commands/robustness.js')).robustnessCommand },
  report: { summary: 'write an HTML or Markdown report of a result, comparison, sensitivity or sweep', load: async () => (await import('./commands/report.js')).report },
  check: { summary: 'hunt for counterexamples to a scenario\'s invariants', load: async () => (await import('./commands/check.js')).check },
  play: { summary: 'play a classroom exercise as a country or the exporter', load: async () => (await import('./commands/play.js')).play },
  debrief: { summary: 'class debrief from students\' session files (files, a folder or a .zip)', load: async () => (await import('./commands/debrief.js')).debrief },
  collect: { summary: 'the teacher\'s collect flow: a class folder or .zip of sessions -> class debrief', load: async () => (await import('./commands/debrief.js')).debrief },
};

export const MAIN_HELP = `tradesim - agent-based simulator of trade negotiations over AI chips

Usage:
  tradesim <command> [options]
  tradesim <command> --help

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Options:
  -h, --help       show help
  -v, --version    show the version
  --allow-outside  (any command) let extends, an exercise's scenario and a session's exercise name files
                   outside the folder of the file you gave, the working folder and tradesim's scenarios

Examples:
  tradesim run scenarios/bilateral-2025.yaml --seed 7
  tradesim run scenarios/tiered-2025.yaml --json --out result.json
  tradesim run scenarios/teaching/split-the-pie.yaml --set parties[0].discount=0.95

${EXIT_TABLE}
`;

/** Set when standard output could not be written (not a closed pipe): the command then exits 74. */
let stdoutFailed = false;

/**
 * A reader that stops early (`tradesim run --json | head`) closes the pipe: the rest of the output has
 * nowhere to go, which is not the command's failure. It ends with its own exit code, without a stack trace.
 * Any other failure to write standard output (`> /dev/full`, a full disk) is reported in one line and the
 * command exits 74, whenever the failure arrives.
 */
function watchStdout(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || stdoutFailed) return;
    stdoutFailed = true;
    process.exitCode = EXIT.io;
    writeStderr(`tradesim: error: cannot write to standard output: ${writeFailureText(e)}\n`);
  });
}

/** Diagnostics that cannot be written have nowhere else to go: a failing stderr is ignored. */
function watchStderr(stream: NodeJS.WriteStream): void {
  stream.on('error', () => undefined);
}

function writeStderr(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // stderr itself is gone
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  watchStdout(process.stdout);
  watchStderr(process.stderr);
  const code = await dispatch(argv);
  return stdoutFailed ? EXIT.io : code;
}

async function dispatch(args: readonly string[]): Promise<number> {
  // --allow-outside works with every command: files named inside other files may then come from anywhere.
  const stop = args.indexOf('--');
  const argv = args.filter((a, i) => a !== '--allow-outside' || (stop >= 0 && i > stop));
  if (argv.length !== args.length) allowReadingOutside();
  const [first, ...rest] = argv;
  try {
    if (first === '-h' || first === '--help' || first === 'help') {
      process.stdout.write(MAIN_HELP);
      return EXIT.ok;
    }
    if (first === undefined) {
      // No command is a usage error: the help goes to stderr with exit 2, so stdout stays empty for a pipe.
      writeStderr(`tradesim: no command given\n\n${MAIN_HELP}`);
      return EXIT.input;
    }
    if (first === '-v' || first === '--version') {
      process.stdout.write(`${toolVersion()}\n`);
      return EXIT.ok;
    }
    const cmd = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (!cmd) {
      process.stderr.write(`tradesim: unknown command "${safeText(first)}"${didYouMean(first, Object.keys(COMMANDS))}\nRun "tradesim --help" for the list.\n`);
      return EXIT.input;
    }
    return await (await cmd.load())(rest);
  } catch (e) {
    if (isInputError(e)) {
      for (const p of e.problems) writeStderr(`tradesim: error: ${safeText(formatProblem(p))}\n`);
      return EXIT.input;
    }
    if (e instanceof OutputError) {
      writeStderr(`tradesim: error: ${safeText(e.message)}\n`);
      return EXIT.io;
    }
    throw e;
  }
}
