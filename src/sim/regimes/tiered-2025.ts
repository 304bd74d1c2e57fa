import type { RegimeInput } from './types.js';

/**
 * The January 2025 "Framework for Artificial Intelligence Diffusion" (90 FR 4544) [S1].
 * Tier 1: no limit [S5-S7]. Tier 2: cumulative 790M TPP over 2025-2027 [S10, S12, S14], doubled with a
 * government-to-government agreement [S10, S15]; 26.9M TPP per consignee per year outside the cap [S16];
 * validated end users outside the cap, ~320k GPUs over ~2 years = 40k per quarter [S14, S17].
 * Tier 3: denied [S9, S10].
 */
export const tiered2025: RegimeInput = {
  id: 'tiered-2025',
  title: 'AI Diffusion rule (January 2025)',
  description:
    'Tier 1 buys without limit; Tier 2 buys under a cumulative 790M TPP cap (2025-2027), doubled for a country that signs a government-to-government agreement, plus the 26.9M TPP small-order exemption per consignee per year and a validated-end-user route outside the cap; Tier 3 is denied.',
  tier1: { market: 'unlimited' },
  tier2: {
    market: { capTpp: 790_000_000, periodRounds: 12, g2gMultiplier: 2 },
    exemption: { tppPerConsigneePerYear: 26_900_000 },
    veu: { h100ePerRound: 40_000, minEnforcement: 0.6 },
    negotiate: 'cap-upgrade',
  },
  tier3: { market: 'none' },
};
