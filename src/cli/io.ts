/** Output plumbing: atomic file writes, colour choice, diagnostics on stderr. */
import { safeText } from '../core/safe-text.js';
import { ansiStyle, plainStyle, type Layout, type Style } from '../report/text.js';

/** Write via a temporary file in the same folder and rename, so a reader never sees half a file. */
export { writeFileAtomic as writeAtomic } from '../core/files.js';

export function useColour(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  return useColour(stream) ? ansiStyle : plainStyle;
}

/**
 * How wide text reports may be: a terminal's own width; otherwise COLUMNS when set, else 80 (a pipe, a file,
 * a pager). --wide: every column, whatever the width.
 */
export function layoutFor(stream: NodeJS.WriteStream, wide: boolean): Layout {
  const env = Number(process.env.COLUMNS);
  const width = stream.isTTY === true && (stream.columns ?? 0) > 0 ? stream.columns : Number.isInteger(env) && env >= 40 ? env : 80;
  return { width, wide };
}

export function diag(message: string): void {
  process.stderr.write(`${safeText(message, { multiline: true })}\n`);
}

/**
 * A yes/no question on the terminal; anything but y/yes is no. Only called on a terminal (stdin and stdout a
 * TTY, CI unset): every non-interactive path gives its answer by a flag or refuses, so nothing waits here.
 */
export async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // End of input (Ctrl-D) is a no, not a wait.
  const closed = new Promise<string>((done) => rl.once('close', () => done('')));
  try {
    return /^\s*y(es)?\s*$/i.test(await Promise.race([rl.question(safeText(question)).catch(() => ''), closed]));
  } finally {
    rl.close();
  }
}
