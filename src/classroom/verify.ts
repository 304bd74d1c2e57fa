/**
 * What `tradesim debrief` trusts in a student's session file: nothing it can recompute. A session file is
 * untrusted (a student can edit it): its digest must match its content, and the debrief figures come from
 * replaying its moves on the exercise (same level and seed), as `play --resume` would. Only when the exercise
 * is not available here (another machine's path, an exercise changed since) are the stored figures used, and
 * then every number is checked (finite, bounded) and every total is recomputed from the per-negotiation
 * figures, never read.
 */
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { confinementFor, isInsideRoots } from '../core/files.js';
import { packageFile } from '../core/paths.js';
import { issuesToProblems } from '../core/scenario/errors-map.js';
import { walk, type SNode } from '../core/scenario/source.js';
import { readSessionDebrief } from './class-debrief.js';
import { buildDebrief, type Debrief, type NegotiationSummary, type Point, type SeatSide } from './debrief.js';
import { loadExercise, type LoadedExercise } from './exercise.js';
import { checkDigest, parseSession } from './files.js';
import { advance } from './session.js';

/** Money and utilities in a session: finite and far below anything a run produces. */
const LIMIT = 1e15;
const fin = z.number().min(-LIMIT).max(LIMIT);
const point = z.tuple([fin, fin]);
const text = (max: number) => z.string().max(max);
const NegotiationSchema = z.looseObject({
  round: z.number().int().min(0).max(100_000),
  label: text(80),
  counterpart: text(80),
  strategies: z.looseObject({ seat: text(80), counterpart: text(80) }),
  reason: text(40),
  steps: z.number().int().min(0).max(100_000),
  deadline: z.number().int().min(0).max(100_000),
  issues: z.array(z.looseObject({ name: text(80), unit: text(80) })).max(16),
  terms: z.record(text(80), fin).nullable(),
  scale: point,
  utility: point,
  payoff: point,
  reservation: point,
  nash: point.nullable(),
  ks: point.nullable(),
  firstAsk: fin.nullable(),
  biggestConcession: z.looseObject({ step: z.number().int().min(0), drop: fin }).nullable(),
  offers: z.array(z.looseObject({ step: z.number().int().min(0), mine: z.boolean(), utility: point, outcome: z.array(fin).max(16) })).max(100_000),
  frontier: z.array(point).max(1_000_000),
});
const SideSchema = z.looseObject({ strategy: text(80), outcome: z.record(text(80), fin), negotiations: z.array(NegotiationSchema).max(10_000) });
const SeatSchema = z.looseObject({ seat: text(32), name: text(80), kind: z.enum(['exporter', 'country', 'adversary']), player: text(80), student: SideSchema, computer: SideSchema });
export const StoredDebriefSchema = z.looseObject({
  exercise: z.looseObject({ id: text(80), title: text(200), level: text(80), hash: text(64) }),
  seed: z.number().int().min(0),
  objectives: z.array(text(2000)).max(100),
  questions: z.array(text(2000)).max(100),
  seats: z.array(SeatSchema).min(1).max(16),
});

const sum = (ns: readonly NegotiationSummary[], pick: (n: NegotiationSummary) => Point | null): number | null =>
  ns.length === 0 || ns.some((n) => pick(n) === null) ? null : ns.reduce((a, n) => a + (pick(n)?.[0] ?? 0) * n.scale[0], 0);

function totals(side: SeatSide): SeatSide {
  return { ...side, totalUsd: sum(side.negotiations, (n) => n.payoff) ?? 0, utilityUsd: sum(side.negotiations, (n) => n.utility) ?? 0 };
}

/** The stored debrief of a session, checked number by number, with every total recomputed from its parts. */
export function storedDebrief(file: string, doc: unknown, tree?: SNode): Debrief {
  readSessionDebrief(file, doc);
  const raw = (doc as { debrief: unknown }).debrief;
  const parsed = StoredDebriefSchema.safeParse(raw);
  if (!parsed.success) {
    const subtree: SNode = tree !== undefined ? walk(tree, ['debrief']).node : { kind: 'map', entries: new Map(), origin: { file } };
    const problems = issuesToProblems(parsed.error.issues, { document: raw, tree: subtree, schema: StoredDebriefSchema });
    throw new InputError(problems.slice(0, 5).map((p) => ({ ...p, file, path: `debrief.${p.path ?? ''}`, message: `${p.message} (the session file was edited or damaged)` })));
  }
  const d = parsed.data as unknown as Debrief;
  return {
    ...d,
    seats: d.seats.map((s) => {
      const student = totals(s.student);
      return { ...s, student, computer: totals(s.computer), nashUsd: sum(student.negotiations, (n) => n.nash), ksUsd: sum(student.negotiations, (n) => n.ks) };
    }),
  };
}

/**
 * The exercise a session file was played on, found here: the path it names (relative to the session file's
 * folder; older files name it absolutely, or relative to where they were played), else a shipped exercise of
 * that name. A path is only a hint: the exercise is the one whose hash (exercise, level, scenario and seed)
 * matches the session's, so a class folder moved to another machine still resumes and debriefs.
 */
export async function locateExercise(
  sessionPath: string,
  stored: { readonly file: string; readonly level: string; readonly hash: string },
  seed: number,
): Promise<{ readonly ex: LoadedExercise } | { readonly why: string; readonly outside: boolean }> {
  const named = stored.file;
  const near = isAbsolute(named) ? [named] : [resolve(dirname(sessionPath), named), resolve(named)];
  const shipped = fileURLToPath(packageFile(`scenarios/exercises/${basename(named)}`));
  const confinement = confinementFor(sessionPath);
  let why = `its exercise ${JSON.stringify(basename(named))} is not available here`;
  // A session file is untrusted: the path it names is read only inside the folders a session may read.
  const inside = near.filter((f) => isInsideRoots(f, confinement));
  for (const file of [...new Set([...inside, shipped])]) {
    if (!existsSync(file)) continue;
    let ex: LoadedExercise;
    try {
      ex = await loadExercise(relative(process.cwd(), file) || file, { level: stored.level, seed });
    } catch (e) {
      if (e instanceof InputError) {
        why = `its exercise ${JSON.stringify(file)} cannot be loaded`;
        continue;
      }
      throw e;
    }
    if (ex.hash === stored.hash) return { ex };
    why = `its exercise ${JSON.stringify(relative(process.cwd(), file) || file)} has changed since the session was played`;
  }
  return { why, outside: inside.length === 0 };
}

export interface ClassEntry {
  readonly debrief: Debrief;
  /** Why the stored figures were used instead of a replay, if they were. */
  readonly note?: string;
}

/** A finished session file's debrief for the class debrief: replayed from its moves when its exercise is here. */
export async function sessionDebrief(file: string, doc: unknown, tree?: SNode, at: string = file): Promise<ClassEntry> {
  checkDigest(file, doc);
  const stored = storedDebrief(file, doc, tree);
  const s = parseSession(file, doc, tree);
  const found = await locateExercise(at, s.exercise, s.seed);
  if ('why' in found) return { debrief: stored, note: `${file}: ${found.why}; its figures are the ones stored in the session (checked, totals recomputed)` };
  const { ex } = found;
  const session = { ex, seats: [...s.seats], players: s.players, moves: [...s.moves] };
  let state;
  try {
    state = advance(session);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, file: p.file ?? file })));
    throw e;
  }
  if (state.status !== 'finished') {
    throw new InputError({ file, path: 'moves', message: 'the session is marked finished but its moves do not finish the exercise (the file was edited)', expected: 'a session file written by tradesim play' });
  }
  return { debrief: buildDebrief(session, state.result) };
}
