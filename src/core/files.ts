/**
 * The one way tradesim reads a file a user named (scenario, base, exercise, session, moves, artifact, sweep
 * rows, metadata): regular files only, with a size cap, and every failure an InputError naming the file.
 *
 * The file is opened non-blocking and checked with fstat on the open descriptor, so a FIFO, a socket or a
 * device (`/dev/zero`, `/dev/stdin` on a pipe) is refused at once instead of blocking or reading forever,
 * and nothing can swap the file between the check and the read. At most `maxBytes + 1` bytes are read, so a
 * file that grows while it is read cannot exceed the cap either.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './errors.js';
import { packageFile } from './paths.js';

/**
 * Largest artifact or row file read whole (a result, comparison, sweep rows): a text of this many bytes still
 * fits in one JavaScript string (at most 2^29 - 24 UTF-16 units in V8), so reading never fails for size.
 */
export const MAX_ARTIFACT_BYTES = 256 * 1024 * 1024;

export interface ReadInputOptions {
  /** What the file is, for messages: "scenario file", "session file", ... */
  readonly what: string;
  /** Largest size accepted, in bytes. */
  readonly maxBytes: number;
  /** What a good file would be, for messages. */
  readonly expected?: string;
  /** Builds the error from its parts instead of an InputError naming the file (e.g. to name an `extends`). */
  readonly wrap?: (p: { readonly message: string; readonly expected?: string; readonly found?: string }) => InputError;
}

// O_NONBLOCK: opening a FIFO for reading must not wait for a writer (POSIX; 0 where it does not exist).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'it is a directory';
  if (st.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (st.isSocket()) return 'it is a socket, not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device, not a regular file';
  return 'it is not a regular file';
}

function whyNot(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return typeof code === 'string' ? `cannot read it (${code})` : 'cannot read it';
  }
}

function problem(file: string, opts: ReadInputOptions, p: { message: string; expected?: string; found?: string }): InputError {
  return opts.wrap !== undefined ? opts.wrap(p) : new InputError({ file, ...p });
}

function failure(file: string, opts: ReadInputOptions, why: string): InputError {
  return problem(file, opts, { message: `cannot read the ${opts.what}: ${why}`, ...(opts.expected !== undefined ? { expected: opts.expected } : {}) });
}

function tooLarge(file: string, opts: ReadInputOptions, size: number): InputError {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return problem(file, opts, { message: 'file too large', expected: `at most ${mb(opts.maxBytes)}`, found: size > opts.maxBytes + 1 ? mb(size) : `more than ${mb(opts.maxBytes)}` });
}

/** Bytes read so far; `take` adds one read's bytes and refuses going over the cap. */
class Gathered {
  readonly chunks: Buffer[] = [];
  total = 0;
  readonly file: string;
  readonly opts: ReadInputOptions;
  constructor(file: string, opts: ReadInputOptions) {
    this.file = file;
    this.opts = opts;
  }
  /** A buffer for the next read: never more than one byte past the cap. */
  next(): Buffer {
    return Buffer.allocUnsafe(Math.max(1, Math.min(this.opts.maxBytes + 1 - this.total, 1 << 20)));
  }
  /** Keeps `n` bytes of `buf`; false at the end of the file. */
  take(buf: Buffer, n: number): boolean {
    if (n === 0) return false;
    this.chunks.push(buf.subarray(0, n));
    this.total += n;
    if (this.total > this.opts.maxBytes) throw tooLarge(this.file, this.opts, this.total);
    return true;
  }
  checkStats(st: Stats): void {
    if (!st.isFile()) throw failure(this.file, this.opts, kindOf(st));
    if (st.size > this.opts.maxBytes) throw tooLarge(this.file, this.opts, st.size);
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.total);
  }
}

function asInputError(e: unknown, file: string, opts: ReadInputOptions): InputError {
  return e instanceof InputError ? e : failure(file, opts, whyNot(e));
}

/** Reads a regular file of at most `maxBytes`. Throws InputError (no such file, a FIFO or device, too large...). */
export async function readInputFile(file: string, opts: ReadInputOptions): Promise<Buffer> {
  const g = new Gathered(file, opts);
  let fh;
  try {
    fh = await open(file, OPEN_FLAGS);
  } catch (e) {
    throw asInputError(e, file, opts);
  }
  try {
    g.checkStats(await fh.stat());
    for (let buf = g.next(); g.take(buf, (await fh.read(buf, 0, buf.length, null)).bytesRead); buf = g.next());
    return g.bytes();
  } catch (e) {
    throw asInputError(e, file, opts);
  } finally {
    await fh.close();
  }
}

/** The same, synchronously (scenarios loaded from text in memory resolve their `extends` this way). */
export function readInputFileSync(file: string, opts: ReadInputOptions): Buffer {
  const g = new Gathered(file, opts);
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw asInputError(e, file, opts);
  }
  try {
    g.checkStats(fstatSync(fd));
    for (let buf = g.next(); g.take(buf, readSync(fd, buf, 0, buf.length, null)); buf = g.next());
    return g.bytes();
  } catch (e) {
    throw asInputError(e, file, opts);
  } finally {
    closeSync(fd);
  }
}

/** Reads a regular UTF-8 text file (a BOM is dropped); see readInputFile. */
export async function readInputText(file: string, opts: ReadInputOptions): Promise<string> {
  return (await readInputFile(file, opts)).toString('utf8').replace(/^\uFEFF/, '');
}

