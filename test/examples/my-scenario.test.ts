/**
 * An example property test of a user's own scenario, written against the public API only (`tradesim/testing`,
 * built by `npm run build`). docs/testing.md explains each part.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arbitraries, assertInvariants, fc, forAllParameters, loadScenario, parseScenario, runScenario } from 'tradesim/testing';

const world = await loadScenario(fileURLToPath(new URL('./my-scenario.yaml', import.meta.url)));

describe('my scenario', () => {
  it('satisfies its declared invariants (what `tradesim check` runs)', () => {
    assertInvariants(world, { runs: 60, seed: 42 });
  }, 60_000);

  it('never lets Farland (Tier 3) buy on the market, whatever the uncertain values', () => {
    forAllParameters(
      world,
      ({ result }) => {
        if (result.kind !== 'chips') throw new Error('expected a chips result');
        const farland = result.countries.find((c) => c.id === 'FAR');
        expect(farland?.byRoute.market).toBe(0);
      },
      { numRuns: 40, seed: 42 },
    );
  });

  it('keeps total deliveries within supply in any small generated world', () => {
    fc.assert(
      fc.property(arbitraries.chipsScenario({ maxCountries: 3, maxRounds: 4 }), (doc) => {
        const result = runScenario(parseScenario(doc));
        if (result.kind !== 'chips') throw new Error('expected a chips result');
        expect(result.metrics.final.delivered).toBeLessThanOrEqual(result.metrics.perRound.reduce((a, m) => a + m.supply, 0) * (1 + 1e-9));
      }),
      { numRuns: 30, seed: 42 },
    );
  });
});
