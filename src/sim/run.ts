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
import { adversaryOutcomes, countryOutcomes, finalMetrics } from './chips/metrics.js';
import { simulateChips } from './chips/model.js';
import { prepareChips, type PreparedChips } from './chips/prepare.js';

export interface RunOptions {
  /** Master seed; defaults to the scenario's. */
  readonly seed?: number;
  /** Regime name (chips scenarios). */
  readonly regime?: string;
  /** Number of rounds (chips scenarios). */
  readonly rounds?: number;
  /** Keep the per-round event log (default true). */
  readonly events?: boolean;
  /** Where the scenario came from, for the stamp. */
  readonly file?: string;
  /** Substitute players after preparation (the classroom seats a human strategy here); the rest is unchanged. */
  readonly players?: (prepared: PreparedChips) => PreparedChips;
}

export function runScenario(scenario: Scenario, opts: RunOptions = {}): Result {
  return scenario.kind === 'chips' ? runChips(scenario, opts) : runBargaining(scenario, opts);
}

/** The chips scenario with run options applied and the regime resolved inline: what the run really used. */
export function resolveChips(s: ChipsScenario, opts: RunOptions): { scenario: ChipsScenario; prepared: PreparedChips } {
  const prepared = prepareChips(opts.rounds !== undefined ? { ...s, rounds: opts.rounds } : s, opts.regime);
  return { scenario: { ...prepared.scenario, regime: prepared.regime }, prepared };
}

function stamp(s: Scenario, parameters: unknown, file: string | undefined): ChipsResult['scenario'] {
  return { id: s.id, title: s.title, kind: s.kind, file: file ?? '', hash: contentHash(parameters) };
}

export function runChips(s: ChipsScenario, opts: RunOptions = {}): ChipsResult {
  return chipsRunner(s, opts)(opts.seed ?? s.seed, opts.events ?? true);
}

/**
 * Prepare once, run many seeds: what compare and sweep use, so that each seed costs a simulation and not a
 * preparation (fresh utilities would also empty the engine's per-utility caches). `runner(seed)` equals
 * `runChips(s, { ...opts, seed })`.
 */
export function chipsRunner(s: ChipsScenario, opts: Omit<RunOptions, 'seed'> = {}): (seed: number, events?: boolean) => ChipsResult {
  const { scenario, prepared } = resolveChips(s, opts);
  const scenarioStamp = stamp(s, scenario, opts.file);
  return (seed, events = opts.events ?? true) => {
    const run = simulateChips(opts.players ? opts.players(prepared) : prepared, seed, { record: events });
    const countries = countryOutcomes(prepared, run);
    const adversaries = adversaryOutcomes(prepared, run);
    return {
      schemaVersion: RESULT_SCHEMA_VERSION,
      kind: 'chips',
      tool: { name: 'tradesim', version: toolVersion() },
      scenario: scenarioStamp,
      seed,
      rng: RNG_ALGORITHM,
      regime: prepared.regime.id,
      parameters: scenario,
      rounds: run.rounds,
      countries,
      adversaries,
      metrics: { final: finalMetrics(prepared, run), perRound: run.perRound },
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
