/** The replay's view data is derived from the artifact alone and agrees with the artifact's own outcomes. */
import { describe, expect, it } from 'vitest';
import { chipsModel, dealSentence } from '../../src/tui/model.js';
import { chipsArtifact } from './fixtures.js';

describe('chips model', async () => {
  const bilateral = await chipsArtifact('bilateral');
  const tiered = await chipsArtifact('tiered-2025');

  it('cumulative deliveries at the last round equal each country outcome', () => {
    for (const r of [bilateral, tiered]) {
      const m = chipsModel(r);
      const last = m.rounds[m.rounds.length - 1];
      for (const c of r.countries) expect(last?.rows.find((x) => x.id === c.id)?.deliveredTotal).toBeCloseTo(c.delivered, 6);
      expect(m.rounds.map((x) => x.round)).toEqual(r.rounds.map((x) => x.round));
    }
  });

  it('marks deals, running deals and denials as the events say', () => {
    const m = chipsModel(tiered);
    const deals = tiered.rounds.flatMap((x) => x.events.filter((e) => e.type === 'deal'));
    expect(m.rounds.flatMap((x) => x.rows.filter((r) => r.status === 'deal'))).toHaveLength(deals.length);
    const denied = tiered.rounds.flatMap((x) => x.events.filter((e) => e.type === 'access' && e.route === 'denied'));
    expect(denied.length).toBeGreaterThan(0);
    expect(m.rounds.flatMap((x) => x.rows.filter((r) => r.status === 'denied'))).toHaveLength(denied.length);
    const b = chipsModel(bilateral);
    const running = b.rounds.flatMap((x) => x.rows.filter((r) => r.status === 'in-deal'));
    for (const r of running) expect(r.untilRound).not.toBeNull();
  });

  it('writes deals as plain sentences and finds the negotiation in force', () => {
    const m = chipsModel(bilateral);
    const deal = bilateral.rounds.flatMap((x) => x.events).find((e) => e.type === 'deal');
    if (deal?.type !== 'deal') throw new Error('the bilateral run has deals');
    expect(dealSentence(deal)).toMatch(new RegExp(`^${deal.country} accepts [\\d.]+k? H100e`));
    expect(m.rounds[deal.round - 1]?.feed.some((s) => s.text.startsWith(`Round ${deal.round}: ${deal.country} accepts`))).toBe(true);
    const n = m.negotiationAt(deal.country, deal.round + 1);
    expect(n?.round).toBeLessThanOrEqual(deal.round + 1);
    expect(n?.record.country).toBe(deal.country);
    expect(m.negotiationAt(deal.country, 0)).toBeNull();
  });

  it('turns the vendor exclusion and concessions into words', () => {
    expect(dealSentence({ type: 'deal', round: 3, country: 'ARE', chipsPerRound: 120_000, untilRound: 3, terms: { chips: 120_000, investment: 20, security: 1 }, concessionsUsd: 20, faceUsd: 20, chipCost: 3000 })).toBe(
      'ARE accepts 120k H100e for $20.0bn investment and a vendor exclusion',
    );
  });
});
