/** Output plumbing: atomic file writes, colour choice, diagnostics on stderr. */
import { safeText } from '../core/safe-text.js';
import { ansiStyle, plainStyle, type Style } from '../report/text.js';

/** Write via a temporary file in the same folder and rename, so a reader never sees half a file. */
export { writeFileAtomic as writeAtomic } from '../core/files.js';

export function useColour(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  return useColour(stream) ? ansiStyle : plainStyle;
}

export function diag(message: string): void {
  process.stderr.write(`${safeText(message, { multiline: true })}\n`);
}
