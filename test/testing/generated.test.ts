/**
 * The arbitraries of `tradesim/testing` always produce valid input: every generated scenario document, written
 * out as YAML, loads and validates like a user's file and runs without error. 300 of each kind here; set
 * TRADESIM_PROPERTY_RUNS=10000 (or run `npm run test:generated`) for the full count.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/core/expr.js';
import { arbitraries, runScenario, scenarioFromText } from '../../src/testing/index.js';

const RUNS = Number(process.env.TRADESIM_PROPERTY_RUNS ?? '300');
const timeout = Math.max(60_000, RUNS * 200);

function loadsAndRuns(doc: unknown): void {
  const ts = scenarioFromText(stringify(doc), 'generated.yaml');
  const r = runScenario(ts.scenario, { events: false });
  expect(r.kind).toBe(ts.scenario.kind);
}

describe('generated scenarios are valid', () => {
  it(`${RUNS} chips scenarios validate and run`, () => {
    fc.assert(fc.property(arbitraries.chipsScenario(), loadsAndRuns), { numRuns: RUNS });
  }, timeout);

  it(`${RUNS} bargaining scenarios validate and run`, () => {
    fc.assert(fc.property(arbitraries.bargainingScenario(), loadsAndRuns), { numRuns: RUNS });
  }, timeout);

  it('utility functions are finite on every offer', () => {
    const withUtility = arbitraries.issues().chain((issues) => fc.tuple(fc.constant(issues), arbitraries.utility(issues), arbitraries.offer(issues)));
    fc.assert(
      fc.property(withUtility, ([issues, utility, offer]) => {
        const u = compileExpression(utility, { where: { path: 'utility' }, variables: issues.map((i) => i.name), type: 'number' });
        const scope = Object.fromEntries(issues.map((i, k) => [i.name, offer[k] as number]));
        expect(Number.isFinite(u.evaluate(scope))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('size controls bound what is generated', () => {
    fc.assert(
      fc.property(arbitraries.chipsScenario({ minCountries: 2, maxCountries: 3, maxRounds: 4, maxAdversaries: 0, regimes: ['open'], customRegimes: false }), (doc) => {
        expect(doc.countries.length).toBeGreaterThanOrEqual(2);
        expect(doc.countries.length).toBeLessThanOrEqual(3);
        expect(doc.rounds).toBeLessThanOrEqual(4);
        expect(doc.adversaries ?? []).toHaveLength(0);
        expect(doc.regime).toBe('open');
      }),
      { numRuns: 50 },
    );
  });
});
