/** Shared builders for negotiation and strategy tests: spaces, utilities, setups and generators. */
import fc from 'fast-check';
import { negotiate } from '../../src/negotiation/mechanism.js';
import type {
  Action,
  Issue,
  NegotiationResult,
  NegotiationView,
  Negotiator,
  OutcomeSpace,
  PartyIndex,
  Preferences,
  Strategy,
  UtilityFn,
} from '../../src/negotiation/types.js';
import { stream } from '../../src/core/rng.js';

export const UNIT_PIE: OutcomeSpace = { issues: [{ name: 'x', unit: 'share', min: 0, max: 1 }] };

/** u0 = x, u1 = 1 - x on the unit pie. */
export const pieUtilities: readonly [UtilityFn, UtilityFn] = [(o) => o[0] ?? 0, (o) => 1 - (o[0] ?? 0)];

export function prefs(utility: UtilityFn, reservation = 0, discount = 1): Preferences {
  return { utility, reservation, discount };
}

/**
 * Linear-additive utility: sum_k w_k * v_k where v_k is the issue value rescaled to [0, 1], flipped when
 * ascending[k] is false. Weights are normalised to sum 1 (all zero: equal weights).
 */
export function linearAdditive(issues: readonly Issue[], weights: readonly number[], ascending: readonly boolean[]): UtilityFn {
  const total = weights.reduce((a, b) => a + b, 0);
  const w = weights.map((x) => (total > 0 ? x / total : 1 / weights.length));
  return (o) => {
    let u = 0;
    issues.forEach((issue, k) => {
      const v = ((o[k] ?? issue.min) - issue.min) / (issue.max - issue.min);
      u += (w[k] ?? 0) * (ascending[k] === false ? 1 - v : v);
    });
    return u;
  };
}

export interface SetupOptions {
  readonly space: OutcomeSpace;
  readonly parties: readonly [Preferences, Preferences];
  readonly deadline: number;
  readonly firstProposer?: PartyIndex;
  readonly completeInformation?: boolean;
  readonly seed?: string;
  readonly record?: boolean;
}

/** Run two negotiators under the given options (complete information and recording by default). */
export function run(negotiators: readonly [Negotiator, Negotiator], o: SetupOptions): NegotiationResult {
  const seed = o.seed ?? 'test';
  return negotiate({
    space: o.space,
    parties: o.parties,
    negotiators,
    deadline: o.deadline,
    firstProposer: o.firstProposer ?? 0,
    completeInformation: o.completeInformation ?? true,
    random: [stream(seed, 'party0'), stream(seed, 'party1')],
    record: o.record ?? true,
  });
}

/** Run two strategies with their default parameters. */
export function runStrategies(a: Strategy, b: Strategy, o: SetupOptions): NegotiationResult {
  return run([a.create({}), b.create({})], o);
}

/** A negotiator that plays a fixed list of actions (then ends), recording every view it was shown. */
export function scripted(actions: readonly Action[]): Negotiator & { readonly views: NegotiationView[] } {
  const views: NegotiationView[] = [];
  let i = 0;
  return {
    name: 'scripted',
    views,
    act(view) {
      views.push(view);
      return actions[i++] ?? { type: 'end' };
    },
  } as Negotiator & { readonly views: NegotiationView[] };
}

/** A negotiator driven by a function of the view. */
export function reactive(name: string, act: (view: NegotiationView) => Action): Negotiator {
  return { name, act } as Negotiator;
}

/**
 * A real in [min, max] drawn uniformly in value. fc.double is uniform over representable doubles, which
 * piles values up near zero; bargaining parameters want uniform values.
 */
export function real(min: number, max: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 1_000_000 }).map((i) => (i === 1_000_000 ? max : min + ((max - min) * i) / 1_000_000));
}

export interface RandomNegotiation {
  readonly space: OutcomeSpace;
  readonly parties: readonly [Preferences, Preferences];
  readonly deadline: number;
  readonly firstProposer: PartyIndex;
}

/**
 * Random discrete negotiation: 1-4 issues of 2-10 values, linear-additive utilities (mostly opposed),
 * reservations, optional upper bounds, discounts and deadlines.
 */
