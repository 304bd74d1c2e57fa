/**
 * The `uncertain:` section resolved against a loaded scenario: each entry's path (`countries[IND].patience`,
 * `parties[0].discount`, `countries[*].enforcement` expanded to one parameter per element) becomes a concrete
 * place in the scenario, with its current ("nominal") value. Values are set on a copy of the validated
 * scenario and validated again, so every run sees a scenario that passed the schema.
 *
 * Also the reverse: a set of values as the smallest YAML patch for a file that `extends` the original.
 */
import { InputError, describeValue } from '../core/errors.js';
import { readable, resolvePath, setAt, valueAt } from '../core/scenario/value-paths.js';
import type { InputProblem } from '../core/errors.js';
import type { ExpressionPlace } from '../core/expr.js';
import { issuesToProblems } from '../core/scenario/errors-map.js';
import type { PathItem } from '../core/scenario/introspect.js';
import { numberBounds, schemaAt, unwrap } from '../core/scenario/introspect.js';
import { scenarioProblems } from '../core/scenario/load.js';
import { ScenarioSchema } from '../core/scenario/schema.js';
import type { Scenario, Uncertain } from '../core/scenario/schema.js';

export type Value = number | string | boolean;

/** What check needs from a loaded scenario (LoadedScenario satisfies it). */
export interface ScenarioSource {
  readonly scenario: Scenario;
  readonly file: string;
  readonly document: unknown;
  where(path: readonly PathItem[]): ExpressionPlace;
}

export interface Parameter {
  /** Readable concrete path, e.g. countries[IND].patience. */
  readonly path: string;
  readonly items: readonly PathItem[];
  readonly spec: Exclude<Uncertain, 'fixed'>;
  /** The scenario's own value. */
  readonly nominal: Value;
  /** True if the schema wants a whole number here. */
  readonly integer: boolean;
  /** The `uncertain:` entry it came from (its key), for messages. */
  readonly entry: string;
}

export interface ResolvedParameters {
  readonly parameters: readonly Parameter[];
  /** Whether check draws the seed (default) or keeps the scenario's (`seed: fixed`). */
  readonly seed: 'drawn' | 'fixed';
}

export { resolvePath, valueAt } from '../core/scenario/value-paths.js';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export interface Assignment {
  readonly items: readonly PathItem[];
  readonly value: Value;
}

/**
 * The scenario with the values set, validated. Throws InputError naming the paths and values when the
 * combination is invalid (the schema's own message).
 */
export function withValues(s: Scenario, assignments: readonly Assignment[], origin: string): Scenario {
  if (assignments.length === 0) return s;
  const copy = structuredClone(s);
  for (const a of assignments) setAt(copy, a.items, a.value);
  const parsed = ScenarioSchema.safeParse(copy);
  // A changed scenario passes every check a loaded one does: its expressions compiled, its ids safe.
  const problems = parsed.success ? scenarioProblems(parsed.data) : issuesToProblems(parsed.error.issues, { document: copy, tree: { kind: 'map', entries: new Map(), origin: { file: origin } } });
  if (parsed.success && problems.length === 0) return parsed.data;
  const shown = assignments.map((a) => `${readable(a.items, s)} = ${describeValue(a.value)}`).join(', ');
  throw new InputError(problems.map((p): InputProblem => ({ path: p.path ?? '', message: `${p.message} (with ${shown}, from ${origin})`, ...(p.expected !== undefined ? { expected: p.expected } : {}), ...(p.found !== undefined ? { found: p.found } : {}) })));
}

