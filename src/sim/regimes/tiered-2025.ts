import type { RegimeInput } from './types.js';

/**
 * The January 2025 "Framework for Artificial Intelligence Diffusion" (90 FR 4544) [S1], as issued.
 * Tier 1: no licence needed [S5-S7]. Tier 2: a cumulative 790M TPP cap over 2025-2027 [S10, S12, S14], doubled
 * with a government-to-government agreement [S10, S15] (a Tier 2 country may bargain for one: a cap-upgrade
 * deal); 26.9M TPP per consignee per year outside the cap [S16]; validated end users outside the cap: a
 * national VEU up to ~320,000 GPUs over ~2 years (40,000 a quarter) [S14, S17, S18], and US-headquartered
 * universal VEUs may place up to 7% of their compute in any one Tier 2 country [S6, S19]. VEU status needs
 * security conditions [S19]: the approved share of the VEU allowance rises smoothly with the country's
 * enforcement from 0.4 to 0.8 (an assumption: no sourced threshold, and no cliff). Tier 3: denied [S9, S10].
 * Licensed sales of downgraded chips to an adversary follow the scenario's own licensing policy.
 */
export const tiered2025: RegimeInput = {
  id: 'tiered-2025',
  title: 'AI Diffusion rule (January 2025)',
  description:
    'Tier 1 buys without a licence; Tier 2 buys under a cumulative 790M TPP cap (2025-2027), doubled for a country that signs a government-to-government agreement (a cap-upgrade deal), plus the 26.9M TPP small-order exemption per consignee per year and the validated-end-user routes outside the cap (national VEUs 40,000 H100e a quarter each, universal VEUs up to 7% of their compute per country), approved in proportion to enforcement; Tier 3 is denied.',
  tier1: { market: 'unlimited' },
  tier2: {
    market: { capTpp: 790_000_000, periodRounds: 12, g2gMultiplier: 2 },
    exemption: { tppPerConsigneePerYear: 26_900_000 },
    veu: { nveuPerRound: 40_000, uveuShare: 0.07, approvalFrom: 0.4, approvalTo: 0.8 },
    negotiate: 'cap-upgrade',
  },
  tier3: { market: 'none' },
};
