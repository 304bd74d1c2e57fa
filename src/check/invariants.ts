/**
 * The `invariants:` section compiled once, at load, in the expression sandbox (src/core/expr.ts, with list
 * variables and aggregates switched on), and evaluated over one run (plain invariants) or two runs
 * (comparative ones: `a` as drawn, `b` with `with:` applied and the same seed).
 *
 * Invariant expressions are untrusted like every other expression: each problem names the file, the path
 * (`invariants.NAME` or `invariants.NAME.expect`) and the line.
 */
import { canonicalJson } from '../core/canonical.js';
import { InputError, describeValue } from '../core/errors.js';
import type { InputProblem } from '../core/errors.js';
import type { Result } from '../core/events.js';
import { compileExpression } from '../core/expr.js';
import type { AggregateTrace, CompiledExpression, ExpressionPlace } from '../core/expr.js';
import type { PathItem } from '../core/scenario/introspect.js';
import type { Scenario } from '../core/scenario/schema.js';
import { catalogue, needsEvents, outputsOf } from './outputs.js';
import type { Outputs, Scope } from './outputs.js';
import { resolvePath, valueAt, withValues } from './params.js';
import type { Assignment, ScenarioSource, Value } from './params.js';

/** One `with:` change for the second run of a comparative invariant. */
export interface Change {
  readonly path: string;
  readonly items: readonly PathItem[];
  readonly change: Value | { readonly times: number } | { readonly plus: number };
}

export interface CompiledInvariant {
  readonly name: string;
  readonly description: string;
  /** single: one run; pair: two runs related by `expect`; identical: two runs that must match. */
  readonly kind: 'single' | 'pair' | 'identical';
  /** The expression as written, or "identical". */
  readonly source: string;
  readonly expression?: CompiledExpression;
  readonly changes: readonly Change[];
  readonly where: ExpressionPlace;
  /** The runs need the event log (negotiations, deals, or an identical comparison). */
  readonly events: boolean;
}

export interface ValueSeen {
  readonly name: string;
  readonly value: string;
}

export interface Verdict {
  readonly invariant: string;
  readonly holds: boolean;
  /** Why it could not be evaluated (a run or the expression failed), if so. */
  readonly error?: string;
  /** The values the expression read, formatted. */
  readonly values: readonly ValueSeen[];
  /** For a failed all(): which elements were false (country ids, round labels...). */
  readonly witnesses: readonly string[];
}

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'null';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return x.toPrecision(6);
  return String(Number(x.toPrecision(6)));
}

