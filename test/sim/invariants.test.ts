/**
 * Invariants of the chip world over generated scenarios: supply is never exceeded, caps hold, nobody signs a
 * deal worth less than walking away, the same seed gives the same bytes, and file order does not matter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChipsResult, SimEvent } from '../../src/core/events.js';
import { meetsReservation } from '../../src/negotiation/mechanism.js';
import { builtinRegimeNames } from '../../src/sim/regimes/index.js';
import { runChips } from '../../src/sim/run.js';
import { country, world } from '../helpers/world.js';

const STRATEGIES = ['boulware', 'linear', 'conceder', 'tit-for-tat', 'hardliner', 'zeuthen'] as const;

const countryArb = (id: string) =>
  fc.record({
    tier: fc.constantFrom(1 as const, 2 as const, 3 as const),
    demandPerRound: fc.integer({ min: 0, max: 200_000 }),
    valuePerH100e: fc.integer({ min: 10_000, max: 120_000 }),
    diversionRisk: fc.double({ min: 0, max: 0.5, noNaN: true }),
    enforcement: fc.double({ min: 0, max: 1, noNaN: true }),
    patience: fc.double({ min: 0.5, max: 1, noNaN: true }),
    consignees: fc.integer({ min: 0, max: 5 }),
    veuEligible: fc.boolean(),
    g2g: fc.boolean(),
    strategy: fc.constantFrom(...STRATEGIES),
  }).map((c) => country(id, c.tier, c));

const worldArb = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    supply: fc.integer({ min: 0, max: 400_000 }),
    growth: fc.double({ min: -0.2, max: 0.3, noNaN: true }),
    regime: fc.constantFrom(...builtinRegimeNames()),
    rounds: fc.integer({ min: 1, max: 14 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    exporterStrategy: fc.constantFrom(...STRATEGIES),
  })
  .chain((w) =>
    fc.tuple(fc.constant(w), fc.tuple(...Array.from({ length: w.n }, (_, i) => countryArb(`C${String(i).padStart(2, '0')}`)))),
  )
  .map(([w, countries]) => ({
    seed: w.seed,
    scenario: world({
      rounds: w.rounds,
      regime: w.regime,
      exporter: { supplyPerRound: w.supply, supplyGrowthPerRound: w.growth, price: 25_000, leakageCost: 200_000, strategy: w.exporterStrategy },
      countries,
    }),
  }));

function eventsOf<T extends SimEvent['type']>(r: ChipsResult, type: T): Extract<SimEvent, { type: T }>[] {
  return r.rounds.flatMap((x) => x.events.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type));
}

describe('chip world invariants', () => {
  it('never delivers more than the round supply', () => {
    fc.assert(
      fc.property(worldArb, ({ scenario, seed }) => {
        const r = runChips(scenario, { seed });
        r.metrics.perRound.forEach((m) => expect(m.delivered).toBeLessThanOrEqual(m.supply * (1 + 1e-9) + 1e-6));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps capped purchases within the cap (doubled with a g2g agreement or cap-upgrade deal) per period', () => {
    fc.assert(
      fc.property(worldArb, ({ scenario, seed }) => {
        const r = runChips({ ...scenario, regime: 'tiered-2025' }, { seed });
        const cap = 790_000_000 / scenario.tppPerH100e;
        const periods = Math.ceil(scenario.rounds / 12);
        for (const c of r.countries) {
          if (c.tier !== 2) continue;
          expect(c.byRoute.capped + c.byRoute.deal).toBeLessThanOrEqual(2 * cap * periods + 1e-6);
          const g2g = scenario.countries.find((x) => x.id === c.id)?.g2g;
          if (!g2g) expect(c.byRoute.capped).toBeLessThanOrEqual(cap * periods + 1e-6);
        }
        for (const c of r.countries) if (c.tier === 3) expect(c.delivered).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('signs no deal worth less to either side than its reservation value', () => {
    fc.assert(
      fc.property(worldArb, ({ scenario, seed }) => {
        const r = runChips(scenario, { seed });
        for (const n of eventsOf(r, 'negotiation')) {
          if (!n.agreement) continue;
          expect(meetsReservation(n.payoffs[0], n.reservations[0])).toBe(true);
          expect(meetsReservation(n.payoffs[1], n.reservations[1])).toBe(true);
          expect(n.agreement.outcome[0]).toBeLessThanOrEqual((n.upperBounds[0] ?? Infinity) + 1e-9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives identical bytes for the same seed, and ignores the order of countries in the file', () => {
    fc.assert(
      fc.property(worldArb, fc.integer(), ({ scenario, seed }, shuffleSeed) => {
        const a = JSON.stringify(runChips(scenario, { seed }));
        expect(JSON.stringify(runChips(scenario, { seed }))).toBe(a);
        const rotated = [...scenario.countries];
        const k = Math.abs(shuffleSeed) % Math.max(1, rotated.length);
        const shuffled = { ...scenario, countries: [...rotated.slice(k), ...rotated.slice(0, k)].reverse() };
        const b = runChips(shuffled, { seed });
        const x = JSON.parse(a) as ChipsResult;
        expect(JSON.stringify(b.countries)).toBe(JSON.stringify(x.countries));
        expect(JSON.stringify(b.metrics)).toBe(JSON.stringify(x.metrics));
        expect(JSON.stringify(b.rounds)).toBe(JSON.stringify(x.rounds));
      }),
      { numRuns: 30 },
    );
  });
});