export function arbNegotiation(opts: { readonly maxDeadline?: number; readonly discounts?: boolean; readonly bounds?: boolean } = {}): fc.Arbitrary<RandomNegotiation> {
  const { maxDeadline = 40, discounts = true, bounds = true } = opts;
  const core = fc.integer({ min: 1, max: 4 }).chain((n) => {
    const perIssue = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: n, maxLength: n });
    const party = fc.record({
      weights: perIssue(fc.integer({ min: 0, max: 10 })),
      reservation: fc.oneof(fc.constant(0), real(-0.2, 0.7)),
      discount: discounts ? fc.oneof(fc.constant(1), real(0.5, 1)) : fc.constant(1),
    });
    // Mostly opposed interests (party 1 wants issue k the other way round 3 times in 4), so there is
    // something to bargain over; the rest are shared interests.
    const opposed = perIssue(fc.integer({ min: 0, max: 3 }).map((v) => v > 0));
    return fc
      .record({
        steps: perIssue(fc.integer({ min: 2, max: 10 })),
        lows: perIssue(fc.integer({ min: -5, max: 5 })),
        spans: perIssue(fc.integer({ min: 1, max: 20 })),
        // A bound below an issue's minimum (rarely) leaves nothing feasible.
        bounds: bounds ? fc.option(perIssue(real(-0.03, 1.1)), { nil: undefined }) : fc.constant(undefined),
        parties: fc.tuple(party, party),
        ascending: perIssue(fc.boolean()),
        opposed,
        deadline: fc.integer({ min: 1, max: maxDeadline }),
        firstProposer: fc.constantFrom<PartyIndex>(0, 1),
      })
      .map((r) => {
        const issues: Issue[] = r.steps.map((steps, k) => {
          const min = r.lows[k] ?? 0;
          return { name: `i${k}`, unit: '', min, max: min + (r.spans[k] ?? 1), steps };
        });
        const upperBounds = r.bounds?.map((f, k) => {
          const issue = issues[k] as Issue;
          return issue.min + f * (issue.max - issue.min);
        });
        const space: OutcomeSpace = upperBounds === undefined ? { issues } : { issues, upperBounds };
        const [a, b] = r.parties;
        const parties: [Preferences, Preferences] = [
          prefs(linearAdditive(issues, a.weights, r.ascending), a.reservation, a.discount),
          prefs(linearAdditive(issues, b.weights, r.ascending.map((up, k) => (r.opposed[k] === true ? !up : up))), b.reservation, b.discount),
        ];
        return { space, parties, deadline: r.deadline, firstProposer: r.firstProposer };
      });
  });
  // Mostly unbiased draws (typical negotiations); a quarter biased toward edge values (one outcome, deadline 1).
  return fc.oneof({ arbitrary: fc.noBias(core), weight: 3 }, { arbitrary: core, weight: 1 });
}

/** The 11-point pie x = 0, 0.1, ..., 1 with u0 = x, u1 = 1 - x (the move tables' domain). */
export const GRID_PIE: OutcomeSpace = { issues: [{ name: 'x', unit: 'share', min: 0, max: 1, steps: 11 }] };

/** One move in a table: the offered x (rounded to 1e-9), 'A' for accept, 'E' for end. */
export type Move = number | 'A' | 'E';

function moveOf(a: Action): Move {
  if (a.type === 'offer') return Math.round((a.outcome[0] ?? NaN) * 1e9) / 1e9;
  return a.type === 'accept' ? 'A' : 'E';
}

/** Offer x on the single issue. */
export const x = (v: number): Action => ({ type: 'offer', outcome: [v] });

/**
 * Play `tested` (as party `side`) against a scripted opponent; return the tested negotiator's moves in
 * order and the result.
 */
export function movesAgainst(
  tested: Negotiator,
  script: readonly Action[],
  o: Omit<SetupOptions, 'firstProposer'> & { readonly side?: PartyIndex; readonly firstProposer?: PartyIndex },
): { moves: Move[]; result: NegotiationResult } {
  const moves: Move[] = [];
  const recorder: Negotiator = {
    act(view) {
      const a = tested.act(view);
      moves.push(moveOf(a));
      return a;
    },
  };
  const side = o.side ?? 0;
  const pair: [Negotiator, Negotiator] = side === 0 ? [recorder, scripted(script)] : [scripted(script), recorder];
  const result = run(pair, o);
  return { moves, result };
}

/** Linear pie preferences on GRID_PIE / UNIT_PIE. */
export function pieParties(d0 = 1, d1 = 1, r0 = 0, r1 = 0): readonly [Preferences, Preferences] {
  return [prefs(pieUtilities[0], r0, d0), prefs(pieUtilities[1], r1, d1)];
}
