import type { RegimeInput } from './types.js';

/** No export controls: the counterfactual baseline. Every country and adversary buys licence-free at list price. */
export const open: RegimeInput = {
  id: 'open',
  title: 'Open market (no controls)',
  description: 'No export controls: every country and adversary buys frontier chips licence-free; when demand exceeds supply, the scarcity premium decides who buys.',
  tier1: { market: 'unlimited' },
  tier2: { market: 'unlimited' },
  tier3: { market: 'unlimited' },
};
