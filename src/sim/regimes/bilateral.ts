import type { RegimeInput } from './types.js';

/**
 * The deal-by-deal approach after the May 2025 rescission [S24-S26]: the former Tier 1 allies keep
 * licence-free access, as before January 2025 (domain facts §2b); every other non-adversary country needs
 * a licence, which it bargains for government to government, chips for concessions and security commitments
 * [S22, S28-S32, S40, S43, S45]; adversaries stay denied frontier chips. Licensed sales of downgraded chips
 * to an adversary follow the scenario's own licensing policy (adversaries[].licensed).
 */
export const bilateral: RegimeInput = {
  id: 'bilateral',
  title: 'Bilateral government-to-government deals (after May 2025)',
  description:
    'Tier 1 allies buy without a licence; every other non-adversary country bargains for chips with concessions and security commitments; adversaries are denied frontier chips (downgraded chips follow the scenario\'s licensing policy).',
  tier1: { market: 'unlimited' },
  tier2: { negotiate: 'demand' },
  tier3: { market: 'none' },
};