/** Compiles every invariant that is not `off`. Throws one InputError listing every problem. */
export function compileInvariants(src: ScenarioSource): CompiledInvariant[] {
  const s = src.scenario;
  const single = catalogue(s);
  const a = catalogue(s, 'a.');
  const b = catalogue(s, 'b.');
  const pair = { scalars: [...a.scalars, ...b.scalars], lists: { ...a.lists, ...b.lists } };
  const out: CompiledInvariant[] = [];
  const problems: InputProblem[] = [];
  for (const [name, inv] of Object.entries(s.invariants ?? {})) {
    if (inv === 'off') continue;
    const obj = typeof inv === 'string' ? { expect: inv, description: '' } : inv;
    const withChanges = typeof inv === 'string' ? undefined : inv.with;
    const twoRuns = withChanges !== undefined || (typeof inv !== 'string' && inv.identical === true);
    const exprPath: PathItem[] = typeof inv === 'string' ? ['invariants', name] : ['invariants', name, 'expect'];
    const where = src.where(exprPath);
    const changes: Change[] = [];
    for (const [path, change] of Object.entries(withChanges ?? {})) {
      try {
        const found = resolvePath(path, s);
        for (const items of found) {
          const current = valueAt(s, items);
          if (typeof change === 'object' && typeof current !== 'number') throw new Error(`${path} is ${describeValue(current)}, so it cannot be multiplied or added to`);
          changes.push({ path, items, change });
        }
      } catch (e) {
        problems.push({ ...src.where(['invariants', name, 'with', path]), message: `invariant '${name}': cannot change '${path}': ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    let expression: CompiledExpression | undefined;
    if (obj.expect !== undefined) {
      const vars = twoRuns ? pair : single;
      try {
        expression = compileExpression(obj.expect, { where, variables: vars.scalars, lists: vars.lists, type: 'boolean' });
      } catch (e) {
        if (e instanceof InputError) {
          problems.push(...e.problems.map((p) => (twoRuns && /unknown name/.test(p.message) && !/'[ab]\./.test(p.message) ? { ...p, message: `${p.message} (a comparative invariant reads a.<output> and b.<output>)` } : p)));
        } else throw e;
      }
    }
    const kind = !twoRuns ? 'single' : obj.expect !== undefined ? 'pair' : 'identical';
    out.push({
      name,
      description: obj.description,
      kind,
      source: obj.expect ?? 'identical',
      ...(expression !== undefined ? { expression } : {}),
      changes,
      where,
      events: kind === 'identical' || needsEvents(expression?.variables ?? []),
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

/** The second run's scenario for a comparative invariant: `a` with the changes applied, validated. */
export function secondScenario(inv: CompiledInvariant, a: Scenario): Scenario {
  const assignments: Assignment[] = inv.changes.map((c) => {
    const current = valueAt(a, c.items);
    const ch = c.change;
    let value: Value;
    if (typeof ch !== 'object') value = ch;
    else if ('times' in ch) value = (current as number) * ch.times;
    else value = (current as number) + ch.plus;
    return { items: c.items, value };
  });
  return withValues(a, assignments, `invariants.${inv.name}.with`);
}

function describeList(values: readonly number[], labels: readonly string[] | undefined, max = 8): string {
  const shown = values.slice(0, max).map((v, i) => `${labels?.[i] ?? i}=${formatNumber(v)}`);
  return `[${shown.join(', ')}${values.length > max ? `, ... (${values.length} in all)` : ''}]`;
}

function valuesSeen(expr: CompiledExpression, scope: Scope, labels: Readonly<Record<string, readonly string[]>>, lists: Readonly<Record<string, string>>): ValueSeen[] {
  return expr.variables.map((name) => {
    const v = scope[name];
    if (Array.isArray(v)) return { name, value: describeList(v as number[], labels[lists[name] ?? '']) };
    return { name, value: typeof v === 'number' ? formatNumber(v) : describeValue(v) };
  });
}

function witnessesOf(traces: readonly AggregateTrace[], labels: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  for (const t of traces) {
    if (t.fn !== 'all' || t.indices.length === 0) continue;
    const names = t.indices.slice(0, 12).map((i) => labels[t.kind]?.[i] ?? `#${i}`);
    out.push(`all() over ${t.kind} is false for ${names.join(', ')}${t.indices.length > 12 ? `, ... (${t.indices.length} in all)` : ''}`);
  }
  return out;
}

const listKinds = (s: Scenario): Readonly<Record<string, string>> => {
  const single = catalogue(s);
  return { ...single.lists, ...catalogue(s, 'a.').lists, ...catalogue(s, 'b.').lists };
};

function evaluateExpression(inv: CompiledInvariant, outputs: Outputs, s: Scenario): Verdict {
  const expr = inv.expression as CompiledExpression;
  try {
    const { value, aggregates } = expr.explain(outputs.scope);
    const holds = value !== 0;
    return {
      invariant: inv.name,
      holds,
      values: holds ? [] : valuesSeen(expr, outputs.scope, outputs.labels, listKinds(s)),
      witnesses: holds ? [] : witnessesOf(aggregates, outputs.labels),
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { invariant: inv.name, holds: false, error: `cannot be evaluated: ${e.problems[0]?.message ?? e.message}`, values: [], witnesses: [] };
  }
}

/** A plain invariant over one run. */
export function evaluateSingle(inv: CompiledInvariant, r: Result, s: Scenario): Verdict {
  return evaluateExpression(inv, outputsOf(r), s);
}

/** What two runs must share for `identical`: everything but the stamp and the parameters. */
function outcomeOf(r: Result): unknown {
  return r.kind === 'chips' ? { rounds: r.rounds, countries: r.countries, adversaries: r.adversaries, metrics: r.metrics } : { negotiation: r.negotiation, theory: r.theory };
}

/** The first place two JSON values differ, as a path. */
function firstDifference(x: unknown, y: unknown, path = ''): string | undefined {
  if (canonicalJson(x) === canonicalJson(y)) return undefined;
  if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null) {
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    for (const k of keys) {
      const d = firstDifference((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], Array.isArray(x) ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`);
      if (d !== undefined) return d;
    }
  }
  return `${path || '(top)'}: ${describeValue(typeof x === 'number' ? formatNumber(x) : x)} vs ${describeValue(typeof y === 'number' ? formatNumber(y) : y)}`;
}

/** A comparative invariant over runs a and b. */
export function evaluatePair(inv: CompiledInvariant, a: Result, b: Result, s: Scenario): Verdict {
  if (inv.kind === 'identical') {
    const d = firstDifference(outcomeOf(a), outcomeOf(b));
    return { invariant: inv.name, holds: d === undefined, values: d === undefined ? [] : [{ name: 'first difference', value: d }], witnesses: [] };
  }
  const oa = outputsOf(a, 'a.');
  const ob = outputsOf(b, 'b.');
  return evaluateExpression(inv, { scope: { ...oa.scope, ...ob.scope }, labels: oa.labels }, s);
}
