/**
 * The engine caches enumerations, utility tables, offer indexes, frontiers, feasibility masks, discount
 * powers and concession curves across negotiations. Every cached value is a pure function of its key, so a
 * negotiation must come out exactly the same on cold caches (fresh module instances), warm caches and caches
 * that have been churned past their LRU limits.
 */
import { describe, expect, it, vi } from 'vitest';
import { stream } from '../../src/core/rng.js';
import * as warmMechanism from '../../src/negotiation/mechanism.js';
import { offerIndex } from '../../src/negotiation/offer-index.js';
import type { Issue, NegotiationResult, Outcome, OutcomeSpace, PartyIndex, Preferences, UtilityFn } from '../../src/negotiation/types.js';
import * as warmStrategies from '../../src/sim/strategies/index.js';

type Mechanism = typeof warmMechanism;
type Strategies = typeof warmStrategies;

/** A chip-deal-like space: 5 issues, 6 x 5 x 4 x 3 x 3 = 1080 outcomes. */
const ISSUES: readonly Issue[] = [
  { name: 'chips', unit: '', min: 0, max: 50, steps: 6 },
  { name: 'tariff', unit: '', min: 0, max: 20, steps: 5 },
  { name: 'investment', unit: '', min: 0, max: 30, steps: 4 },
  { name: 'purchases', unit: '', min: 0, max: 9, steps: 3 },
  { name: 'security', unit: '', min: 0, max: 1, steps: 3 },
];

/** Same function objects for every negotiation, as in a prepared scenario. */
const exporter: UtilityFn = (o) => ((o[0] ?? 0) * 0.8 + (o[1] ?? 0) * 1.5 + (o[2] ?? 0) + (o[3] ?? 0) * 2 + (o[4] ?? 0) * 10 - 20) / 100;
const country: UtilityFn = (o) => ((o[0] ?? 0) * 2 - (o[1] ?? 0) * 1.2 - (o[2] ?? 0) * 0.9 - (o[3] ?? 0) * 1.1 - (o[4] ?? 0) * 6) / 100;

interface Case {
  readonly space: OutcomeSpace;
  readonly parties: readonly [Preferences, Preferences];
  readonly names: readonly [string, string];
  readonly complete: boolean;
  readonly deadline: number;
  readonly firstProposer: PartyIndex;
  readonly seed: string;
}

/** Deterministic pseudo-random cases (no Math.random): bounds on chips (grid values) and sometimes others. */
function cases(): Case[] {
  const names = ['boulware', 'linear', 'conceder', 'tit-for-tat', 'hardliner', 'zeuthen', 'equilibrium', 'random'];
  const out: Case[] = [];
  let s = 7;
  const next = (n: number): number => {
    s = (s * 48271) % 2147483647;
    return s % n;
  };
  for (let k = 0; k < 24; k++) {
    const chips = 10 * (1 + next(5));
    const upperBounds = [chips, 20, next(3) === 0 ? 15 : 30, 9, 1];
    const complete = next(3) > 0;
    let a = names[next(names.length)] as string;
    let b = names[next(names.length)] as string;
    // Zeuthen and equilibrium need complete information.
    if (!complete) {
      if (a === 'zeuthen' || a === 'equilibrium') a = 'boulware';
      if (b === 'zeuthen' || b === 'equilibrium') b = 'linear';
    }
    out.push({
      space: { issues: ISSUES, upperBounds },
      parties: [
        { utility: exporter, reservation: next(4) === 0 ? 0.05 : 0, discount: next(2) === 0 ? 1 : 0.97 },
        { utility: country, reservation: next(4) === 0 ? 0.1 : 0, discount: next(2) === 0 ? 1 : 0.95 },
      ],
      names: [a, b],
      complete,
      deadline: 5 + next(30),
      firstProposer: next(2) as PartyIndex,
      seed: `case${k}`,
    });
  }
  return out;
}

