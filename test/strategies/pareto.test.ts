/**
 * Pareto-aware proposals under complete information (negotiation/proposals.ts): a strategy that wants own
 * utility >= target offers the feasible outcome best for the opponent among those reaching the target.
 * Under private information it keeps offering the outcome cheapest for itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/core/rng.js';
import { negotiate } from '../../src/negotiation/mechanism.js';
import { offerIndex } from '../../src/negotiation/offer-index.js';
import { enumerate, isFeasible } from '../../src/negotiation/outcome-space.js';
import { proposalSource } from '../../src/negotiation/proposals.js';
import type { NegotiationView, Outcome, OutcomeSpace, PartyIndex, Preferences, Strategy } from '../../src/negotiation/types.js';
import { strategies } from '../../src/sim/strategies/index.js';
import { arbNegotiation, prefs, real, run, scripted } from './fixtures.js';

const TARGETED = ['boulware', 'linear', 'conceder', 'tit-for-tat', 'hardliner'] as const;
const all = Object.values(strategies);

function randomFor(s: Strategy, seed: string, party: number): () => number {
  return s.meta.deterministic
    ? () => {
        throw new Error('a deterministic strategy drew a random number');
      }
    : stream(seed, `party${party}`);
}

/** Utilities of every feasible outcome, by brute force. */
function feasibleUtilities(space: OutcomeSpace, parties: readonly [Preferences, Preferences]): (readonly [number, number])[] {
  return enumerate(space)
    .outcomes.filter((o) => isFeasible(space, o))
    .map((o) => [parties[0].utility(o), parties[1].utility(o)] as const);
}

/** Some feasible outcome at least as good for both and strictly better for one. */
function dominated(u: readonly [number, number], feasible: readonly (readonly [number, number])[]): boolean {
  return feasible.some((v) => v[0] >= u[0] && v[1] >= u[1] && (v[0] > u[0] || v[1] > u[1]));
}

describe('Pareto-aware proposals under complete information', () => {
  it.each(TARGETED)('every offer %s makes is Pareto-optimal within the feasible space', (name) => {
    const tested = strategies[name] as Strategy;
    fc.assert(
      fc.property(arbNegotiation(), fc.string({ maxLength: 3 }), (n, seed) => {
        const feasible = feasibleUtilities(n.space, n.parties);
        for (const other of all) {
          for (const side of [0, 1] as const) {
            const pair = side === 0 ? ([tested, other] as const) : ([other, tested] as const);
            const r = negotiate({
              space: n.space,
              parties: n.parties,
              negotiators: [pair[0].create({}), pair[1].create({})],
              deadline: n.deadline,
              firstProposer: n.firstProposer,
              completeInformation: true,
              random: [randomFor(pair[0], seed, 0), randomFor(pair[1], seed, 1)],
            });
            for (const o of r.offers) {
              // The recorded utilities are the utilities of the outcome (tables or recomputed, the same numbers).
              expect(o.utilities).toEqual([n.parties[0].utility(o.outcome), n.parties[1].utility(o.outcome)]);
              if (o.by === side) expect(dominated(o.utilities, feasible)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('proposes the best outcome for the opponent among those reaching the target, against brute force', () => {
    fc.assert(
      fc.property(arbNegotiation(), fc.constantFrom<PartyIndex>(0, 1), fc.array(real(-0.3, 1.3), { minLength: 4, maxLength: 4 }), (n, self, targets) => {
        const them = (1 - self) as PartyIndex;
        const view = viewOf(n.space, n.parties, self, true);
        const source = proposalSource(view);
        const outcomes = enumerate(n.space).outcomes.filter((o) => isFeasible(n.space, o));
        const u = (o: Outcome, p: PartyIndex) => n.parties[p].utility(o);
        if (outcomes.length === 0) {
          expect(source.best).toBeUndefined();
          return;
        }
        expect(source.best?.utility).toBe(Math.max(...outcomes.map((o) => u(o, self))));
        expect(source.worstUtility).toBe(Math.min(...outcomes.map((o) => u(o, self))));
        for (const target of targets) {
          const reaching = outcomes.filter((o) => u(o, self) >= target - 1e-12 * Math.max(1, Math.abs(target)));
          const got = source.propose(target);
          if (reaching.length === 0) {
            expect(got).toBeUndefined();
            continue;
          }
          const bestForThem = Math.max(...reaching.map((o) => u(o, them)));
          // Highest opponent utility, then highest own utility among those (Pareto-optimal).
          const ownAtBest = Math.max(...reaching.filter((o) => u(o, them) === bestForThem).map((o) => u(o, self)));
          expect(got).toBeDefined();
          if (got === undefined) continue;
          expect(u(got.outcome, them)).toBe(bestForThem);
          expect(got.utility).toBe(ownAtBest);
          expect(got.utility).toBe(u(got.outcome, self));
          expect(got.action).toEqual({ type: 'offer', outcome: got.outcome });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('under private information proposes the outcome cheapest for itself, as before', () => {
    fc.assert(
      fc.property(arbNegotiation(), fc.constantFrom<PartyIndex>(0, 1), real(-0.3, 1.3), (n, self, target) => {
        const source = proposalSource(viewOf(n.space, n.parties, self, false));
        const index = offerIndex(n.space, n.parties[self].utility);
        expect(source.propose(target)).toBe(index.atLeast(target));
        expect(source.best).toBe(index.best);
      }),
      { numRuns: 60 },
    );
  });

  // Two issues: x = 0..10 (party 0 wants it high, party 1 low) and y in {0, 1}, which only party 1 cares
  // about (it wants y = 1). Party 0's utility x/10 ties every pair (x, 0), (x, 1).
  const space: OutcomeSpace = {
    issues: [
      { name: 'x', unit: '', min: 0, max: 10, steps: 11 },
      { name: 'y', unit: '', min: 0, max: 1, steps: 2 },
    ],
  };
  const parties = [prefs((o) => (o[0] ?? 0) / 10), prefs((o) => 1 - (o[0] ?? 0) / 10 + 0.05 * (o[1] ?? 0))] as const;
  const stubborn = Array.from({ length: 12 }, () => ({ type: 'offer', outcome: [0, 1] }) as const);

  it('hand-computed: linear gives away the issue it does not care about only under complete information', () => {
    // Deadline 11, party 0 opens: linear targets 1, .8, .6, .4, .2 at steps 0, 2, 4, 6, 8 -> x = 10, 8, 6, 4, 2.
    // Private: the first outcome in enumeration order among ties, y = 0. Complete: y = 1, worth 0.05 more to
    // party 1 and the same to party 0.
    const moves = (complete: boolean) =>
      run([strategies['linear']?.create({}) ?? fail(), scripted(stubborn)], { space, parties, deadline: 11, completeInformation: complete }).offers
        .filter((o) => o.by === 0)
        .map((o) => o.outcome);
    expect(moves(false)).toEqual([[10, 0], [8, 0], [6, 0], [4, 0], [2, 0]]);
    expect(moves(true)).toEqual([[10, 1], [8, 1], [6, 1], [4, 1], [2, 1]]);
  });
});

function fail(): never {
  throw new Error('missing strategy');
}

function viewOf(space: OutcomeSpace, parties: readonly [Preferences, Preferences], self: PartyIndex, complete: boolean): NegotiationView {
  const base = {
    space,
    self,
    own: parties[self],
    step: 0,
    deadline: 10,
    firstProposer: 0 as const,
    history: [],
    random: () => 0,
  };
  return complete ? { ...base, opponent: parties[(1 - self) as PartyIndex] } : base;
}
