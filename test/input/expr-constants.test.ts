/**
 * Constant non-finite expressions (`1/0`, `log(0)`, ...) are refused when the expression is compiled - at
 * load, by `validate` - at every site, not first when a run evaluates them.
 */
import { describe, expect, it } from 'vitest';
import { checkExpression, compileExpression } from '../../src/core/expr.js';
import { loadScenarioText } from '../../src/core/scenario/load.js';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { inputError } from './helpers.js';

const where = { file: 's.yaml', path: 'parties[0].utility', line: 3, column: 5 };

describe('constant parts are folded at compile time', () => {
  it.each([
    ['1/0', /1 \/ 0 is Infinity, not a finite number/],
    ['-1/0', /is -Infinity/],
    ['0/0', /is NaN/],
    ['log(0)', /log\(0\) is -Infinity/],
    ['log10(0)', /is -Infinity/],
    ['sqrt(-1)', /sqrt\(-1\) has no real value/],
    ['(-8)^(1/3)', /has no real value/],
    ['exp(1000)', /exp\(1000\) is Infinity/],
    ['1e308 * 10', /is Infinity/],
    ['x + 1/0', /1 \/ 0 is Infinity/],
    ['x > 0 ? x : log(0)', /log\(0\) is -Infinity/],
    ['max(x, 1/0)', /is Infinity/],
    ['round(2.5, 99)', /has no real value/],
  ])('%s is refused with its place', (source, message) => {
    for (const compile of [() => compileExpression(source, { where, variables: ['x'], type: 'number' }), () => checkExpression(source, { where, type: 'number' })]) {
      const e = inputError(compile);
      expect(e.message).toMatch(message);
      expect(e.problems[0]).toMatchObject({ file: 's.yaml', path: 'parties[0].utility', line: 3 });
    }
  });

  it('keeps finite constants and their values, numbers and conditions alike', () => {
    const c = compileExpression('2 * pi + x * (1 + 1) + (3 > 2 ? 1 : 0)', { where, variables: ['x'], type: 'number' });
    expect(c.evaluate({ x: 1 })).toBeCloseTo(2 * Math.PI + 3, 12);
    expect(compileExpression('1 < 2 and x > 0', { where, variables: ['x'], type: 'boolean' }).test({ x: 1 })).toBe(true);
    expect(compileExpression('0.5', { where, variables: [], type: 'number' }).evaluate({})).toBe(0.5);
    // A variable's non-finite value is still found when evaluating, with the values.
    expect(() => compileExpression('1 / x', { where, variables: ['x'], type: 'number' }).evaluate({ x: 0 })).toThrow(/gave Infinity with x=0/);
  });
});

describe('at every expression site of a scenario', () => {
  const bargaining = (utility: string): string => `kind: bargaining\nid: b\nissues: [{ name: share, min: 0, max: 1 }]\nparties:\n  - { name: A, utility: "${utility}" }\n  - { name: B, utility: "1 - share" }\n`;
  const chips = (rule: string): string =>
    `kind: chips\nid: c\nexporter: { supplyPerRound: 100, price: 1, leakageCost: 1 }\ncountries:\n  - { id: NTH, name: N, tier: 1, gdp: 1, demandPerRound: 10, valuePerH100e: 2, relations: 0.5, diversionRisk: 0, enforcement: 1, patience: 0.9 }\nregime: open\nregimes:\n  alt: { id: alt, tier1: ${rule} }\n`;

  it('parties[].utility', () => {
    const e = inputError(() => loadScenarioText(bargaining('share + log(0)'), 'b.yaml'));
    expect(e.problems[0]).toMatchObject({ file: 'b.yaml', path: 'parties[0].utility', line: 5 });
    expect(e.message).toMatch(/log\(0\) is -Infinity/);
  });

  it('capExpr and eligible of a regime that is not selected', () => {
    const cap = inputError(() => loadScenarioText(chips('{ market: { capTpp: 1, periodRounds: 4 }, capExpr: "gdp * (1/0)" }'), 'c.yaml'));
    expect(cap.problems[0]).toMatchObject({ path: 'regimes.alt.tier1.capExpr', line: 8 });
    const eligible = inputError(() => loadScenarioText(chips('{ eligible: "sqrt(-4) > gdp" }'), 'c.yaml'));
    expect(eligible.problems[0]).toMatchObject({ path: 'regimes.alt.tier1.eligible' });
    expect(eligible.message).toMatch(/sqrt\(-4\) has no real value/);
  });

  it('validate exits 2 for 1/0 given by --set, naming the path', () => {
    const r = cli(['validate', 'scenarios/teaching/split-the-pie.yaml', '--set', 'parties[0].utility=1/0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/parties\[0\]\.utility: expression "1\/0": 1 \/ 0 is Infinity, not a finite number/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
