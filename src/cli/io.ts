/** Output plumbing: atomic file writes, colour choice, diagnostics on stderr. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../core/errors.js';
import { ansiStyle, plainStyle, type Style } from '../report/text.js';

/** Write via a temporary file in the same folder and rename, so a reader never sees half a file. */
export async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError({ path: '--out', message: `cannot write ${file} (${code})`, expected: 'a writable file path', found: file });
  }
}

export function useColour(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  return useColour(stream) ? ansiStyle : plainStyle;
}

export function diag(message: string): void {
  process.stderr.write(`${message}\n`);
}
