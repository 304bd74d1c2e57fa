import type { RegimeInput } from './types.js';

/**
 * A hybrid: the 2025 tiers stay, but a Tier 2 country may bargain for chips beyond its cap with concessions,
 * as the proposal to fold chip controls into trade talks suggested [S22].
 */
export const tieredPlusDeals: RegimeInput = {
  id: 'tiered-plus-deals',
  title: 'Tiers plus bilateral deals (hybrid)',
  description:
    'Tier 1 buys without a licence; Tier 2 keeps the 790M TPP cap and the small-order exemption, and may bargain for chips beyond them with concessions; Tier 3 is denied.',
  tier1: { market: 'unlimited' },
  tier2: {
    market: { capTpp: 790_000_000, periodRounds: 12, g2gMultiplier: 2 },
    exemption: { tppPerConsigneePerYear: 26_900_000 },
    negotiate: 'demand',
  },
  tier3: { market: 'none' },
};
