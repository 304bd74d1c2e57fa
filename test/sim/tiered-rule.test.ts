/**
 * The January 2025 rule's numbers, through the whole model: caps in TPP converted with 15,832 TPP per H100
 * [S10, S13]. Supply is ample in these cases so that only the rule binds.
 */
import { describe, expect, it } from 'vitest';
import { runChips } from '../../src/sim/run.js';
import { country, world } from '../helpers/world.js';

const TPP = 15_832;
const CAP = 790_000_000 / TPP; // ~49,899 H100e, cumulative 2025-2027
const LPP_YEAR = 26_900_000 / TPP; // ~1,699 H100e per consignee per year

const ample = { supplyPerRound: 10_000_000, price: 25_000, leakageCost: 200_000 };

function outcome(over: Parameters<typeof country>[2], tier: 1 | 2 | 3 = 2, rounds = 12) {
  const s = world({ exporter: ample, countries: [country('TST', tier, { demandPerRound: 50_000, ...over })], regime: 'tiered-2025', rounds });
  const r = runChips(s, { seed: 3 });
  const c = r.countries[0];
  if (!c) throw new Error('no outcome');
  return c;
}

describe('tiered-2025', () => {
  it('caps a Tier 2 country at 790M TPP over the period, no more, when it signs no agreement', () => {
    // Zero security cost and no concession capacity: the cap-upgrade talks cannot pay for themselves, so
    // whatever the strategies do, capped purchases alone are checked here.
    const c = outcome({ concessions: { maxTariff: 0, maxInvestment: 0, maxPurchases: 0 } });
    expect(c.byRoute.capped).toBeCloseTo(CAP, 6);
    expect(c.byRoute.capped + c.byRoute.deal).toBeLessThanOrEqual(2 * CAP + 1e-6);
  });

  it('doubles the cap for a country with a government-to-government agreement', () => {
    const c = outcome({ g2g: true });
    expect(c.byRoute.capped).toBeCloseTo(2 * CAP, 6);
    expect(c.tppUnderCap).toBe(1_580_000_000);
    expect(c.byRoute.deal).toBe(0);
  });

  it('gives the small-order exemption per consignee per calendar year, outside the cap', () => {
    const c = outcome({ consignees: 3, g2g: true });
    expect(c.byRoute.exempt).toBeCloseTo(3 * 3 * LPP_YEAR, 6);
    expect(c.byRoute.capped).toBeCloseTo(2 * CAP, 6);
  });

  it('lets validated end users buy outside the cap only with enough enforcement', () => {
    const strong = outcome({ veuEligible: true, enforcement: 0.8, g2g: true, demandPerRound: 30_000 });
    expect(strong.byRoute.veu).toBeCloseTo(12 * 30_000, 6); // the VEU ceiling (40k per round) covers all demand
    const weak = outcome({ veuEligible: true, enforcement: 0.3, g2g: true });
    expect(weak.byRoute.veu).toBe(0);
  });

  it('leaves Tier 1 unlimited and denies Tier 3', () => {
    expect(outcome({}, 1).delivered).toBeCloseTo(12 * 50_000, 6);
    const t3 = outcome({}, 3);
    expect(t3.delivered).toBe(0);
    expect(t3.route).toBe('denied');
  });

  it('starts a new cumulative cap after the period ends', () => {
    // No rival: a country that turns to the rival while capped would move its stack there and want fewer chips.
    const c = outcome({ g2g: true, rivalAccess: 0 }, 2, 24);
    expect(c.byRoute.capped).toBeCloseTo(4 * CAP, 6);
  });
});
