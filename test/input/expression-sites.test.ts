/**
 * Every expression is checked when the file is loaded, wherever it sits: at each expression site the schema
 * defines (enumerated from the schema, so a new site fails this test until it is listed here), and when it
 * arrives as an `uncertain.<path>.oneOf` alternative or an `invariants.<name>.with` change. `validate` refuses
 * such a file (exit 2, naming the path); `check` never reports it as a counterexample nor copies it into a
 * reproduction file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { expressionSitePatterns } from '../../src/core/scenario/expression-sites.js';
import { scenarioFromText } from '../../src/testing/index.js';
import { cli, hasStackTrace } from '../helpers/cli.js';

const SITES = [
  'countries[].utility',
  'exporter.utility',
  'invariants.*',
  'invariants.*.expect',
  'parties[0].utility',
  'parties[1].utility',
  'regime.countries.*.capExpr',
  'regime.countries.*.eligible',
  'regime.tier1.capExpr',
  'regime.tier1.eligible',
  'regime.tier2.capExpr',
  'regime.tier2.eligible',
  'regime.tier3.capExpr',
  'regime.tier3.eligible',
  'regimes.*.countries.*.capExpr',
  'regimes.*.countries.*.eligible',
  'regimes.*.tier1.capExpr',
  'regimes.*.tier1.eligible',
  'regimes.*.tier2.capExpr',
  'regimes.*.tier2.eligible',
  'regimes.*.tier3.capExpr',
  'regimes.*.tier3.eligible',
];

/** Hostile expressions: forbidden functions, and constants with no finite value. */
const HOSTILE: readonly [string, RegExp][] = [
  ['import(1)', /the function 'import' is not allowed/],
  ['evaluate(1) > 0', /the function 'evaluate' is not allowed/],
  ['log(0) < 1', /log\(0\) is -Infinity/],
];

type Doc = Record<string, unknown>;

const country = { id: 'NTH', name: 'Northland', tier: 1, gdp: 100, demandPerRound: 10, valuePerH100e: 2, relations: 0.5, diversionRisk: 0, enforcement: 1, patience: 0.9 };
const chips = (): Doc => ({ kind: 'chips', id: 'c', rounds: 2, exporter: { supplyPerRound: 100, price: 1, leakageCost: 1 }, countries: [{ ...country }], regime: 'open' });
const bargaining = (): Doc => ({
  kind: 'bargaining',
  id: 'b',
  issues: [{ name: 'share', min: 0, max: 1 }],
  parties: [
    { name: 'A', utility: 'share' },
    { name: 'B', utility: '1 - share' },
  ],
});

/** A small document with `source` at the concrete place of `pattern` (`[]` the first element, `*` a key). */
function docWith(pattern: string, source: string): { doc: Doc; path: string } {
  const doc = pattern.startsWith('parties') ? bargaining() : chips();
  const parts = pattern.replace(/\[(\d*)\]/g, '.[$1]').split('.');
  let node: Record<string, unknown> | unknown[] = doc;
  const path: string[] = [];
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key = part === '[]' ? '0' : part.startsWith('[') ? part.slice(1, -1) : part === '*' ? (parts[i - 1] === 'countries' ? 'NTH' : parts[i - 1] === 'regimes' ? 'alt' : 'bad') : part;
    path.push(part === '[]' ? '[NTH]' : part.startsWith('[') ? part : key);
    const holder = node as Record<string, unknown>;
    if (last) {
      holder[key] = source;
      return;
    }
    let next = holder[key];
    if (typeof next !== 'object' || next === null) {
      next = key === 'regime' || parts[i - 1] === 'regimes' ? { id: key === 'regime' ? 'inline' : key } : {};
      holder[key] = next;
    }
    if (pattern.startsWith('regime') && (/^tier\d$/.test(key) || parts[i - 1] === 'countries')) (next as Record<string, unknown>).market = { capTpp: 1000, periodRounds: 4 };
    node = next as Record<string, unknown>;
  });
  return { doc, path: path.join('.').replace(/\.\[/g, '[') };
}

function refusal(text: string, label = 's.json'): InputError {
  try {
    scenarioFromText(text, label);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`expected ${text.slice(0, 200)} to be refused`);
}

const dir = mkdtempSync(join(tmpdir(), 'tradesim-sites-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('expression sites', () => {
  it('the schema defines exactly these sites (a new one must be added here, and is checked at load)', () => {
    expect(expressionSitePatterns()).toEqual(SITES);
  });

  describe.each(SITES)('%s', (pattern) => {
    it.each(HOSTILE)('refuses %s written there, naming the path', (source, message) => {
      const { doc, path } = docWith(pattern, source);
      const e = refusal(JSON.stringify(doc));
      expect(e.message).toMatch(message);
      expect(e.problems.some((p) => p.path === path || p.path === `${path}`.replace(/\.expect$/, '.expect'))).toBe(true);
    });

    it.skipIf(pattern.startsWith('invariants'))('refuses import(1) arriving through uncertain oneOf and through a with: change', () => {
      const { doc, path } = docWith(pattern, pattern.includes('eligible') ? 'gdp > 0' : pattern.includes('parties') ? 'share' : '1');
      const viaOneOf = { ...doc, uncertain: { [path]: { oneOf: ['import(1)'] } } };
      const a = refusal(JSON.stringify(viaOneOf));
      expect(a.message).toMatch(/the function 'import' is not allowed/);
      expect(a.problems[0]?.path).toBe(`uncertain[${JSON.stringify(path)}]`);
      const viaWith = { ...doc, invariants: { x: { with: { [path]: 'import(1)' }, identical: true } } };
      const b = refusal(JSON.stringify(viaWith));
      expect(b.message).toMatch(/the function 'import' is not allowed/);
      expect(b.problems[0]?.path).toBe('invariants.x.with');
    });
  });
});

describe('the CLI refuses expressions arriving through uncertain and with (exit 2)', () => {
  const oneOf = ['--set', 'uncertain["parties[1].utility"]={oneOf: ["import({a: 1}, {override: true})"]}'];
  it('validate', () => {
    const r = cli(['validate', 'scenarios/teaching/split-the-pie.yaml', ...oneOf]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uncertain\["parties\[1\]\.utility"\]: 'parties\[1\]\.utility' can be drawn as .*the function 'import' is not allowed/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('check: bad input, not a counterexample, and no reproduction file', () => {
    const r = cli(['check', 'scenarios/teaching/split-the-pie.yaml', ...oneOf, '--runs', '5', '--out-dir', join(dir, 'ce')]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'ce'))).toBe(false);
  });

  it('a with: change and a constant with no finite value', () => {
    const r = cli(['validate', 'scenarios/teaching/split-the-pie.yaml', '--set', 'invariants.x={with: {"parties[0].utility": "1/0"}, identical: true}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invariants\.x\.with: .*1 \/ 0 is Infinity/);
  });

  it('uncertain and with cannot reach the declarations themselves', () => {
    const r = cli(['validate', 'scenarios/teaching/split-the-pie.yaml', '--set', 'uncertain["invariants.y"]={oneOf: ["1 > 0"]}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'invariants' is not a value of the model/);
  });
});