/** Whether something exists at `file` (a missing optional file is skipped; anything else is read and checked). */
export async function pathExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (e: unknown) => (e as { code?: unknown }).code !== 'ENOENT',
  );
}

/**
 * For readers that stream a file line by line (sweep rows for --resume and merge): refuses anything but a
 * regular file before the stream opens it, as readInputFile does.
 */
export async function requireRegularFile(file: string, opts: Pick<ReadInputOptions, 'what' | 'expected' | 'wrap'>): Promise<void> {
  const o: ReadInputOptions = { ...opts, maxBytes: Number.MAX_SAFE_INTEGER };
  let st: Stats;
  try {
    st = await stat(file);
  } catch (e) {
    throw failure(file, o, whyNot(e));
  }
  if (!st.isFile()) throw failure(file, o, kindOf(st));
}

// ---------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------

/**
 * The output could not be written for a reason that is not the user's path (a full disk, /dev/full, an I/O
 * error): the CLI prints one line and exits 74 (EX_IOERR). A path that cannot be written (no such folder,
 * permission denied) stays bad input, exit 2.
 */
export class OutputError extends Error {
  readonly file: string;
  readonly code: string;
  constructor(file: string, code: string, message: string) {
    super(message);
    this.name = 'OutputError';
    this.file = file;
    this.code = code;
  }
}

/** Error codes that say the path named is wrong, not that the device failed. */
const PATH_CODES: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EISDIR', 'EROFS', 'ENAMETOOLONG', 'ELOOP', 'EEXIST', 'EINVAL']);

const DEVICE_WORDS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EIO: 'input/output error',
  EPIPE: 'the reader closed the pipe',
};

export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}

/** A one-line reason for a failed write: "no space left on the device (ENOSPC)". */
export function writeFailureText(e: unknown): string {
  const code = errorCode(e);
  const words = DEVICE_WORDS[code] ?? (e instanceof Error ? e.message.replace(/^[A-Z]+: /, '').replace(/, (write|open|close).*$/, '') : 'cannot write');
  return `${words} (${code})`;
}

/**
 * The error for a failed write of `file`: InputError (exit 2) naming `flag` when the path is wrong,
 * OutputError (exit 74) when the device failed. `after` is appended to the message (what to do next).
 */
export function writeFailure(file: string, e: unknown, flag: string, after = ''): Error {
  if (e instanceof InputError || e instanceof OutputError) return e;
  const code = errorCode(e);
  if (PATH_CODES.has(code)) return new InputError({ path: flag, message: `cannot write ${file}: ${pathProblem(file, code)}`, expected: 'a writable file path', found: file });
  return new OutputError(file, code, `cannot write ${file}: ${writeFailureText(e)}${after}`);
}

/** What is wrong with a path that could not be written, in words: "/etc/hostname is a file, not a folder". */
function pathProblem(file: string, code: string): string {
  // The nearest existing ancestor: a file where a folder should be is the usual mistake (EEXIST, ENOTDIR).
  for (let d = dirname(resolve(file)); ; d = dirname(d)) {
    let st: Stats | undefined;
    try {
      st = statSync(d);
    } catch {
      st = undefined;
    }
    if (st !== undefined) {
      if (!st.isDirectory()) return `${d} is a file, not a folder (${code})`;
      break;
    }
    if (dirname(d) === d) break;
  }
  const words: Readonly<Record<string, string>> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a folder',
    EROFS: 'the file system is read-only',
    ENAMETOOLONG: 'the name is too long',
    ENOENT: 'no such folder',
    ELOOP: 'too many symbolic links',
  };
  return `${words[code] ?? 'not a writable path'} (${code})`;
}

/** Write via a temporary file in the same folder and rename, so a reader never sees half a file. */
export async function writeFileAtomic(file: string, data: string, flag = '--out'): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw writeFailure(file, e, flag);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Where files named inside other files may be read from
// ---------------------------------------------------------------------------------------------------------

let outsideAllowed = false;

/** `--allow-outside`: files named inside other files (extends, an exercise's scenario, a session's exercise) may be read from anywhere. */
export function allowReadingOutside(allow = true): void {
  outsideAllowed = allow;
}

/**
 * The folders a file named inside another file may come from: the folder tree of the file the user named,
 * the working folder's tree, and the package's own scenarios. `extends: /etc/passwd.json` or
 * `../../../secret.yaml` from a scenario somewhere else is refused unless --allow-outside is given.
 */
export interface Confinement {
  readonly roots: readonly string[];
  readonly allowOutside: boolean;
}

/** The real path of `p` if it exists, else the real path of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  const abs = resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (let i = 0; i < 256; i++) {
    try {
      return join(realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = dirname(cur);
      if (parent === cur) break;
      rest.push(basename(cur));
      cur = parent;
    }
  }
  return abs;
}

export function confinementFor(userFile: string, opts: { allowOutside?: boolean } = {}): Confinement {
  const roots = [dirname(realish(userFile)), realish(process.cwd()), realish(fileURLToPath(packageFile('scenarios/')))];
  return { roots: [...new Set(roots)], allowOutside: opts.allowOutside ?? outsideAllowed };
}

/** True if `file` (after following symbolic links) lies inside one of the roots, or reading outside is allowed. */
export function isInsideRoots(file: string, c: Confinement): boolean {
  if (c.allowOutside) return true;
  const real = realish(file);
  return c.roots.some((root) => {
    const rel = relative(root, real);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  });
}

export const OUTSIDE_HINT = "a path inside this file's folder, the working folder or tradesim's scenarios (or --allow-outside)";
