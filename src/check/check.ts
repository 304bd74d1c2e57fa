/**
 * `tradesim check`: draw parameter sets (from `uncertain:`) and seeds with fast-check, run the simulation,
 * evaluate the invariants; on a failure, shrink to the smallest counterexample fast-check finds and describe it.
 *
 * The whole check is reproducible from one fast-check seed. Shrinking stays on one invariant: the first that
 * fails fixes the target, and later candidates count as failures only if that invariant fails (others that fail
 * at the final point are reported alongside).
 */
import fc from 'fast-check';
import { InputError } from '../core/errors.js';
import type { Result } from '../core/events.js';
import type { Scenario } from '../core/scenario/schema.js';
import { runScenario } from '../sim/run.js';
import { compileInvariants, evaluatePair, evaluateSingle, formatNumber, secondScenario } from './invariants.js';
import type { CompiledInvariant, Verdict } from './invariants.js';
import { resolveParameters, withValues } from './params.js';
import type { Assignment, Parameter, ScenarioSource, Value } from './params.js';
import { MAX_SEED, drawArbitrary, probeValues } from './sample.js';

export const DEFAULT_RUNS = 1000;

export interface CheckOptions {
  /** Parameter sets to draw (default 1000; 1 when nothing varies). */
  readonly runs?: number;
  /** fast-check seed for the whole check (default: the scenario's seed). */
  readonly seed?: number;
  /** fast-check replay path (with the seed of the check that printed it). */
  readonly path?: string;
  /** Called after every run: runs done, runs planned, and whether fast-check is shrinking. */
  readonly onProgress?: (done: number, planned: number, shrinking: boolean) => void;
}

/** A prepared check: invariants compiled, parameters resolved and probed. */
export interface Plan {
  readonly source: ScenarioSource;
  readonly invariants: readonly CompiledInvariant[];
  readonly parameters: readonly Parameter[];
  /** The run seed when the scenario fixes it (`uncertain: { seed: fixed }`). */
  readonly fixedSeed?: number;
  readonly events: boolean;
}

export interface Draw {
  readonly values: readonly Value[];
  readonly seed: number;
}

export interface ParameterValue {
  readonly path: string;
  readonly value: Value;
  readonly nominal: Value;
}

export interface Counterexample {
  readonly invariant: { readonly name: string; readonly description: string; readonly expression: string; readonly kind: CompiledInvariant['kind']; readonly with: Readonly<Record<string, unknown>> };
  /** Parameters away from the scenario's own value (the ones that matter after shrinking). */
  readonly changed: readonly ParameterValue[];
  /** Parameters left at the scenario's own value. */
  readonly unchanged: readonly string[];
  readonly seed: number;
  readonly verdict: Verdict;
  /** Other invariants that fail at the same point. */
  readonly alsoFails: readonly Verdict[];
  readonly assignments: readonly Assignment[];
}

export interface CheckReport {
  readonly ok: boolean;
  readonly scenario: string;
  readonly file: string;
  readonly invariants: readonly string[];
  readonly parameters: readonly string[];
  readonly seedDrawn: boolean;
  /** Parameter sets run (before shrinking) and shrinking steps. */
  readonly runs: number;
  readonly shrinks: number;
  /** The fast-check seed; with `path`, replays the counterexample. */
  readonly replay: { readonly seed: number; readonly path?: string };
  readonly counterexample?: Counterexample;
}

/** Compiles invariants and resolves parameters; checks every parameter's extreme values against the schema. */
export function plan(source: ScenarioSource): Plan {
  const invariants = compileInvariants(source);
  const { parameters, seed } = resolveParameters(source);
  probe(source, parameters, invariants);
  return {
    source,
    invariants,
    parameters,
    ...(seed === 'fixed' ? { fixedSeed: source.scenario.seed } : {}),
    events: invariants.some((i) => i.events),
  };
}

/**
 * What every command checks when it loads a scenario (validate, run, sweep...), not only check: invariants
 * compile, `uncertain:` paths resolve, and every `oneOf` alternative and every `with:` change gives a scenario
 * the loader would accept (expressions compiled, names safe), so text that arrives through them is checked like
 * any other. Ranges and distributions (numbers only) are probed by `plan`.
 */
export function checkDeclarations(source: ScenarioSource): void {
  const invariants = compileInvariants(source);
  const { parameters } = resolveParameters(source);
  probe(
    source,
    parameters.filter((p) => 'oneOf' in p.spec),
    invariants,
  );
}

/** Each parameter's probe values alone on the scenario, and each comparative invariant's second scenario. */
function probe(source: ScenarioSource, parameters: readonly Parameter[], invariants: readonly CompiledInvariant[]): void {
  for (const p of parameters) {
    for (const v of probeValues(p)) {
      try {
        withValues(source.scenario, [{ items: p.items, value: v }], `uncertain.${p.entry}`);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        const first = e.problems[0];
        throw new InputError({
          ...source.where(['uncertain', p.entry]),
          message: `'${p.path}' can be drawn as ${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}, which the scenario does not accept: ${first?.message ?? e.message}`,
          ...(first?.expected !== undefined ? { expected: first.expected } : {}),
        });
      }
    }
  }
  // Comparative changes must give a valid scenario at the scenario's own values.
  for (const inv of invariants) if (inv.changes.length > 0) locatedAt(source, ['invariants', inv.name, 'with'], () => secondScenario(inv, source.scenario));
}

