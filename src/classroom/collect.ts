/**
 * The teacher's collect flow: session files named one by one, a class folder (searched for *.json), or a .zip
 * of them -> every session judged on its own: debriefed, or set aside with the reason (unfinished, the same
 * session twice, not a session, refused). One bad or unfinished file never stops the class debrief; only a
 * class with no usable session is an error.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { contentHash } from '../core/canonical.js';
import { InputError, formatProblem, type InputProblem } from '../core/errors.js';
import { readInputFile } from '../core/files.js';
import { SOURCE_LIMITS, decodeText, parseSource, toPlain, type SNode } from '../core/scenario/source.js';
import type { Debrief } from './debrief.js';
import { SESSION_KIND, playerNames } from './session.js';
import { sessionDebrief } from './verify.js';
import { isZip, readZip } from './zip.js';

/** One session file's text, from disk or from inside a zip ("class.zip:ann.session.json"). */
export interface Collected {
  readonly name: string;
  readonly bytes: Buffer;
  /** Where the file would sit on disk, for the exercise path it names (inside a zip: as if unpacked beside it). */
  readonly at?: string;
}

/** Most session files one debrief reads (a large class, several times over). */
export const MAX_SESSIONS = 5000;
const MAX_DEPTH = 6;

/**
 * By name without the extension, so "ann.session.json" comes before its numbered copy "ann-2.session.json"
 * (of a duplicate pair, the first is the one kept).
 */
function byName(a: string, b: string): number {
  const key = (n: string): string => n.replace(/(\.session)?\.json$/i, '');
  const [x, y] = [key(a), key(b)];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

async function walkFolder(dir: string, depth: number, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => byName(a.name, b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    // Debrief pages and hidden files are not sessions; symbolic links are not followed (no loops, no escapes).
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory() && depth < MAX_DEPTH) await walkFolder(p, depth + 1, out);
    else if (e.isFile() && /\.json$/i.test(e.name)) out.push(p);
    if (out.length > MAX_SESSIONS) throw new InputError({ file: dir, message: `more than ${MAX_SESSIONS} JSON files`, expected: 'a class folder of session files' });
  }
}

/** Files, folders and zips -> the session files' bytes, in the order given (folders and zips sorted by name). */
export async function collectInputs(paths: readonly string[]): Promise<Collected[]> {
  const out: Collected[] = [];
  for (const path of paths) {
    const st = await stat(path).catch(() => null);
    if (st?.isDirectory()) {
      const files: string[] = [];
      await walkFolder(path, 0, files);
      for (const f of files) out.push({ name: relative(process.cwd(), f) || f, bytes: await readInputFile(f, { what: 'session file', maxBytes: SOURCE_LIMITS.maxBytes }) });
      continue;
    }
    const bytes = await readInputFile(path, { what: 'session file', maxBytes: /\.zip$/i.test(path) ? 256 * 1024 * 1024 : SOURCE_LIMITS.maxBytes, expected: 'a session file, a class folder or a .zip of session files' });
    if (isZip(bytes)) {
      const entries = readZip(bytes, path, { maxEntryBytes: SOURCE_LIMITS.maxBytes, maxTotalBytes: 1024 * 1024 * 1024, maxEntries: MAX_SESSIONS * 4 }, (n) => /\.json$/i.test(n) && !/(^|\/)(\.|__MACOSX\/)/.test(n));
      entries.sort((a, b) => byName(a.name, b.name));
      for (const e of entries) out.push({ name: `${path}:${e.name}`, bytes: e.data, at: join(dirname(path), e.name) });
    } else out.push({ name: path, bytes });
    if (out.length > MAX_SESSIONS) throw new InputError({ file: path, message: `more than ${MAX_SESSIONS} session files`, expected: 'one class' });
  }
  return out;
}

/** Why a file was left out of the class debrief. */
export interface SetAside {
  readonly file: string;
  readonly why: 'unfinished' | 'duplicate' | 'not a session' | 'refused';
  /** One line: what is wrong, and what to do. */
  readonly text: string;
  /** The same as errors, for when no file is usable (exit 2). */
  readonly problems: readonly InputProblem[];
}

export interface ClassInput {
  readonly entries: readonly { readonly file: string; readonly debrief: Debrief }[];
  readonly setAside: readonly SetAside[];
  /** Notes to show (stored figures used because an exercise is not here, ...). */
  readonly notes: readonly string[];
}

/**
 * What makes two files the same session: one exercise situation, the same seats, students and moves (a copy,
 * or a session handed in twice). Two students who played the same moves under their own names are two.
 */
function sessionKey(doc: Record<string, unknown>): string {
  const ex = doc.exercise as { hash?: unknown } | undefined;
  return contentHash({ exercise: ex?.hash ?? null, seed: doc.seed ?? null, seats: doc.seats ?? null, players: doc.players ?? null, moves: doc.moves ?? null });
}

/** Judge every collected file: debrief the finished, distinct, intact sessions; set the rest aside, saying why. */
export async function classInput(files: readonly Collected[]): Promise<ClassInput> {
  const entries: { file: string; debrief: Debrief }[] = [];
  const setAside: SetAside[] = [];
  const notes: string[] = [];
  const seen = new Map<string, string>();
  const aside = (file: string, why: SetAside['why'], problems: readonly InputProblem[], text?: string): void => {
    setAside.push({ file, why, problems, text: text ?? problems.map(formatProblem).join('; ') });
  };
  for (const { name, bytes, at } of files) {
    let doc: unknown;
    let tree: SNode;
    try {
      tree = parseSource(decodeText(bytes, name), name, { what: 'value', format: 'json' });
      doc = toPlain(tree);
    } catch (e) {
      if (e instanceof InputError) {
        aside(name, 'not a session', e.problems);
        continue;
      }
      throw e;
    }
    const d = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
    if (d === null || d.kind !== SESSION_KIND) {
      aside(name, 'not a session', [{ file: name, path: 'kind', message: 'not a classroom session file', expected: `"kind": "${SESSION_KIND}" (written by tradesim play)`, found: d === null ? typeof doc : JSON.stringify(d.kind ?? null) }]);
      continue;
    }
    if (d.finished !== true) {
      const moves = Array.isArray(d.moves) ? d.moves.length : 0;
      const players = playerNames(d.players).join(', ');
      // Inside a zip the file must be unpacked before it can be resumed.
      const resume = at !== undefined ? `unpack it and run tradesim play --resume on it` : `tradesim play --resume ${name}`;
      const text = `unfinished (${players ? `${players}, ` : ''}${moves} move${moves === 1 ? '' : 's'} so far): not in the debrief; the student finishes it with ${resume}`;
      aside(name, 'unfinished', [{ file: name, message: text }], text);
      continue;
    }
    try {
      const entry = await sessionDebrief(name, doc, tree, at);
      const key = sessionKey(d);
      const first = seen.get(key);
      if (first !== undefined) {
        const text = `the same session as ${first} (same exercise, seats, students and moves): counted once`;
        aside(name, 'duplicate', [{ file: name, message: text }], text);
        continue;
      }
      seen.set(key, name);
      if (entry.note !== undefined) notes.push(entry.note);
      entries.push({ file: name, debrief: entry.debrief });
    } catch (e) {
      if (e instanceof InputError) aside(name, 'refused', e.problems);
      else throw e;
    }
  }
  return { entries, setAside, notes };
}
