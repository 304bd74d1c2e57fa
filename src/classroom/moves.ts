/**
 * Scripted moves for `tradesim play --moves FILE` (tests, automation, a teacher's worked example): a YAML or
 * JSON list, one entry per decision of a human seat, in the order the decisions come up:
 *
 *   - { offer: { tariff: 5, investment: 4.1667 } }   # a counter-offer; issues left out are at their minimum
 *   - repeat                                    # reject: make my last offer again
 *   - accept
 *   - walk                                      # walk away (no deal)
 *   - { seat: SAU, accept: true }               # with several seats, say whose move it is
 */
import { InputError } from '../core/errors.js';
import { parseSource, toPlain, walk, type SNode } from '../core/scenario/source.js';
import { placeOf } from '../core/scenario/errors-map.js';
import type { Move, Turn } from './human.js';
import { explainInvalid, snapTyped } from './human.js';
import { myLastOffer } from './ui/model.js';

export interface ScriptedMove {
  readonly index: number;
  readonly seat?: string;
  readonly kind: 'accept' | 'walk' | 'repeat' | 'offer';
  readonly offer?: Readonly<Record<string, number>>;
  readonly line?: number;
}

export interface MovesFile {
  readonly file: string;
  readonly moves: readonly ScriptedMove[];
}

const WORDS = ['accept', 'walk', 'repeat'] as const;

function bad(file: string, tree: SNode, path: (string | number)[], message: string, expected?: string): InputError {
  const place = placeOf(walk(tree, path).node.origin);
  return new InputError({
    file,
    ...(place.line !== undefined ? { line: place.line } : {}),
    path: path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(top level)',
    message,
    ...(expected !== undefined ? { expected } : {}),
  });
}

export function parseMoves(text: string, file: string): MovesFile {
  const tree = parseSource(text, file, { what: 'value' });
  const doc = toPlain(tree);
  if (!Array.isArray(doc)) throw bad(file, tree, [], 'a moves file is a list of moves', 'a list such as [accept] or [{ offer: { tariff: 5 } }]');
  const moves = doc.map((m: unknown, i): ScriptedMove => {
    const line = placeOf(walk(tree, [i]).node.origin).line;
    const at = line !== undefined ? { line } : {};
    if (typeof m === 'string') {
      if (!(WORDS as readonly string[]).includes(m)) throw bad(file, tree, [i], `unknown move "${m}"`, `one of ${WORDS.join(', ')}, or { offer: { issue: value } }`);
      return { index: i, kind: m as ScriptedMove['kind'], ...at };
    }
    if (m === null || typeof m !== 'object' || Array.isArray(m)) throw bad(file, tree, [i], 'not a move', `one of ${WORDS.join(', ')}, or { offer: { issue: value } }`);
    const o = m as Record<string, unknown>;
    const seat = typeof o.seat === 'string' ? o.seat : undefined;
    const keys = Object.keys(o).filter((k) => k !== 'seat');
    if (keys.length !== 1) throw bad(file, tree, [i], 'a move has exactly one of accept, walk, repeat or offer (plus an optional seat)', 'e.g. { seat: ARE, offer: { tariff: 5 } }');
    const kind = keys[0] as string;
    if (kind === 'offer') {
      const offer = o.offer;
      if (offer === null || typeof offer !== 'object' || Array.isArray(offer) || Object.values(offer).some((v) => typeof v !== 'number')) {
        throw bad(file, tree, [i, 'offer'], 'an offer maps issue names to numbers', '{ tariff: 5, investment: 4.1667 }');
      }
      return { index: i, kind: 'offer', offer: offer as Record<string, number>, ...(seat !== undefined ? { seat } : {}), ...at };
    }
    if (!(WORDS as readonly string[]).includes(kind)) throw bad(file, tree, [i, kind], `unknown move "${kind}"`, `one of ${WORDS.join(', ')}, offer`);
    return { index: i, kind: kind as ScriptedMove['kind'], ...(seat !== undefined ? { seat } : {}), ...at };
  });
  return { file, moves };
}

/** A scripted move made concrete on a turn; an InputError naming the moves file and line if it does not fit. */
export function toMove(f: MovesFile, m: ScriptedMove, turn: Turn): Move {
  const where = { file: f.file, ...(m.line !== undefined ? { line: m.line } : {}), path: `[${m.index}]` };
  if (m.seat !== undefined && m.seat !== turn.seat) {
    throw new InputError({ ...where, message: `this move is for ${m.seat}, but the decision due is ${turn.seat}'s (${turn.context.label}, offer ${turn.step + 1})` });
  }
  let outcome: number[] | undefined;
  let type: Move['type'];
  if (m.kind === 'offer') {
    const names = turn.issues.map((i) => i.name);
    const unknown = Object.keys(m.offer ?? {}).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new InputError({ ...where, message: `unknown issue ${unknown.map((u) => `"${u}"`).join(', ')}`, expected: `issues of this negotiation: ${names.join(', ')}` });
    // A value written as the screens show it (4.167 for 4.1666...) is that grid value.
    outcome = turn.issues.map((iss) => snapTyped(iss, m.offer?.[iss.name] ?? iss.min));
    type = 'offer';
  } else if (m.kind === 'repeat') {
    const mine = myLastOffer(turn);
    if (!mine) throw new InputError({ ...where, message: 'repeat: no earlier offer of yours in this negotiation' });
    outcome = [...mine];
    type = 'offer';
  } else {
    type = m.kind === 'accept' ? 'accept' : 'end';
  }
  const problem = explainInvalid(turn, type, outcome);
  if (problem !== null) throw new InputError({ ...where, message: `move not allowed at ${turn.seat}'s ${turn.context.label} offer ${turn.step + 1}: ${problem}` });
  return { seat: turn.seat, type, round: turn.context.round, step: turn.step, ...(outcome ? { outcome } : {}) };
}
