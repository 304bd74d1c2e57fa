/**
 * The standard bilateral benchmark: 3 issues x 10 values, linear-additive utilities with opposed weights,
 * deadline 100, Boulware against Boulware, under private information (neither side sees the other's
 * preferences: the classic ANAC setting, in which time-dependent tactics propose the outcome cheapest for
 * themselves that reaches their target). Measures negotiations per second through the engine
 * (`negotiate`, record: false) and through a minimal hand-written alternating-offers loop doing the same
 * arithmetic (same target curve, tabulated once per deadline and exponent as the strategy does, same
 * sorted-outcome lookup, same acceptance rule), in alternating batches in one process, and returns medians.
 * Prints nothing.
 */
import { performance } from 'node:perf_hooks';
import { discounted, meetsReservation, negotiate } from '../negotiation/mechanism.js';
import { utilityTolerance } from '../negotiation/numeric.js';
import { enumerate } from '../negotiation/outcome-space.js';
import type { NegotiationSetup, Outcome, OutcomeSpace, Preferences, UtilityFn } from '../negotiation/types.js';
import { boulware } from '../sim/strategies/boulware.js';

export interface BilateralBenchOptions {
  /** Wall time each timed batch aims at (default 40 ms); batch sizes are calibrated to it. */
  readonly batchMs?: number;
  /** Fixed negotiations per batch instead of calibrating (tests use a small one). */
  readonly batchSize?: number;
  /** Timed batches per contender (default 11); medians are taken over them. */
  readonly batches?: number;
  /** Untimed running per contender first, so the JIT has settled (default 400 ms). */
  readonly warmupMs?: number;
  /** Boulware exponent (default 0.2, the strategy's default). */
  readonly e?: number;
  readonly deadline?: number;
}

export interface ContenderResult {
  /** Median negotiations per second over the timed batches. */
  readonly negotiationsPerSecond: number;
  /** Each batch's negotiations per second, in order. */
  readonly batches: readonly number[];
}

export interface BilateralBenchResult {
  readonly engine: ContenderResult;
  readonly hand: ContenderResult;
  /**
   * engine / hand: the median of the ratios of adjacent engine and hand batches. Pairing cancels load that
   * drifts over the run (other processes), which the ratio of two medians would not.
   */
  readonly ratio: number;
  /** Both loops reached the same agreement (a guard that they really do the same work). */
  readonly sameResult: boolean;
  /** Step of the agreement (offers exchanged), identical for every negotiation of the benchmark. */
  readonly agreementStep: number | null;
  readonly outcomes: number;
}

const ISSUES = 3;
const VALUES = 10;

export function benchSpace(): OutcomeSpace {
  return { issues: Array.from({ length: ISSUES }, (_, k) => ({ name: `issue${k}`, unit: '', min: 0, max: VALUES - 1, steps: VALUES })) };
}

/** Linear-additive utility over values 0..VALUES-1; `ascending` false reverses every issue. */
function linearAdditive(weights: readonly number[], ascending: boolean): UtilityFn {
  const w = Float64Array.from(weights, (x) => x / (VALUES - 1));
  return (o) => {
    let u = 0;
    for (let k = 0; k < w.length; k++) {
      const v = o[k] ?? 0;
      u += (w[k] as number) * (ascending ? v : VALUES - 1 - v);
    }
    return u;
  };
}

export function benchParties(): readonly [Preferences, Preferences] {
  return [
    { utility: linearAdditive([0.5, 0.3, 0.2], true), reservation: 0, discount: 1 },
    { utility: linearAdditive([0.2, 0.3, 0.5], false), reservation: 0, discount: 1 },
  ];
}

interface Outcome1 {
  readonly step: number;
  readonly agreement: Outcome | null;
}

function noRandom(): number {
  throw new Error('the benchmark strategies are deterministic');
}

// ---------------------------------------------------------------------------------------------------------
// The hand-written loop: one party's sorted outcomes, the target curve and AC_next, nothing else.
// ---------------------------------------------------------------------------------------------------------

interface HandSide {
  readonly prefs: Preferences;
  /** Utilities ascending, and the outcome at each position. */
  readonly utils: Float64Array;
  readonly outcomes: readonly Outcome[];
  readonly uMax: number;
  readonly uMin: number;
}

function handSide(space: OutcomeSpace, prefs: Preferences): HandSide {
  const all = enumerate(space).outcomes;
  const scored = all.map((o, i) => ({ o, u: prefs.utility(o), i })).sort((a, b) => a.u - b.u || a.i - b.i);
  const utils = Float64Array.from(scored, (s) => s.u);
  return {
    prefs,
    utils,
    outcomes: scored.map((s) => s.o),
    uMax: utils[utils.length - 1] ?? 0,
    uMin: Math.max(prefs.reservation, utils[0] ?? 0),
  };
}

