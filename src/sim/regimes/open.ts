import type { RegimeInput } from './types.js';

/** No export controls: the counterfactual baseline. Everyone, adversaries included, buys at list price. */
export const open: RegimeInput = {
  id: 'open',
  title: 'Open market (no controls)',
  description: 'No export controls: every country and adversary buys at list price, rationed pro rata when supply is short.',
  tier1: { market: 'unlimited' },
  tier2: { market: 'unlimited' },
  tier3: { market: 'unlimited' },
};
