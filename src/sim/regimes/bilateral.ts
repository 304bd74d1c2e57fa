import type { RegimeInput } from './types.js';

/**
 * The deal-by-deal regime after the May 2025 rescission [S24-S26]: every non-adversary country bargains with
 * the exporter for chips in exchange for concessions and security commitments; adversaries stay restricted,
 * with licensed sales of downgraded chips for a revenue share (15% in Aug 2025 [S38, S39], 25% from Jan 2026
 * [S47]; licensed volume at most 50% of US-customer volume [S47]).
 */
export const bilateral: RegimeInput = {
  id: 'bilateral',
  title: 'Bilateral government-to-government deals (after May 2025)',
  description:
    'Every non-adversary country negotiates chips for concessions and security commitments; adversaries are denied, except licensed downgraded chips to China with a revenue share to the exporter.',
  tier1: { negotiate: 'demand' },
  tier2: { negotiate: 'demand' },
  tier3: { market: 'none' },
  // Licensed sales went to China only (H20 in Aug 2025 [S38, S39]; H200 from Jan 2026 [S46, S47]).
  countries: { CHN: { market: 'none', licensed: { maxRevenueShare: 0.5, downgrade: 0.6, capFraction: 0.5 } } },
};