function lowerBound(u: Float64Array, target: number): number {
  let lo = 0;
  let hi = u.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((u[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** (t / T)^(1/e) for every step 0..deadline. */
function handCurve(deadline: number, e: number): Float64Array {
  const curve = new Float64Array(deadline + 1);
  for (let step = 0; step <= deadline; step++) curve[step] = Math.pow(Math.min(1, step / Math.max(1, deadline - 1)), 1 / e);
  return curve;
}

function handNegotiation(sides: readonly [HandSide, HandSide], deadline: number, curve: Float64Array): Outcome1 {
  let table: Outcome | null = null;
  for (let step = 0; ; step++) {
    const side = sides[step & 1] as HandSide;
    const target = Math.max(side.uMax - (side.uMax - side.uMin) * (curve[step] as number), side.prefs.reservation);
    const i = Math.min(lowerBound(side.utils, target - utilityTolerance(target)), side.utils.length - 1);
    const nextU = side.utils[i] as number;
    if (table !== null) {
      const u = side.prefs.utility(table);
      if (u >= nextU - utilityTolerance(nextU) && meetsReservation(discounted(side.prefs, u, step - 1), side.prefs.reservation)) {
        return { step: step - 1, agreement: table };
      }
    }
    if (step >= deadline) return { step, agreement: null };
    table = side.outcomes[i] as Outcome;
  }
}

// ---------------------------------------------------------------------------------------------------------

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function timeBatch(n: number, one: () => Outcome1): { perSecond: number; last: Outcome1 } {
  let last: Outcome1 = { step: -1, agreement: null };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) last = one();
  const ms = performance.now() - t0;
  return { perSecond: (n * 1000) / Math.max(ms, 1e-6), last };
}

function sameOutcome(a: Outcome1, b: Outcome1): boolean {
  if (a.step !== b.step) return false;
  if (a.agreement === null || b.agreement === null) return a.agreement === b.agreement;
  return a.agreement.length === b.agreement.length && a.agreement.every((v, k) => v === b.agreement?.[k]);
}

const WARMUP_SLICE_MS = 25;

/** Run `one` repeatedly for about `ms`; returns how many runs and how long they took. */
function runFor(one: () => Outcome1, ms: number): { runs: number; elapsed: number } {
  let runs = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    one();
    runs++;
    elapsed = performance.now() - t0;
  }
  return { runs, elapsed };
}

/** Negotiations that take about `ms` (at least 1), from a short trial run. */
function calibrate(one: () => Outcome1, ms: number): number {
  const { runs, elapsed } = runFor(one, ms / 4);
  return Math.max(1, Math.round((runs * ms) / Math.max(elapsed, 1e-3)));
}

export function benchBilateral(opts: BilateralBenchOptions = {}): BilateralBenchResult {
  const { batchMs = 40, batches = 11, warmupMs = 400, e = 0.2, deadline = 100 } = opts;
  const space = benchSpace();
  const parties = benchParties();
  const params = { e };

  const randoms = [noRandom, noRandom] as const;
  const engineOne = (): Outcome1 => {
    const setup: NegotiationSetup = {
      space,
      parties,
      negotiators: [boulware.create(params), boulware.create(params)],
      deadline,
      firstProposer: 0,
      completeInformation: false,
      random: randoms,
      record: false,
    };
    const r = negotiate(setup);
    return { step: r.step, agreement: r.agreement };
  };
  const sides = [handSide(space, parties[0]), handSide(space, parties[1])] as const;
  const curve = handCurve(deadline, e);
  const handOne = (): Outcome1 => handNegotiation(sides, deadline, curve);

  // Warm up in alternating slices until both have run warmupMs, then size the batches on hot code.
  for (let spent = 0; spent < warmupMs; spent += 2 * WARMUP_SLICE_MS) {
    runFor(engineOne, WARMUP_SLICE_MS);
    runFor(handOne, WARMUP_SLICE_MS);
  }
  const engineSize = opts.batchSize ?? calibrate(engineOne, batchMs);
  const handSize = opts.batchSize ?? calibrate(handOne, batchMs);
  const engine: number[] = [];
  const hand: number[] = [];
  const ratios: number[] = [];
  let lastEngine = engineOne();
  let lastHand = handOne();
  // Alternate so drift (thermal, GC, other load) hits both contenders alike.
  for (let i = 0; i < batches; i++) {
    const a = timeBatch(engineSize, engineOne);
    const b = timeBatch(handSize, handOne);
    engine.push(a.perSecond);
    hand.push(b.perSecond);
    ratios.push(a.perSecond / b.perSecond);
    lastEngine = a.last;
    lastHand = b.last;
  }
  return {
    engine: { negotiationsPerSecond: median(engine), batches: engine },
    hand: { negotiationsPerSecond: median(hand), batches: hand },
    ratio: median(ratios),
    sameResult: sameOutcome(lastEngine, lastHand),
    agreementStep: lastEngine.agreement === null ? null : lastEngine.step,
    outcomes: VALUES ** ISSUES,
  };
}
