/**
 * The `uncertain:` section resolved against a loaded scenario: each entry's path (`countries[IND].patience`,
 * `parties[0].discount`, `countries[*].enforcement` expanded to one parameter per element) becomes a concrete
 * place in the scenario, with its current ("nominal") value. Values are set on a copy of the validated
 * scenario and validated again, so every run sees a scenario that passed the schema.
 *
 * Also the reverse: a set of values as the smallest YAML patch for a file that `extends` the original.
 */
import { InputError, describeValue } from '../core/errors.js';
import type { InputProblem } from '../core/errors.js';
import type { ExpressionPlace } from '../core/expr.js';
import { issuesToProblems } from '../core/scenario/errors-map.js';
import type { PathItem } from '../core/scenario/introspect.js';
import { numberBounds, schemaAt, unwrap } from '../core/scenario/introspect.js';
import { parseSetArgument } from '../core/scenario/overrides.js';
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

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function readable(items: readonly PathItem[], root: unknown): string {
  let out = '';
  let node: unknown = root;
  for (const p of items) {
    if (typeof p === 'number') {
      const el: unknown = Array.isArray(node) ? node[p] : undefined;
      const id = isRecord(el) && typeof el.id === 'string' ? el.id : undefined;
      out += `[${id ?? p}]`;
      node = el;
    } else {
      out += out === '' ? p : `.${p}`;
      node = isRecord(node) ? node[p] : undefined;
    }
  }
  return out;
}

/** Top-level sections that `uncertain:` and `with:` cannot reach. */
const NOT_VARIABLE: ReadonlySet<string> = new Set(['kind', 'extends', 'uncertain', 'invariants']);

/**
 * Resolves a --set style path in `root` to concrete item lists (several with [*]). Throws a plain message (the
 * caller adds the place).
 */
export function resolvePath(path: string, root: unknown): PathItem[][] {
  let steps;
  try {
    steps = parseSetArgument(`${path}=0`).path;
  } catch (e) {
    throw new Error(e instanceof InputError ? (e.problems[0]?.message ?? 'malformed path').replace(/ \(in --set .*\)$/, '') : 'malformed path');
  }
  const section = steps[0]?.text ?? '';
  if (NOT_VARIABLE.has(section)) throw new Error(`'${section}' is not a value of the model: the check's own declarations and the file's structure cannot vary`);
  let paths: { items: PathItem[]; node: unknown }[] = [{ items: [], node: root }];
  for (const step of steps) {
    const next: { items: PathItem[]; node: unknown }[] = [];
    for (const { items, node } of paths) {
      const here = readable(items, root) || '(top level)';
      if (Array.isArray(node)) {
        if (step.text === '*' && !step.quoted) {
          node.forEach((el: unknown, i) => next.push({ items: [...items, i], node: el }));
          continue;
        }
        let index = !step.quoted && /^\d+$/.test(step.text) ? Number(step.text) : node.findIndex((el: unknown) => isRecord(el) && el.id === step.text);
        if (index < 0 || index >= node.length) {
          const ids = node.map((el: unknown) => (isRecord(el) && typeof el.id === 'string' ? el.id : undefined)).filter((x) => x !== undefined);
          throw new Error(`${here} has no element '${step.text}' (${ids.length > 0 ? `ids: ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', ...' : ''}; ` : ''}indices 0 to ${node.length - 1}, or *)`);
        }
        index = Math.trunc(index);
        next.push({ items: [...items, index], node: node[index] });
      } else if (isRecord(node)) {
        if (!Object.prototype.hasOwnProperty.call(node, step.text)) {
          throw new Error(`${here} has no value '${step.text}'${Object.keys(node).length > 0 ? ` (it has ${Object.keys(node).slice(0, 16).join(', ')})` : ''}`);
        }
        next.push({ items: [...items, step.text], node: node[step.text] });
      } else {
        throw new Error(`${here} is ${describeValue(node)}, so it has no '${step.text}'`);
      }
    }
    paths = next;
  }
  return paths.map((p) => p.items);
}

export function valueAt(root: unknown, items: readonly PathItem[]): unknown {
  let node = root;
  for (const p of items) node = Array.isArray(node) ? (node as unknown[])[p as number] : isRecord(node) ? node[String(p)] : undefined;
  return node;
}

function setAt(root: unknown, items: readonly PathItem[], value: unknown): void {
  let node = root;
  items.forEach((p, k) => {
    if (k === items.length - 1) (node as Record<string | number, unknown>)[p] = value;
    else node = (node as Record<string | number, unknown>)[p];
  });
}

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
