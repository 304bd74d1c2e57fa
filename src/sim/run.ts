/**
 * Run a loaded scenario: apply run options, prepare once, simulate with the seed, and assemble the versioned
 * result artifact (src/core/events.ts). This is the library entry point the CLI and scripts use.
 */
import { contentHash } from '../core/canonical.js';
import { RESULT_SCHEMA_VERSION, type BargainingResult, type ChipsResult, type Result } from '../core/events.js';
import { RNG_ALGORITHM } from '../core/rng.js';
import type { BargainingScenario, ChipsScenario, Scenario } from '../core/scenario/schema.js';
import { toolVersion } from '../core/version.js';
import { prepareBargaining, simulateBargaining } from './bargaining.js';
import { compileChips, type CompiledChips } from './chips/compile.js';
import { simulateChips } from './chips/model.js';
import type { ResolvedStrategy } from './strategy-choice.js';

export interface RunOptions {
  /** Master seed; defaults to the scenario's. */
  readonly seed?: number;
  /** Regime name (chips scenarios): replaces the starting regime; another name than the scenario's own fixes it for the whole run. */
  readonly regime?: string;
  /** Number of rounds (chips scenarios). */
  readonly rounds?: number;
  /** Keep the per-round event log (default true). */
  readonly events?: boolean;
  /** Where the scenario came from, for the stamp. */
  readonly file?: string;
  /** Who negotiates for a party, by id, given its own strategy (the classroom seats a person here). */
  readonly players?: (id: string, own: ResolvedStrategy) => ResolvedStrategy;
}

export function runScenario(scenario: Scenario, opts: RunOptions = {}): Result {
  return scenario.kind === 'chips' ? runChips(scenario, opts) : runBargaining(scenario, opts);
}

/** Compile a chips scenario with the run options (regime, rounds): what the run really uses. */
export function compileRun(s: ChipsScenario, opts: Pick<RunOptions, 'regime' | 'rounds'> = {}): CompiledChips {
  return compileChips(s, { ...(opts.regime !== undefined ? { regime: opts.regime } : {}), ...(opts.rounds !== undefined ? { rounds: opts.rounds } : {}) });
}

/**
 * `hash` is the scenario as given (loaded, --set applied: what `validate` prints and compare and sweep record),
 * so one file has one hash everywhere; `parametersHash` is what the run used (regime and rounds applied), the
 * check that an artifact's parameters were not edited.
 */
function stamp(s: Scenario, parameters: unknown, file: string | undefined): ChipsResult['scenario'] {
  const hash = contentHash(s);
  return { id: s.id, title: s.title, kind: s.kind, file: file ?? '', hash, parametersHash: parameters === s ? hash : contentHash(parameters) };
}

export function runChips(s: ChipsScenario, opts: RunOptions = {}): ChipsResult {
  return chipsRunner(s, opts)(opts.seed ?? s.seed, opts.events ?? true);
}

/**
 * Compile once, run many seeds: what compare and sweep use, so that each seed costs a simulation and not a
 * compilation. `runner(seed)` equals `runChips(s, { ...opts, seed })`.
 */
export function chipsRunner(s: ChipsScenario, opts: Omit<RunOptions, 'seed'> = {}): (seed: number, events?: boolean) => ChipsResult {
  const model = compileRun(s, opts);
  const scenario = model.scenario;
  const scenarioStamp = stamp(s, scenario, opts.file);
  const regime = typeof scenario.regime === 'string' ? scenario.regime : scenario.regime.id;
  return (seed, events = opts.events ?? true) => {
    const run = simulateChips(model, seed, { record: events, ...(opts.players ? { players: opts.players } : {}) });
    return {
      schemaVersion: RESULT_SCHEMA_VERSION,
      kind: 'chips',
      tool: { name: 'tradesim', version: toolVersion() },
      scenario: scenarioStamp,
      seed,
      rng: RNG_ALGORITHM,
      regime,
      parameters: scenario,
      rounds: run.rounds,
      timeline: model.timeline,
      countries: run.countries,
      adversaries: run.adversaries,
      metrics: { final: run.final, perRound: run.perRound },
    };
  };
}

export function runBargaining(s: BargainingScenario, opts: RunOptions = {}): BargainingResult {
  const seed = opts.seed ?? s.seed;
  const out = simulateBargaining(prepareBargaining(s), seed);
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'bargaining',
    tool: { name: 'tradesim', version: toolVersion() },
    scenario: stamp(s, s, opts.file),
    seed,
    rng: RNG_ALGORITHM,
    parameters: s,
    negotiation: out.negotiation,
    theory: out.theory,
  };
}
