/**
 * One conformance suite for every registered strategy: metadata, parameters, protocol, determinism and
 * robustness against every other strategy (itself included) on random discrete spaces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/core/rng.js';
import { discounted, meetsReservation, negotiate } from '../../src/negotiation/mechanism.js';
import { isFeasible } from '../../src/negotiation/outcome-space.js';
import type { NegotiationResult, PartyIndex, Strategy, UtilityFn } from '../../src/negotiation/types.js';
import { findStrategy, getStrategy, strategies, strategyNames } from '../../src/sim/strategies/index.js';
import { UNIT_PIE, arbNegotiation, prefs, real, type RandomNegotiation } from './fixtures.js';

const all = Object.values(strategies);

/** Deterministic strategies get a stream that fails loudly if they draw from it. */
function forbidden(): number {
  throw new Error('a deterministic strategy drew a random number');
}

function randomFor(s: Strategy, seed: string, party: number): () => number {
  return s.meta.deterministic ? forbidden : stream(seed, `party${party}`);
}

/** Random parameter values within each declared range. */
function arbParams(s: Strategy): fc.Arbitrary<Record<string, number>> {
  const shape: Record<string, fc.Arbitrary<number>> = {};
  for (const [name, spec] of Object.entries(s.meta.params)) shape[name] = real(spec.min, spec.max);
  return fc.record(shape);
}

function play(tested: Strategy, params: Record<string, number>, other: Strategy, side: PartyIndex, n: RandomNegotiation, seed: string): NegotiationResult {
  const pair = side === 0 ? ([tested, other] as const) : ([other, tested] as const);
  return negotiate({
    space: n.space,
    parties: n.parties,
    negotiators: [pair[0].create(side === 0 ? params : {}), pair[1].create(side === 1 ? params : {})],
    deadline: n.deadline,
    firstProposer: n.firstProposer,
    completeInformation: true,
    random: [randomFor(pair[0], seed, 0), randomFor(pair[1], seed, 1)],
  });
}

describe('registry', () => {
  it('lists every strategy under its own name', () => {
    expect(strategyNames().sort()).toEqual(
      ['boulware', 'conceder', 'equilibrium', 'hardliner', 'linear', 'random', 'tit-for-tat', 'zeuthen'].sort(),
    );
    for (const [name, s] of Object.entries(strategies)) expect(s.meta.name).toBe(name);
    expect(getStrategy('boulware')).toBe(strategies['boulware']);
    expect(findStrategy('toString')).toBeUndefined();
    expect(() => getStrategy('nope')).toThrow(/unknown strategy "nope".*boulware/s);
  });
});

describe.each(all.map((s) => [s.meta.name, s] as const))('%s', (_name, strategy) => {
  it('has complete metadata with defaults inside their ranges', () => {
    const { meta } = strategy;
    expect(meta.name).toMatch(/^[a-z][a-z-]*$/);
    expect(meta.description.length).toBeGreaterThan(10);
    expect(typeof meta.deterministic).toBe('boolean');
    expect(typeof meta.needsOpponent).toBe('boolean');
    expect(meta.reference?.length ?? 0).toBeGreaterThan(10);
    for (const spec of Object.values(meta.params)) {
      expect(spec.min).toBeLessThanOrEqual(spec.default);
      expect(spec.default).toBeLessThanOrEqual(spec.max);
      expect(spec.unit.length).toBeGreaterThan(0);
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });

  it('rejects unknown and out-of-range parameters', () => {
    expect(() => strategy.create({ bogus: 1 })).toThrow(/no parameter "bogus"/);
    for (const [name, spec] of Object.entries(strategy.meta.params)) {
      expect(() => strategy.create({ [name]: spec.max + 1 })).toThrow(RangeError);
      expect(() => strategy.create({ [name]: Number.NaN })).toThrow(RangeError);
    }
  });

  it('plays every strategy within the protocol, and its own interest, on random discrete spaces', () => {
    fc.assert(
      fc.property(arbNegotiation(), arbParams(strategy), fc.string({ maxLength: 4 }), (n, params, seed) => {
        for (const other of all) {
          for (const side of [0, 1] as const) {
            const r = play(strategy, params, other, side, n, seed);
            // Ends by the deadline.
            expect(r.offers.length).toBeLessThanOrEqual(n.deadline);
            expect(r.step).toBeLessThanOrEqual(n.deadline);
            // Only feasible offers were made (the mechanism would have thrown otherwise; checked again here).
            for (const o of r.offers) expect(isFeasible(n.space, o.outcome)).toBe(true);
            // Never proposes what, accepted at once, would pay it less than its reservation value.
            const mine = n.parties[side];
            for (const o of r.offers) {
              if (o.by === side) expect(meetsReservation(discounted(mine, o.utilities[side], o.step), mine.reservation)).toBe(true);
            }
            if (r.agreement !== null) {
              const accepted = r.offers[r.step];
              expect(accepted?.outcome).toBe(r.agreement);
              // Never accepts below its discounted reservation value.
              const acceptor = (1 - (accepted?.by ?? 0)) as PartyIndex;
              if (acceptor === side) expect(meetsReservation(r.payoffs[side], mine.reservation)).toBe(true);
            } else {
              expect(r.payoffs).toEqual([n.parties[0].reservation, n.parties[1].reservation]);
            }
            // Deterministic pairs replay identically, even with different seeds.
            if (strategy.meta.deterministic && other.meta.deterministic) {
              expect(play(strategy, params, other, side, n, `${seed}/again`)).toEqual(r);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('plays every strategy on a continuous issue (exact inversion, and enumeration for a non-monotone utility)', () => {
    fc.assert(
      fc.property(
        real(0.5, 3),
        real(0.3, 1),
        fc.integer({ min: 1, max: 30 }),
        fc.boolean(),
        (power, bound, deadline, tent) => {
          const u0: UtilityFn = tent ? (o) => 1 - Math.abs((o[0] ?? 0) - 0.3) : (o) => (o[0] ?? 0) ** power;
          const u1: UtilityFn = (o) => 1 - (o[0] ?? 0);
          const n: RandomNegotiation = {
            space: { ...UNIT_PIE, upperBounds: [bound] },
            parties: [prefs(u0, 0.1, 0.95), prefs(u1, 0.05, 0.9)],
            deadline,
            firstProposer: 0,
          };
          for (const other of all) {
            for (const side of [0, 1] as const) {
              const r = play(strategy, {}, other, side, n, 'c');
              for (const o of r.offers) expect(isFeasible(n.space, o.outcome)).toBe(true);
              expect(r.step).toBeLessThanOrEqual(deadline);
            }
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});
