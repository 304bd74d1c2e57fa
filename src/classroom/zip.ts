/**
 * Reading the files out of a .zip (a class's session files as a learning platform hands them back), in memory
 * and never onto disk, so entry names cannot place files anywhere. Stored and deflated entries only (what
 * every zip tool writes by default); zip64, encryption and multi-disk archives are refused with a message.
 * The archive is untrusted: every size is checked against the caps before anything is inflated, and inflating
 * stops at the size the entry declares.
 */
import { inflateRawSync } from 'node:zlib';
import { InputError } from '../core/errors.js';

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

export interface ZipLimits {
  /** Largest uncompressed entry. */
  readonly maxEntryBytes: number;
  /** Largest total uncompressed. */
  readonly maxTotalBytes: number;
  /** Most entries read. */
  readonly maxEntries: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === LOCAL;
}

/** The entries whose names `want` accepts, in archive order. */
export function readZip(bytes: Buffer, file: string, limits: ZipLimits, want: (name: string) => boolean): ZipEntry[] {
  const bad = (message: string): InputError => new InputError({ file, message: `not a zip archive tradesim can read: ${message}`, expected: 'a .zip of session files (stored or deflated entries)' });
  // The end-of-central-directory record: the last 22 bytes, or up to 64 kB earlier when it has a comment.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-archive record');
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw bad('zip64 archives are not supported');
  if (bytes.readUInt16LE(eocd + 4) !== 0 || bytes.readUInt16LE(eocd + 6) !== 0) throw bad('multi-disk archives are not supported');
  if (offset + size > eocd) throw bad('the central directory lies outside the file');
  if (count > limits.maxEntries) throw new InputError({ file, message: `the archive has ${count} entries`, expected: `at most ${limits.maxEntries}` });
  const out: ZipEntry[] = [];
  let total = 0;
  let p = offset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || bytes.readUInt32LE(p) !== CENTRAL) throw bad(`entry ${k + 1}: broken central directory`);
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const csize = bytes.readUInt32LE(p + 20);
    const usize = bytes.readUInt32LE(p + 24);
    const nlen = bytes.readUInt16LE(p + 28);
    const xlen = bytes.readUInt16LE(p + 30);
    const clen = bytes.readUInt16LE(p + 32);
    const local = bytes.readUInt32LE(p + 42);
    const name = bytes.subarray(p + 46, p + 46 + nlen).toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1');
    p += 46 + nlen + xlen + clen;
    if (name.endsWith('/') || !want(name)) continue;
    if ((flags & 0x1) !== 0) throw bad(`${name} is encrypted`);
    if (usize > limits.maxEntryBytes) throw new InputError({ file, path: name, message: `the entry is ${usize} bytes uncompressed`, expected: `at most ${limits.maxEntryBytes}` });
    total += usize;
    if (total > limits.maxTotalBytes) throw new InputError({ file, message: 'the archive holds too much data', expected: `at most ${limits.maxTotalBytes} bytes uncompressed` });
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) throw bad(`${name}: broken local header`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    if (start + csize > bytes.length) throw bad(`${name}: the data lies outside the file`);
    const raw = bytes.subarray(start, start + csize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        // maxOutputLength: a lying size cannot make inflating run away.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, usize) });
      } catch {
        throw bad(`${name}: its data does not inflate to the size it declares`);
      }
    } else throw bad(`${name} uses compression method ${method} (only stored and deflated entries are read)`);
    if (data.length !== usize) throw bad(`${name}: its data does not match the size it declares`);
    out.push({ name, data });
  }
  return out;
}