function play(m: Mechanism, st: Strategies, c: Case): NegotiationResult {
  // A new space object per negotiation, as the chip model builds one per round.
  const space: OutcomeSpace = c.space.upperBounds === undefined ? { issues: c.space.issues } : { issues: c.space.issues, upperBounds: [...c.space.upperBounds] };
  return m.negotiate({
    space,
    parties: c.parties,
    negotiators: [st.getStrategy(c.names[0]).create({}), st.getStrategy(c.names[1]).create({})],
    deadline: c.deadline,
    firstProposer: c.firstProposer,
    completeInformation: c.complete,
    random: [stream(c.seed, 'p0'), stream(c.seed, 'p1')],
  });
}

async function freshModules(): Promise<[Mechanism, Strategies]> {
  vi.resetModules();
  const m = await import('../../src/negotiation/mechanism.js');
  const st = await import('../../src/sim/strategies/index.js');
  return [m, st];
}

/** Many distinct bound vectors over the same grid: pushes the bounded-context LRU (64 per grid) past its limit. */
function churn(m: Mechanism, st: Strategies): void {
  for (let k = 0; k < 90; k++) {
    const space: OutcomeSpace = { issues: ISSUES, upperBounds: [5 + (k % 46), 20 - (k % 7) / 3, 30, 9, 1] };
    for (const complete of [false, true]) {
      m.negotiate({
        space,
        parties: [
          { utility: exporter, reservation: 0, discount: 1 },
          { utility: country, reservation: 0, discount: 1 },
        ],
        negotiators: [st.getStrategy('boulware').create({}), st.getStrategy('tit-for-tat').create({})],
        deadline: 12,
        firstProposer: 1,
        completeInformation: complete,
        random: [() => 0, () => 0],
        record: false,
      });
    }
  }
}

describe('caches never change a negotiation', () => {
  const all = cases();

  it('each case on fresh caches equals the same case on warm and on churned caches', async () => {
    const warm = all.map((c) => play(warmMechanism, warmStrategies, c));
    // Warm: the same cases again, now with every cache populated.
    expect(all.map((c) => play(warmMechanism, warmStrategies, c))).toEqual(warm);
    // Churned: after evicting bounded contexts, and in reverse order.
    churn(warmMechanism, warmStrategies);
    const reversed = [...all].reverse().map((c) => play(warmMechanism, warmStrategies, c)).reverse();
    expect(reversed).toEqual(warm);
    // Cold: a fresh engine (new module instances, empty caches) for every case.
    for (const [k, c] of all.entries()) {
      const [m, st] = await freshModules();
      expect(m.negotiate).not.toBe(warmMechanism.negotiate); // really a fresh engine
      expect(play(m, st, c)).toEqual(warm[k]);
    }
  });

  it('a fresh engine playing the cases in another order agrees too', async () => {
    const warm = all.map((c) => play(warmMechanism, warmStrategies, c));
    const [m, st] = await freshModules();
    churn(m, st);
    const order = all.map((_, k) => (k * 7) % all.length);
    const results = new Array<NegotiationResult>(all.length);
    for (const k of order) results[k] = play(m, st, all[k] as Case);
    expect(results).toEqual(warm);
  });

  it('the cases cover agreements, both information settings and both first proposers', () => {
    const results = all.map((c) => play(warmMechanism, warmStrategies, c));
    expect(results.some((r) => r.agreement !== null)).toBe(true);
    expect(all.some((c) => c.complete) && all.some((c) => !c.complete)).toBe(true);
    expect(new Set(all.map((c) => c.firstProposer)).size).toBe(2);
  });
});

describe('per-utility caches (cache.ts: memo)', () => {
  it('work for frozen utility functions too (kept in a WeakMap then), with the same answers', () => {
    const u0 = Object.freeze((o: Outcome) => exporter(o));
    const u1 = Object.freeze((o: Outcome) => country(o));
    const some = cases().slice(0, 8);
    expect(some.some((c) => c.complete) && some.some((c) => !c.complete)).toBe(true);
    for (const c of some) {
      const frozen: Case = { ...c, parties: [{ ...c.parties[0], utility: u0 }, { ...c.parties[1], utility: u1 }] };
      const want = play(warmMechanism, warmStrategies, c);
      expect(play(warmMechanism, warmStrategies, frozen)).toEqual(want);
      expect(play(warmMechanism, warmStrategies, frozen)).toEqual(want);
    }
    const space: OutcomeSpace = { issues: ISSUES };
    expect(offerIndex(space, u0)).toBe(offerIndex(space, u0));
  });
});
