/**
 * The engine's own invariants as property tests through the public testing API (src/testing, published as
 * `tradesim/testing`): generated valid scenarios, run, and checked. Supply is never exceeded, caps hold, no one
 * signs below its reservation value, the same seed gives the same bytes, the event log re-derives the reported
 * outcome (replay equals run), adding a country leaves the others' random draws alone, and the order of
 * countries in the file does not matter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChipsResult, SimEvent } from '../../src/core/events.js';
import { arbitraries, parseScenario, runScenario, totalsFromEvents } from '../../src/testing/index.js';
import type { ChipsDocument } from '../../src/testing/index.js';

const chips = (doc: ChipsDocument, seed?: number): ChipsResult => {
  const r = runScenario(parseScenario(doc), seed !== undefined ? { seed } : {});
  if (r.kind !== 'chips') throw new Error('expected a chips result');
  return r;
};

function eventsOf<T extends SimEvent['type']>(r: ChipsResult, type: T): Extract<SimEvent, { type: T }>[] {
  return r.rounds.flatMap((x) => x.events.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type));
}

/** The engine's acceptance tolerance (src/negotiation/mechanism.ts): relative 1e-9 of the reservation. */
const atLeast = (payoff: number, reservation: number) => payoff >= reservation - 1e-9 * Math.max(1, Math.abs(reservation));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

const world = arbitraries.chipsScenario({ maxCountries: 6, maxRounds: 14 });

describe('chip world invariants (tradesim/testing)', () => {
  it('never delivers more than the round supply', () => {
    fc.assert(
      fc.property(world, (doc) => {
        for (const m of chips(doc).metrics.perRound) expect(m.delivered).toBeLessThanOrEqual(m.supply * (1 + 1e-9) + 1e-6);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps capped purchases within the Tier 2 cap (doubled with a g2g agreement or cap-upgrade deal) and gives Tier 3 nothing under the tiered rule', () => {
    fc.assert(
      fc.property(world, (doc) => {
        const s = parseScenario({ ...doc, regime: 'tiered-2025' });
        if (s.kind !== 'chips') return;
        const r = chips({ ...doc, regime: 'tiered-2025' });
        const cap = 790_000_000 / s.tppPerH100e;
        const periods = Math.ceil(s.rounds / 12);
        for (const c of r.countries) {
          if (c.tier === 3) expect(c.delivered).toBe(0);
          if (c.tier !== 2) continue;
          expect(c.byRoute.capped + c.byRoute.deal).toBeLessThanOrEqual(2 * cap * periods + 1e-6);
          if (s.countries.find((x) => x.id === c.id)?.g2g !== true) expect(c.byRoute.capped).toBeLessThanOrEqual(cap * periods + 1e-6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('signs no deal worth less to either side than its reservation value, nor beyond the chips on offer', () => {
    fc.assert(
      fc.property(world, (doc) => {
        for (const n of eventsOf(chips(doc), 'negotiation')) {
          if (!n.agreement) continue;
          expect(atLeast(n.payoffs[0], n.reservations[0])).toBe(true);
          expect(atLeast(n.payoffs[1], n.reservations[1])).toBe(true);
          expect(n.agreement.outcome[0]).toBeLessThanOrEqual((n.upperBounds[0] ?? Infinity) + 1e-9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives identical bytes for the same seed', () => {
    fc.assert(
      fc.property(world, fc.integer({ min: 0, max: 1e6 }), (doc, seed) => {
        expect(JSON.stringify(chips(doc, seed))).toBe(JSON.stringify(chips(doc, seed)));
      }),
      { numRuns: 25 },
    );
  });

  it('replay equals run: the event log re-derives every country total and round metric it reports', () => {
    fc.assert(
      fc.property(world, (doc) => {
        const r = chips(doc);
        const t = totalsFromEvents(r);
        for (const c of r.countries) {
          const x = t.countries[c.id] ?? { delivered: 0, market: 0, capped: 0, exempt: 0, veu: 0, deal: 0, leaked: 0, rival: 0, deals: 0, negotiations: 0 };
          expect([c.delivered, c.leaked, c.rival, c.deals, c.negotiations].every((v, i) => close(v, [x.delivered, x.leaked, x.rival, x.deals, x.negotiations][i] as number))).toBe(true);
          expect(close(c.byRoute.market, x.market) && close(c.byRoute.capped, x.capped) && close(c.byRoute.deal, x.deal) && close(c.byRoute.exempt, x.exempt) && close(c.byRoute.veu, x.veu)).toBe(true);
        }
        r.metrics.perRound.forEach((m, i) => {
          const x = t.rounds[i];
          expect(x).toBeDefined();
          for (const k of ['supply', 'delivered', 'domestic', 'licensed', 'unsold', 'leakage', 'rivalSales', 'deals', 'negotiations'] as const) expect(close(m[k], x?.[k] ?? NaN)).toBe(true);
          // The accounting identity, from the event log alone.
          if (x) expect(close(x.supply, x.domestic + x.delivered + x.licensed + x.unsold)).toBe(true);
        });
        expect(close(r.metrics.final.delivered, r.countries.reduce((a, c) => a + c.delivered, 0))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('leaves every country\'s random draws unchanged when another country is added (streams are named, not counted)', () => {
    const draws = (r: ChipsResult, id: string) => new Map(eventsOf(r, 'leakage').filter((e) => e.country === id).map((e) => [e.round, e.draw]));
    fc.assert(
      fc.property(world, arbitraries.country('Q01', { complete: false }), fc.integer({ min: 0, max: 1e6 }), (doc, extra, seed) => {
        const a = chips(doc, seed);
        const b = chips({ ...doc, countries: [...doc.countries, extra] }, seed);
        for (const c of doc.countries) {
          const db = draws(b, c.id);
          for (const [round, d] of draws(a, c.id)) if (db.has(round)) expect(db.get(round)).toBe(d);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('ignores the order of countries in the file', () => {
    fc.assert(
      fc.property(world, fc.nat(), (doc, k) => {
        const a = chips(doc);
        const n = doc.countries.length;
        const rotated = [...doc.countries.slice(k % n), ...doc.countries.slice(0, k % n)].reverse();
        const b = chips({ ...doc, countries: rotated });
        expect(JSON.stringify(b.countries)).toBe(JSON.stringify(a.countries));
        expect(JSON.stringify(b.metrics)).toBe(JSON.stringify(a.metrics));
        expect(JSON.stringify(b.rounds)).toBe(JSON.stringify(a.rounds));
      }),
      { numRuns: 30 },
    );
  });
});

describe('two-party bargaining invariants (tradesim/testing)', () => {
  it('agreements are worth at least each reservation value, and offers stay within the issues', () => {
    fc.assert(
      fc.property(arbitraries.bargainingScenario({ maxIssues: 2, maxDeadline: 40 }), (doc) => {
        const r = runScenario(parseScenario(doc));
        if (r.kind !== 'bargaining') throw new Error('expected a bargaining result');
        const g = r.negotiation;
        if (g.agreement) {
          expect(atLeast(g.payoffs[0], g.reservations[0])).toBe(true);
          expect(atLeast(g.payoffs[1], g.reservations[1])).toBe(true);
        }
        for (const o of g.offers) o.outcome.forEach((v, i) => {
          const issue = g.issues[i];
          expect(issue !== undefined && v >= issue.min - 1e-9 && v <= issue.max + 1e-9).toBe(true);
        });
        expect(JSON.stringify(runScenario(parseScenario(doc)))).toBe(JSON.stringify(r));
      }),
      { numRuns: 60 },
    );
  });
});
