/**
 * `tradesim/testing`: property tests of scenarios with fast-check and vitest (see docs/testing.md).
 *
 *   import { loadScenario, forAllParameters, assertInvariants, arbitraries } from 'tradesim/testing';
 *
 * - loadScenario / scenarioFromText: a scenario with its `invariants:` compiled and `uncertain:` resolved;
 * - forAllParameters: a property over parameter sets drawn from `uncertain:` (and seeds), each run for you;
 * - samples: the same draws as a fast-check arbitrary, to combine with your own;
 * - checkScenario / assertInvariants: what `tradesim check` does, as a report or an assertion;
 * - arbitraries: valid scenario documents, countries, regimes, strategies, offers and utility functions;
 * - totalsFromEvents: per-country and per-round totals re-derived from a result's event log.
 */
import fc from 'fast-check';
import { InputError } from '../core/errors.js';
import type { ChipsResult, Result } from '../core/events.js';
import { loadScenarioFile, loadScenarioText } from '../core/scenario/load.js';
import type { LoadOptions, LoadedScenario } from '../core/scenario/load.js';
import { ScenarioSchema } from '../core/scenario/schema.js';
import type { Scenario } from '../core/scenario/schema.js';
import { prepareBargaining } from '../sim/bargaining.js';
import { compileChips } from '../sim/chips/compile.js';
import { runScenario } from '../sim/run.js';
import type { RunOptions } from '../sim/run.js';
import { check, plan, scenarioOf } from '../check/check.js';
import type { CheckOptions, CheckReport, Plan } from '../check/check.js';
import { evaluateSingle } from '../check/invariants.js';
import type { Verdict } from '../check/invariants.js';
import type { Value } from '../check/params.js';
import { reportText } from '../check/report.js';
import { drawArbitrary } from '../check/sample.js';
import * as arbitraries from './arbitraries.js';

/** The fast-check instance the arbitraries are built with (the same one your properties must use). */
export { arbitraries, fc, runScenario, ScenarioSchema, InputError };
export type { CheckReport, CheckOptions, Verdict, Result, ChipsResult, Scenario, RunOptions, Value };
export type { Counterexample, ParameterValue } from '../check/check.js';
export type { BargainingDocument, ChipsDocument, ChipsSize, BargainingSize, CountryDocument, RegimeDocument, IssueDocument } from './arbitraries.js';

/** A scenario ready for property tests: loaded, invariants compiled, `uncertain:` resolved. */
export interface TestScenario {
  readonly loaded: LoadedScenario;
  readonly scenario: Scenario;
  readonly plan: Plan;
  /** Paths of the uncertain parameters, in draw order. */
  readonly parameters: readonly string[];
  /** Names of the invariants in force. */
  readonly invariants: readonly string[];
}

function ready(loaded: LoadedScenario): TestScenario {
  const s = loaded.scenario;
  // Compile regime, strategies and expressions now, so a bad scenario fails at load, not in the first run.
  if (s.kind === 'chips') compileChips(s);
  else prepareBargaining(s);
  const p = plan(loaded);
  return { loaded, scenario: s, plan: p, parameters: p.parameters.map((x) => x.path), invariants: p.invariants.map((i) => i.name) };
}

/** Loads a scenario file (YAML or JSON, with extends and `sets` overrides). Throws InputError for bad input. */
export async function loadScenario(file: string, opts: LoadOptions = {}): Promise<TestScenario> {
  return ready(await loadScenarioFile(file, opts));
}

/** The same from text; `label` names it in messages and resolves `extends` relative to it. */
export function scenarioFromText(text: string, label = 'scenario.yaml', opts: LoadOptions = {}): TestScenario {
  return ready(loadScenarioText(text, label, opts));
}

/** Validates a scenario document (e.g. from the arbitraries) into a scenario with defaults applied. */
export function parseScenario(doc: unknown): Scenario {
  return ScenarioSchema.parse(doc);
}

/** One draw: the uncertain values by path, the run seed and the scenario they make. */
export interface Sample {
  readonly values: Readonly<Record<string, Value>>;
  readonly seed: number;
  readonly scenario: Scenario;
}

export interface SampleOptions {
  /** Keep the run seed at the scenario's instead of drawing it. */
  readonly fixedSeed?: boolean;
}

/** Draws from `uncertain:` (and seeds) as a fast-check arbitrary; shrinks towards the scenario's own values. */
export function samples(ts: TestScenario, opts: SampleOptions = {}): fc.Arbitrary<Sample> {
  const p = ts.plan;
  const fixed = opts.fixedSeed === true ? ts.scenario.seed : p.fixedSeed;
  return drawArbitrary(p.parameters, fixed).map((draw) => {
    const values: Record<string, Value> = {};
    p.parameters.forEach((param, i) => (values[param.path] = draw.values[i] as Value));
    return { values, seed: draw.seed, scenario: scenarioOf(p, draw) };
  });
}

