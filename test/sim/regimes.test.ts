/**
 * One conformance suite for every built-in regime, plus scenario-defined regimes (custom rules with
 * expressions, selected with --regime).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { ChipsResult } from '../../src/core/events.js';
import { RegimeSchema } from '../../src/core/scenario/schema.js';
import { builtinRegimes } from '../../src/sim/regimes/index.js';
import { runChips } from '../../src/sim/run.js';
import { country, world } from '../helpers/world.js';

const worlds = fc
  .record({
    supply: fc.integer({ min: 0, max: 200_000 }),
    demands: fc.tuple(fc.integer({ min: 0, max: 80_000 }), fc.integer({ min: 0, max: 80_000 }), fc.integer({ min: 0, max: 80_000 })),
    seed: fc.nat(),
  })
  .map(({ supply, demands, seed }) => ({
    seed,
    scenario: world({
      exporter: { supplyPerRound: supply, price: 25_000, leakageCost: 20_000 },
      countries: [country('AAA', 1, { demandPerRound: demands[0] }), country('BBB', 2, { demandPerRound: demands[1], consignees: 2 }), country('CCC', 3, { demandPerRound: demands[2] })],
      adversaries: [{ id: 'CHN', name: 'China', domesticPerRound: 1_000, importDemandPerRound: 30_000, diversionShare: 1, valuePerH100e: 80_000 }],
    }),
  }));

function deliveriesByRound(r: ChipsResult, id: string): number[] {
  return r.rounds.map((x) => x.events.reduce((a, e) => a + (e.type === 'delivery' && e.country === id ? e.total : 0), 0));
}

describe.each(Object.values(builtinRegimes).map((r) => [r.id, r] as const))('regime %s', (id, regime) => {
  it('is documented and valid data', () => {
    expect(regime.title.length).toBeGreaterThan(0);
    expect(regime.description.length).toBeGreaterThan(20);
    expect(RegimeSchema.parse(regime)).toEqual(regime);
  });

  it('never ships more than supply, nor more than a country wants, and gives Tier 3 nothing it does not allow', () => {
    fc.assert(
      fc.property(worlds, ({ scenario, seed }) => {
        const r = runChips({ ...scenario, regime: id }, { seed });
        r.metrics.perRound.forEach((m) => expect(m.delivered).toBeLessThanOrEqual(m.supply * (1 + 1e-9) + 1e-6));
        for (const c of scenario.countries) {
          for (const d of deliveriesByRound(r, c.id)) expect(d).toBeLessThanOrEqual(c.demandPerRound * (1 + 1e-9) + 1e-6);
        }
        const tier3 = r.countries.find((c) => c.id === 'CCC');
        if (regime.tier3.market === 'none' && regime.tier3.negotiate === 'none') expect(tier3?.delivered).toBe(0);
        const chn = r.adversaries[0];
        const chnRule = regime.countries.CHN ?? regime.tier3;
        if (chnRule.market !== 'unlimited' && !chnRule.licensed) expect(chn?.licensed).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});

describe('scenario-defined regimes', () => {
  const custom = {
    id: 'friends-only',
    title: 'Friends only',
    tier1: { market: 'unlimited' as const, eligible: 'relations > 0.5' },
    tier2: { market: { capTpp: 0, periodRounds: 12 }, capExpr: 'gdp * 10', negotiate: 'none' as const },
  };

  it('are selected by name and apply their expressions', () => {
    const s = world({
      regimes: { 'friends-only': custom },
      countries: [country('AAA', 1, { relations: 0.9 }), country('BBB', 1, { relations: 0.2 }), country('CCC', 2, { gdp: 500, demandPerRound: 50_000 })],
      exporter: { supplyPerRound: 1_000_000, price: 25_000, leakageCost: 20_000 },
    });
    const r = runChips(s, { regime: 'friends-only', seed: 1 });
    const by = Object.fromEntries(r.countries.map((c) => [c.id, c]));
    expect(r.regime).toBe('friends-only');
    expect(by.AAA?.delivered).toBeCloseTo(12 * 10_000, 6);
    expect(by.BBB?.delivered).toBe(0);
    expect(by.CCC?.byRoute.capped).toBeCloseTo(5_000, 6); // gdp x 10 H100e over the 12-round period
  });

  it('reject a custom cap without a cap period, and leakage shares above 1', () => {
    const bad = world({ regimes: { x: { id: 'x', tier1: { market: 'unlimited', capExpr: 'gdp' } } } });
    expect(() => runChips(bad, { regime: 'x' })).toThrow(InputError);
    const shares = world({
      adversaries: [
        { id: 'A1', name: 'a', domesticPerRound: 0, diversionShare: 0.7 },
        { id: 'A2', name: 'b', domesticPerRound: 0, diversionShare: 0.7 },
      ],
    });
    expect(() => runChips(shares)).toThrow(/add up to more than 1/);
  });

  it("licenses only the adversary whose policy allows it, counts each chip at its product's H100e, and pays the share out of revenue", () => {
    const h20 = { product: 'H20', h100ePerChip: 0.15, price: 17_000, supplyPerRound: 100_000, revenueShare: 0.15, capFraction: null, requiresLicence: true };
    const s = world({
      exporter: { supplyPerRound: 500_000, price: 25_000, leakageCost: 10_000 },
      adversaries: [
        { id: 'CHN', name: 'China', domesticPerRound: 0, importDemandPerRound: 50_000, diversionShare: 0.5, valuePerH100e: 200_000, licensed: h20 },
        { id: 'RUS', name: 'Russia', domesticPerRound: 0, importDemandPerRound: 50_000, diversionShare: 0.5, valuePerH100e: 200_000 },
      ],
    });
    const r = runChips(s, { regime: 'bilateral', seed: 2 });
    const [chn, rus] = [r.adversaries.find((a) => a.id === 'CHN'), r.adversaries.find((a) => a.id === 'RUS')];
    expect(rus?.licensed).toBe(0);
    expect(chn?.licensedChips).toBeGreaterThan(0);
    const deals = r.rounds.flatMap((x) => x.events.filter((e) => e.type === 'deal' && e.country === 'CHN'));
    const chips = deals.reduce((a, e) => a + (e.type === 'deal' ? e.chipsPerRound * Math.min(4, 12 - e.round + 1) : 0), 0);
    expect(chn?.licensedChips).toBeCloseTo(chips, 6);
    expect(chn?.licensed).toBeCloseTo(0.15 * chips, 6);
    // The share is a transfer from the firms to their government: revenue counts the price once.
    expect(chn?.revenueShareUsd).toBeCloseTo((0.15 * 17_000 * chips) / 1e9, 9);
  });
});
