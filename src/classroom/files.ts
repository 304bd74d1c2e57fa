/** Session files on disk: read (untrusted JSON, checked), and the names of the debrief files next to them. */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { readInputFile } from '../core/files.js';
import { issuesToProblems } from '../core/scenario/errors-map.js';
import { SOURCE_LIMITS, decodeText, parseSource, toPlain, type SNode } from '../core/scenario/source.js';
import { SESSION_KIND, SESSION_VERSION, sessionDigest, type SessionFile } from './session.js';

const MoveSchema = z.strictObject({
  seat: z.string().min(1).max(32),
  type: z.enum(['accept', 'offer', 'end']),
  outcome: z.array(z.number()).max(16).optional(),
  round: z.number().int().min(1),
  step: z.number().int().min(0),
});

const SessionSchema = z.looseObject({
  kind: z.literal(SESSION_KIND),
  version: z.literal(SESSION_VERSION),
  exercise: z.looseObject({ file: z.string().min(1), id: z.string(), title: z.string(), level: z.string(), hash: z.string() }),
  seed: z.number().int().min(0),
  seats: z.array(z.string().min(1).max(32)).min(1).max(16),
  players: z.record(z.string(), z.string().max(80)),
  moves: z.array(MoveSchema).max(100_000),
  finished: z.boolean(),
  digest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

/** A session file whose content does not match its digest was edited or damaged (exit 2). */
export function checkDigest(file: string, doc: unknown): void {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return;
  const digest = (doc as { digest?: unknown }).digest;
  if (digest === undefined) return;
  if (typeof digest !== 'string' || digest !== sessionDigest(doc as Record<string, unknown>)) {
    throw new InputError({ file, path: 'digest', message: 'the session file was edited or damaged: its content does not match its digest', expected: 'the file as tradesim play wrote it' });
  }
}

export async function readJsonFile(file: string, what: string): Promise<{ doc: unknown; tree: SNode }> {
  const bytes = await readInputFile(file, { what, maxBytes: SOURCE_LIMITS.maxBytes });
  const tree = parseSource(decodeText(bytes, file), file, { what: 'value', format: 'json' });
  return { doc: toPlain(tree), tree };
}

export async function readSession(file: string): Promise<SessionFile> {
  const { doc, tree } = await readJsonFile(file, 'session file');
  checkDigest(file, doc);
  return parseSession(file, doc, tree);
}

/** A parsed session file checked against the session format (problems located when the tree is given). */
export function parseSession(file: string, doc: unknown, tree?: SNode): SessionFile {
  const parsed = SessionSchema.safeParse(doc);
  if (!parsed.success) throw new InputError(issuesToProblems(parsed.error.issues, { document: doc, tree: tree ?? { kind: 'map', entries: new Map(), origin: { file } }, schema: SessionSchema }));
  return parsed.data as unknown as SessionFile;
}

/** "class/ann.session.json" -> "class/ann" (then + ".debrief.md", ".debrief.html"). */
export function debriefBase(sessionPath: string): string {
  return sessionPath.replace(/(\.session)?\.json$/i, '');
}
