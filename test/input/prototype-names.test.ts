/**
 * Names that ordinary JavaScript objects already have (constructor, toString, valueOf, hasOwnProperty,
 * __proto__...) as regime ids, country ids, record keys or --set targets: a clear exit 2 naming the place,
 * never exit 70, and nothing polluted.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/core/scenario/load.js';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { inputError } from './helpers.js';

const TOY = 'scenarios/teaching/three-country.yaml';
const PIE = 'scenarios/teaching/split-the-pie.yaml';

describe('prototype names on the command line', () => {
  const cases: [string, string[], RegExp][] = [
    ['--set regime=constructor', ['validate', TOY, '--set', 'regime=constructor'], /regime: the regime 'constructor' is a reserved name/],
    ['--regime constructor', ['run', TOY, '--regime', 'constructor'], /--regime: unknown regime "constructor"/],
    ['--regime toString', ['run', TOY, '--regime', 'toString', '--json'], /--regime: unknown regime "toString"/],
    ['a country id toString', ['run', TOY, '--set', 'countries[NTH].id=toString', '--json'], /countries\[toString\]\.id: the country id 'toString' is a reserved name/],
    ['a country id valueOf', ['run', TOY, '--set', 'countries[NTH].id=valueOf', '--json'], /the country id 'valueOf' is a reserved name/],
    ['an exporter id', ['run', TOY, '--set', 'exporter.id=isPrototypeOf', '--json'], /the exporter id 'isPrototypeOf' is a reserved name/],
    ['an adversary id', ['run', TOY, '--set', 'adversaries[0].id=hasOwnProperty', '--json'], /the adversary id 'hasOwnProperty' is a reserved name/],
    ['a regime key in a --set value', ['run', TOY, '--set', 'regimes={toString: {id: toString}}', '--json'], /the key 'toString' is not allowed/],
    ['a --set target', ['run', TOY, '--set', 'regimes.valueOf={id: valueOf}', '--json'], /--set: the key 'valueOf' is not allowed/],
    ['a party name', ['run', PIE, '--set', 'parties[0].name=toString', '--json'], /parties\[0\]\.name: the party name 'toString' is a reserved name/],
    ['a provenance key', ['validate', TOY, '--set', 'provenance.toString=assumption'], /--set: the key 'toString' is not allowed/],
    ['an invariant name', ['validate', TOY, '--set', 'invariants.toString=final.leakage >= 0'], /--set: the key 'toString' is not allowed/],
    ['compare --regimes', ['compare', TOY, '--regimes', 'constructor,open', '--seeds', '2'], /unknown regime "constructor"/],
    ['sensitivity --regime', ['sensitivity', TOY, '--metric', 'leakage', '--regime', 'constructor', '--vary', 'countries[MID].patience=0.8:0.9', '--seeds', '1'], /unknown regime "constructor"/],
    ['check: a regime in oneOf', ['check', TOY, '--set', 'uncertain.regime={oneOf: [bilateral, constructor]}', '--runs', '3', '--out-dir', join(tmpdir(), 'tradesim-proto-counterexamples')], /the regime 'constructor' is a reserved name/],
  ];
  it.each(cases)('%s: exit 2 naming the place, no stack trace', (_name, args, message) => {
    const r = cli(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('sweep --vary regime=constructor,open', () => {
    const r = cli(['sweep', TOY, '--vary', 'regime=constructor,open', '--out', '/tmp/tradesim-proto-never-written.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/constructor/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe('prototype names in files', () => {
  const base = 'kind: chips\nid: toy\nexporter: { supplyPerRound: 100, price: 1, leakageCost: 1 }\ncountries:\n  - { id: NTH, name: N, tier: 1, gdp: 1, demandPerRound: 10, valuePerH100e: 2, relations: 0.5, diversionRisk: 0, enforcement: 1, patience: 0.9 }\n';
  it.each([
    ['a regime key', `${base}regime: open\nregimes:\n  toString: { id: toString }\n`, /the key 'toString' is not allowed/, 8],
    ['a country rule key', `${base}regime: { id: mine, countries: { valueOf: { market: unlimited } } }\n`, /the key 'valueOf' is not allowed/, 6],
    ['a __ key', `${base}regime: open\nprovenance: { __defineGetter__: x }\n`, /the key '__defineGetter__' is not allowed/, 7],
    ['a regime name', `${base}regime: hasOwnProperty\n`, /the regime 'hasOwnProperty' is a reserved name/, 6],
    ['a country id', base.replace('id: NTH', 'id: propertyIsEnumerable') + 'regime: open\n', /the country id 'propertyIsEnumerable' is a reserved name/, 5],
  ])('%s: refused with its line', (_name, text, message, line) => {
    const e = inputError(() => loadScenarioText(text, 'proto.yaml'));
    expect(e.message).toMatch(message);
    expect(e.problems[0]?.line).toBe(line);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
