/**
 * Session file names that never collide: one per student (the exercise, the seats and the students' names),
 * taken by creating the file exclusively, so that two students starting in one shared lab folder at the same
 * moment still get two files, and a classmate's session (finished or not) is never overwritten.
 */
import { lstat, mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode, readInputFile, writeFailure } from '../core/files.js';
import { SESSION_KIND, playerNames } from './session.js';

/** "Ann Lee" -> "Ann-Lee": a student's name as part of a file name (letters and digits of any script). */
export function nameSlug(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/**
 * The default session file: `<exercise>-<seats>-<names>.session.json` ("gulf-compute-deal-ARE-Ann"), without
 * the names when every seat is played under its own id (no --name).
 */
export function defaultSessionName(exerciseId: string, seats: readonly string[], players: Readonly<Record<string, string>>): string {
  const names = seats.map((s) => players[s] ?? s).filter((n, i) => n !== seats[i]).map(nameSlug).filter(Boolean);
  return `${[exerciseId, ...seats, ...names].join('-')}.session.json`;
}

/** What a file that is in the way holds: a session (whose, how far), something else, or nothing. */
export type Occupant = { readonly kind: 'session'; readonly finished: boolean; readonly players: string; readonly moves: number } | { readonly kind: 'other' };

export async function occupant(path: string): Promise<Occupant | null> {
  try {
    await lstat(path);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return null;
  }
  let bytes: Buffer;
  try {
    bytes = await readInputFile(path, { what: 'session file', maxBytes: 64 * 1024 * 1024 });
  } catch {
    return { kind: 'other' };
  }
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { kind?: unknown; finished?: unknown; players?: unknown; moves?: unknown };
    if (doc.kind !== SESSION_KIND) return { kind: 'other' };
    return { kind: 'session', finished: doc.finished === true, players: playerNames(doc.players).join(', ') || 'unknown', moves: Array.isArray(doc.moves) ? doc.moves.length : 0 };
  } catch {
    return { kind: 'other' };
  }
}

/** "a finished session (Ann)", "an unfinished session (Bo, 3 moves)", "another file". */
export function occupantText(o: Occupant): string {
  if (o.kind === 'other') return 'a file that is not a session of this exercise';
  return o.finished ? `a finished session (${o.players})` : `an unfinished session (${o.players}, ${o.moves} move${o.moves === 1 ? '' : 's'})`;
}

/** Create `path` with `data` only if nothing is there (O_EXCL): true when this process now owns the name. */
export async function createExclusive(path: string, data: string, flag: string): Promise<boolean> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const h = await open(path, 'wx');
    try {
      await h.writeFile(data);
    } finally {
      await h.close();
    }
    return true;
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return false;
    throw writeFailure(path, e, flag);
  }
}

/** "class/gulf-ARE.session.json" -> "class/gulf-ARE-2.session.json", -3, ... */
export function numbered(path: string, k: number): string {
  return k <= 1 ? path : path.replace(/(\.session)?\.json$/i, (ext) => `-${k}${ext}`);
}

/** The first free name of `path`, `path`-2, ... (created with `data`), and the names found taken on the way. */
export async function claimFree(path: string, data: string, flag = '--save'): Promise<{ path: string; taken: { path: string; occupant: Occupant }[] }> {
  const taken: { path: string; occupant: Occupant }[] = [];
  for (let k = 1; k <= 999; k++) {
    const p = numbered(path, k);
    if (await createExclusive(p, data, flag)) return { path: p, taken };
    taken.push({ path: p, occupant: (await occupant(p)) ?? { kind: 'other' } });
  }
  throw writeFailure(path, Object.assign(new Error('999 session files of this name already exist'), { code: 'EEXIST' }), flag);
}

/** Give a claimed name back (the student left before making a move). */
export async function release(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}