export interface ForAllOptions extends SampleOptions {
  /** Parameter sets to try (fast-check numRuns; default 100). */
  readonly numRuns?: number;
  /** fast-check seed, for a reproducible test. */
  readonly seed?: number;
  /** Keep the event log in results (default true). */
  readonly events?: boolean;
}

/** A sample with its run. */
export interface RunSample extends Sample {
  readonly result: Result;
}

/**
 * Asserts `property` for parameter sets drawn from the scenario's `uncertain:` section: each is run with its
 * seed, and `property` gets the sample and the result. It fails (throws, with fast-check's shrunk
 * counterexample) when `property` returns false or throws, e.g. from a vitest `expect`.
 */
export function forAllParameters(ts: TestScenario, property: (sample: RunSample) => unknown, opts: ForAllOptions = {}): void {
  fc.assert(
    fc.property(samples(ts, opts), (sample) => property({ ...sample, result: runScenario(sample.scenario, { seed: sample.seed, events: opts.events ?? true }) }) !== false),
    { ...(opts.numRuns !== undefined ? { numRuns: opts.numRuns } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
  );
}

/** The scenario's plain (single-run) invariants evaluated on a result. */
export function evaluateInvariants(ts: TestScenario, result: Result): Verdict[] {
  return ts.plan.invariants.filter((i) => i.kind === 'single').map((i) => evaluateSingle(i, result, ts.scenario));
}

/** What `tradesim check` does: search for a counterexample to the invariants and shrink it. */
export function checkScenario(ts: TestScenario, opts: CheckOptions = {}): CheckReport {
  return check(ts.plan, opts);
}

/** checkScenario as an assertion: throws an Error with the readable counterexample when one is found. */
export function assertInvariants(ts: TestScenario, opts: CheckOptions = {}): void {
  const r = check(ts.plan, opts);
  if (!r.ok) throw new Error(reportText(r, ts.loaded.file));
}

export interface EventTotals {
  readonly countries: Readonly<Record<string, { delivered: number; market: number; capped: number; exempt: number; veu: number; deal: number; leaked: number; rival: number; deals: number; negotiations: number }>>;
  readonly rounds: readonly { supply: number; delivered: number; domestic: number; licensed: number; unsold: number; leakage: number; rivalSales: number; deals: number; negotiations: number }[];
}

/**
 * Per-country and per-round totals re-derived from a chips result's event log alone: for a
 * "replay equals run" check against the reported outcome (result.countries, result.metrics.perRound).
 */
export function totalsFromEvents(r: ChipsResult): EventTotals {
  const countries: Record<string, { delivered: number; market: number; capped: number; exempt: number; veu: number; deal: number; leaked: number; rival: number; deals: number; negotiations: number }> = {};
  const c = (id: string) => (countries[id] ??= { delivered: 0, market: 0, capped: 0, exempt: 0, veu: 0, deal: 0, leaked: 0, rival: 0, deals: 0, negotiations: 0 });
  const rounds: { supply: number; delivered: number; domestic: number; licensed: number; unsold: number; leakage: number; rivalSales: number; deals: number; negotiations: number }[] = [];
  const adversaries = new Set(r.adversaries.map((a) => a.id));
  for (const round of r.rounds) {
    const t = { supply: 0, delivered: 0, domestic: 0, licensed: 0, unsold: 0, leakage: 0, rivalSales: 0, deals: 0, negotiations: 0 };
    for (const e of round.events) {
      switch (e.type) {
        case 'round-start':
          t.supply = e.supply + e.licensedSupply;
          break;
        case 'market':
          t.domestic = e.domestic;
          t.unsold = e.unsold;
          break;
        case 'delivery': {
          if (adversaries.has(e.country)) {
            t.licensed += e.total;
            break;
          }
          const x = c(e.country);
          x.delivered += e.total;
          x.market += e.market;
          x.capped += e.capped;
          x.exempt += e.exempt;
          x.veu += e.veu;
          x.deal += e.deal;
          t.delivered += e.total;
          break;
        }
        case 'leakage':
          c(e.country).leaked += e.chips;
          t.leakage += e.chips;
          break;
        case 'alternative':
          c(e.country).rival += e.chips;
          t.rivalSales += e.chips;
          break;
        case 'deal':
          if (!adversaries.has(e.country)) c(e.country).deals += 1;
          t.deals += 1;
          break;
        case 'negotiation':
          if (!adversaries.has(e.country)) c(e.country).negotiations += 1;
          t.negotiations += 1;
          break;
        default:
          break;
      }
    }
    rounds.push(t);
  }
  return { countries, rounds };
}

export type { LoadOptions, LoadedScenario };