function locatedAt<T>(source: ScenarioSource, path: (string | number)[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, ...source.where(path) })));
    throw e;
  }
}

export function assignmentsOf(p: Plan, values: readonly Value[]): Assignment[] {
  return p.parameters.map((param, i) => ({ items: param.items, value: values[i] as Value }));
}

/** The scenario of a draw (validated). Throws InputError when the combination of values is invalid. */
export function scenarioOf(p: Plan, draw: Draw): Scenario {
  return withValues(p.source.scenario, assignmentsOf(p, draw.values), 'uncertain');
}

function runOnce(p: Plan, s: Scenario, seed: number): Result {
  return runScenario(s, { seed, events: p.events, file: p.source.file });
}

function failedRun(name: string, e: unknown): Verdict {
  const why = e instanceof InputError ? e.problems.map((x) => x.message).join('; ') : `internal error (a bug in tradesim): ${e instanceof Error ? e.message : String(e)}`;
  return { invariant: name, holds: false, error: `the run failed: ${why}`, values: [], witnesses: [] };
}

/** Runs a draw and evaluates the invariants (all, or only `only`). Run failures are failed verdicts. */
export function evaluateDraw(p: Plan, draw: Draw, only?: string): Verdict[] {
  const s = scenarioOf(p, draw);
  const todo = only === undefined ? p.invariants : p.invariants.filter((i) => i.name === only);
  let a: Result;
  try {
    a = runOnce(p, s, draw.seed);
  } catch (e) {
    return todo.map((i) => failedRun(i.name, e));
  }
  return todo.map((inv) => {
    if (inv.kind === 'single') return evaluateSingle(inv, a, s);
    const sb = secondScenario(inv, s);
    let b: Result;
    try {
      b = runOnce(p, sb, draw.seed);
    } catch (e) {
      return failedRun(inv.name, e);
    }
    return evaluatePair(inv, a, b, s);
  });
}

/** Runs the check. Throws InputError for bad input, including a draw the schema rejects. */
export function check(p: Plan, opts: CheckOptions = {}): CheckReport {
  const s = p.source.scenario;
  const fcSeed = opts.seed ?? s.seed % (MAX_SEED + 1);
  const nothingVaries = p.parameters.length === 0 && p.fixedSeed !== undefined;
  const runs = nothingVaries ? 1 : (opts.runs ?? DEFAULT_RUNS);
  let target: string | undefined;
  let badInput: InputError | undefined;
  let done = 0;
  let firstFailure = -1;
  const property = fc.property(drawArbitrary(p.parameters, p.fixedSeed), (draw) => {
    if (badInput !== undefined) return true;
    done += 1;
    opts.onProgress?.(firstFailure < 0 ? done : firstFailure, runs, firstFailure >= 0);
    let verdicts: Verdict[];
    try {
      verdicts = evaluateDraw(p, draw, target);
    } catch (e) {
      if (e instanceof InputError) {
        badInput = e;
        return true;
      }
      throw e;
    }
    const failed = verdicts.find((v) => !v.holds);
    if (failed === undefined) return true;
    if (target === undefined) {
      target = failed.invariant;
      firstFailure = done;
    }
    return false;
  });
  const details = fc.check(property, { numRuns: runs, seed: fcSeed, ...(opts.path !== undefined ? { path: opts.path } : {}), endOnFailure: false });
  if (badInput !== undefined) throw badInput;
  const base = {
    scenario: s.id,
    file: p.source.file,
    invariants: p.invariants.map((i) => i.name),
    parameters: p.parameters.map((x) => x.path),
    seedDrawn: p.fixedSeed === undefined,
    shrinks: details.numShrinks,
  };
  if (!details.failed || details.counterexample === null) {
    return { ...base, ok: true, runs: details.numRuns, replay: { seed: fcSeed } };
  }
  const [draw] = details.counterexample;
  const verdicts = evaluateDraw(p, draw);
  const verdict = verdicts.find((v) => v.invariant === target) ?? verdicts.find((v) => !v.holds);
  if (verdict === undefined || verdict.holds) throw new Error(`internal: the counterexample for '${String(target)}' did not reproduce`);
  const inv = p.invariants.find((i) => i.name === verdict.invariant) as CompiledInvariant;
  const changed: ParameterValue[] = [];
  const unchanged: string[] = [];
  p.parameters.forEach((param, i) => {
    const v = draw.values[i] as Value;
    if (v === param.nominal) unchanged.push(param.path);
    else changed.push({ path: param.path, value: v, nominal: param.nominal });
  });
  const invariantSpec = s.invariants?.[inv.name];
  return {
    ...base,
    ok: false,
    runs: firstFailure,
    replay: { seed: fcSeed, path: details.counterexamplePath ?? '' },
    counterexample: {
      invariant: {
        name: inv.name,
        description: inv.description,
        expression: inv.source,
        kind: inv.kind,
        with: typeof invariantSpec === 'object' ? (invariantSpec.with ?? {}) : {},
      },
      changed,
      unchanged,
      seed: draw.seed,
      verdict,
      alsoFails: verdicts.filter((v) => !v.holds && v.invariant !== verdict.invariant),
      assignments: assignmentsOf(p, draw.values),
    },
  };
}
