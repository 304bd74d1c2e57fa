/** Invariant expressions: dotted names and list aggregates, opt-in in the sandbox; everything else stays locked. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { compileExpression } from '../../src/core/expr.js';

const lists = { 'countries.tier': 'countries', 'countries.delivered': 'countries', 'rounds.supply': 'rounds', 'rounds.delivered': 'rounds' };
const variables = ['final.leakage', 'final.supply', 'country.FAR.delivered'];
const inv = (source: string) => compileExpression(source, { where: { file: 'f.yaml', path: 'invariants.x', line: 3 }, variables, lists, type: 'boolean' });
const scope = {
  'final.leakage': 10,
  'final.supply': 1000,
  'country.FAR.delivered': 0,
  'countries.tier': [1, 2, 3],
  'countries.delivered': [50, 20, 0],
  'rounds.supply': [100, 100],
  'rounds.delivered': [70, 100],
};

function problem(source: string): string {
  try {
    inv(source);
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  return 'compiled';
}

describe('invariant expressions', () => {
  it.each([
    ['all(rounds.delivered <= rounds.supply)', true],
    ['all(countries.tier != 3 or countries.delivered == 0)', true],
    ['any(countries.delivered > 40)', true],
    ['count(countries.delivered > 0) == 2', true],
    ['sum(countries.delivered) == 70 and mean(rounds.delivered) == 85', true],
    ['max(countries.delivered) == 50 and min(rounds.delivered) == 70', true],
    ['max(final.leakage, 3) == 10', true],
    ['all(countries.delivered <= max(countries.delivered))', true],
    ['all(countries.delivered <= sum(rounds.delivered))', true],
    ['final.leakage <= 0.02 * final.supply', true],
    ['final.leakage <= 0.005 * final.supply', false],
    ['all(countries.delivered > 0)', false],
  ])('%s is %s', (source, expected) => {
    expect(inv(source).test(scope)).toBe(expected);
  });

  it('reports which elements made all() false', () => {
    const { value, aggregates } = inv('all(countries.delivered > 10)').explain(scope);
    expect(value).toBe(0);
    expect(aggregates).toEqual([{ fn: 'all', kind: 'countries', indices: [2] }]);
  });

  it.each([
    ['countries.delivered > 0', /is a list .*use it inside all\(\)/],
    ['all(countries.delivered <= rounds.supply)', /list over rounds but this aggregate already reads a list over countries/],
    ['all(countries.delivered)', /needs a condition on each element/],
    ['sum(countries.tier == 3) > 0', /needs a number for each element/],
    ['all(final.leakage > 0)', /needs a list/],
    ['final.leekage > 0', /unknown name 'final.leekage' — did you mean 'final.leakage'\?/],
    ['final["leakage"] > 0', /only dotted names/],
    ['final.leakage.constructor > 0', /unknown name/],
    ['sum(countries.delivered)', /must be a condition/],
    ['all(countries.delivered > 0, 1)', /takes 1 argument/],
  ])('rejects %s', (source, message) => {
    const m = problem(source);
    expect(m).toMatch(message);
    expect(m).toMatch(/^f\.yaml:3 at invariants\.x: /);
  });

  it('keeps dotted names and aggregates off for ordinary scenario expressions', () => {
    const plain = (source: string) => () => compileExpression(source, { where: { path: 'x' }, variables: ['a'], type: 'number' });
    expect(plain('a.b')).toThrow(/property access/);
    expect(plain('sum(a)')).toThrow(/the function 'sum' is not allowed/);
  });

  it('treats mean of an empty list as an evaluation error, all() of one as true', () => {
    const empty = { ...scope, 'countries.tier': [], 'countries.delivered': [] };
    expect(inv('all(countries.delivered > 0)').test(empty)).toBe(true);
    expect(() => inv('mean(countries.delivered) > 0').test(empty)).toThrow(/empty list of countries/);
  });
});