/** Resolves `uncertain:`; problems name the entry's file and line. */
export function resolveParameters(src: ScenarioSource): ResolvedParameters {
  const s = src.scenario;
  const entries = Object.entries(s.uncertain ?? {});
  const problems: InputProblem[] = [];
  const parameters: Parameter[] = [];
  const seen = new Set<string>();
  let seed: 'drawn' | 'fixed' = 'drawn';
  // Entries naming one value come first, so that they override a [*] entry (e.g. one inherited from a base).
  const ordered = [...entries].sort(([a], [b]) => Number(a.includes('[*]')) - Number(b.includes('[*]')));
  for (const [key, spec] of ordered) {
    const where = src.where(['uncertain', key]);
    const wildcard = key.includes('[*]');
    if (key === 'seed') {
      if (spec === 'fixed') seed = 'fixed';
      else problems.push({ ...where, message: 'the seed is drawn by check unless it is fixed', expected: 'seed: fixed (or no entry)', found: describeValue(spec) });
      continue;
    }
    let resolved: PathItem[][];
    try {
      resolved = resolvePath(key, s);
    } catch (e) {
      problems.push({ ...where, message: `cannot ${spec === 'fixed' ? 'fix' : 'vary'} '${key}': ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    if (spec === 'fixed') continue;
    for (const items of resolved) {
      const path = readable(items, s);
      if (seen.has(path) && wildcard) continue;
      if (seen.has(path)) {
        problems.push({ ...where, message: `'${path}' is varied by two entries`, expected: 'each value in one entry' });
        continue;
      }
      seen.add(path);
      const nominal = valueAt(s, items);
      const kind = 'oneOf' in spec ? 'set' : 'number';
      if (kind === 'number' && typeof nominal !== 'number') {
        problems.push({ ...where, message: `'${path}' is not a number, so it cannot take a ${'range' in spec ? 'range' : 'distribution'}`, expected: 'a number field, or oneOf: [...] for other values', found: describeValue(nominal) });
        continue;
      }
      if (typeof nominal !== 'number' && typeof nominal !== 'string' && typeof nominal !== 'boolean') {
        problems.push({ ...where, message: `'${path}' holds ${describeValue(nominal)}; only numbers, text and true/false can vary`, expected: 'a path to a single value' });
        continue;
      }
      const field = schemaAt(items, s);
      const integer = field !== undefined && numberBounds(unwrap(field).core).integer;
      parameters.push({ path, items, spec, nominal, integer, entry: key });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { parameters, seed };
}

// ---------------------------------------------------------------------------------------------------------
// The reproduction patch
// ---------------------------------------------------------------------------------------------------------

/**
 * The smallest document that, merged over the original by `extends`, sets these values: mappings nest, lists
 * of elements with ids become `[{ id, ...changes }]` (merged by id), other lists are written whole.
 */
export function patchFor(s: Scenario, assignments: readonly Assignment[]): Record<string, unknown> {
  const changed = structuredClone(s);
  for (const a of assignments) setAt(changed, a.items, a.value);
  const patch: Record<string, unknown> = {};
  for (const a of assignments) {
    let out: Record<string, unknown> = patch;
    let node: unknown = changed;
    for (let k = 0; k < a.items.length; k++) {
      const key = a.items[k] as PathItem;
      const last = k === a.items.length - 1;
      const next = a.items[k + 1];
      if (typeof key === 'number') break; // handled by the parent step below
      const child: unknown = (node as Record<string, unknown>)[key];
      if (last) {
        out[key] = a.value;
        break;
      }
      if (Array.isArray(child) && typeof next === 'number') {
        const el: unknown = child[next];
        const allIds = child.every((x: unknown) => isRecord(x) && typeof x.id === 'string');
        if (!allIds || !isRecord(el) || k + 1 === a.items.length - 1) {
          out[key] = structuredClone(child); // written whole: merged lists without ids are replaced
          break;
        }
        const list = (Array.isArray(out[key]) ? out[key] : (out[key] = [])) as Record<string, unknown>[];
        let item = list.find((x) => x.id === el.id);
        if (item === undefined) list.push((item = { id: el.id }));
        out = item;
        node = el;
        k += 1;
        continue;
      }
      if (!isRecord(out[key])) out[key] = {};
      out = out[key] as Record<string, unknown>;
      node = child;
    }
  }
  return patch;
}
