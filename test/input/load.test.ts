import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { canonicalJson } from '../../src/core/canonical.js';
import { loadScenarioFile, loadScenarioText } from '../../src/core/scenario/load.js';
import { fixture, inputError, inputErrorAsync, problemAt } from './helpers.js';

const chipsText = readFileSync(fixture('chips-min.yaml'), 'utf8');
const load = (sets: string[], text = chipsText, label = 'chips.yaml') => loadScenarioText(text, label, { sets });

describe('loading good scenarios', () => {
  it('loads a minimal chips scenario (YAML) with defaults applied', async () => {
    const l = await loadScenarioFile(fixture('chips-min.yaml'));
    expect(l.scenario.kind).toBe('chips');
    if (l.scenario.kind !== 'chips') return;
    expect(l.scenario.rounds).toBe(12);
    expect(l.scenario.countries.map((c) => c.id)).toEqual(['IND', 'ARE']);
    expect(l.scenario.countries[0]?.strategy).toEqual({ name: 'boulware', params: {} });
    expect(l.file).toBe(resolve(fixture('chips-min.yaml')));
    expect(l.files).toEqual([l.file]);
    expect(l.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((l.document as { rounds?: unknown }).rounds).toBeUndefined(); // the document is before defaults
  });

  it('loads a minimal bargaining scenario (JSON); a bare strategy name becomes {name, params}', async () => {
    const l = await loadScenarioFile(fixture('bargaining-min.json'));
    expect(l.scenario.kind).toBe('bargaining');
    if (l.scenario.kind !== 'bargaining') return;
    expect(l.scenario.parties[1].strategy).toEqual({ name: 'conceder', params: {} });
    expect(l.locate(['parties', 1, 'strategy'])).toEqual({ file: fixture('bargaining-min.json'), line: 7, column: 56 });
  });

  it('loads a minimal bargaining scenario (YAML)', () => {
    const l = loadScenarioText(readFileSync(fixture('bargaining-min.yaml'), 'utf8'), 'b.yaml');
    expect(l.scenario.kind).toBe('bargaining');
  });

  it('the hash is sha256 of canonical JSON: independent of key order and of YAML vs JSON', () => {
    const a = load([]);
    expect(a.hash).toBe(createHash('sha256').update(canonicalJson(a.scenario)).digest('hex'));
    const asJson = JSON.stringify(parseYaml(chipsText));
    expect(loadScenarioText(asJson, 'same.json').hash).toBe(a.hash);
    const reordered = chipsText.replace('kind: chips\nid: min-chips\n', 'id: min-chips\nkind: chips\n');
    expect(reordered).not.toBe(chipsText);
    expect(loadScenarioText(reordered, 'r.yaml').hash).toBe(a.hash);
    expect(load(['seed=2']).hash).not.toBe(a.hash);
  });

  it('locate maps paths to line and column; a default falls back to the enclosing value', () => {
    const l = load([]);
    expect(l.locate(['countries', 1, 'patience'])).toEqual({ file: 'chips.yaml', line: 28, column: 15 });
    expect(l.locate(['exporter'])).toEqual({ file: 'chips.yaml', line: 5, column: 3 });
    expect(l.locate(['countries', 1, 'rivalAccess'])).toEqual({ file: 'chips.yaml', line: 19, column: 5 });
    expect(l.where(['countries', 1, 'gdp'])).toEqual({ file: 'chips.yaml', line: 22, column: 10, path: 'countries[ARE].gdp' });
  });

  it('a BOM and CRLF line ends are fine', () => {
    const l = loadScenarioText(`\uFEFF${chipsText.replace(/\n/g, '\r\n')}`, 'crlf.yaml');
    expect(l.locate(['countries', 1, 'patience'])?.line).toBe(28);
  });
});

describe('extends', () => {
  it('merges mappings key by key and id lists element by element, with remove', async () => {
    const l = await loadScenarioFile(fixture('child-chips.yaml'));
    const s = l.scenario;
    if (s.kind !== 'chips') throw new Error('kind');
    expect(s.id).toBe('child');
    expect(s.title).toBe('Base world');
    expect(s.exporter.price).toBe(30000);
    expect(s.exporter.supplyPerRound).toBe(1000);
    expect(s.countries.map((c) => c.id)).toEqual(['IND', 'JPN', 'SGP']);
    expect(s.countries[0]).toMatchObject({ name: 'India', patience: 0.8, gdp: 3900 });
    expect(s.adversaries.map((a) => a.id)).toEqual(['CHN']);
    expect(s.provenance).toEqual({ 'countries.*.gdp': 'S55 IMF WEO 2024' });
    expect((l.document as Record<string, unknown>).extends).toBeUndefined();
    expect(l.files).toEqual([resolve(fixture('child-chips.yaml')), resolve(fixture('base-chips.yaml'))]);
    // Values remember the file they came from.
    expect(l.locate(['exporter', 'price'])).toMatchObject({ file: fixture('child-chips.yaml'), line: 4 });
    expect(l.locate(['exporter', 'supplyPerRound'])).toMatchObject({ file: fixture('base-chips.yaml'), line: 6 });
    expect(l.locate(['countries', 0, 'patience'])).toMatchObject({ file: fixture('child-chips.yaml'), line: 7 });
    expect(l.locate(['countries', 0, 'gdp'])).toMatchObject({ file: fixture('base-chips.yaml'), line: 14 });
  });

  it('resolves extends relative to the extending file, through a chain', async () => {
    const l = await loadScenarioFile(fixture('nested/grandchild.yaml'));
    const s = l.scenario;
    if (s.kind !== 'chips') throw new Error('kind');
    expect(l.files).toHaveLength(3);
    expect(s.id).toBe('grandchild');
    expect(s.rounds).toBe(8);
    expect(s.exporter.price).toBe(30000);
    expect(s.countries.find((c) => c.id === 'JPN')?.relations).toBe(0.95);
    expect(s.countries.find((c) => c.id === 'ARE')).toBeUndefined();
  });

  it('refuses cycles, naming the file, path and line of extends', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('cycle-a.yaml')));
    expect(e.message).toMatch(/extends cycle: cycle-a\.yaml -> cycle-b\.yaml -> cycle-a\.yaml/);
    expect(e.problems[0]).toMatchObject({ path: 'extends', line: 1 });
    expect(e.problems[0]?.file).toMatch(/cycle-b\.yaml$/);
    const self = await inputErrorAsync(() => loadScenarioFile(fixture('self-extends.yaml')));
    expect(self.message).toMatch(/extends cycle/);
  });

  it('a missing base names the extending file and line', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('missing-base.yaml')));
    expect(e.problems[0]).toMatchObject({ file: fixture('missing-base.yaml'), path: 'extends', line: 2 });
    expect(e.message).toMatch(/no such file/);
  });

  it('errors inside a base file name the base file', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('child-of-bad.yaml')));
    const p = problemAt(e, 'countries[IND].relations');
    expect(p.file).toBe(fixture('bad-base.yaml'));
    expect(p.line).toBe(14);
    expect(p.found).toBe('1.7');
  });

  it('a kind different from the base is refused', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('kind-mismatch.yaml')));
    expect(e.message).toMatch(/kind "bargaining" but its base .* is kind "chips"/);
  });

  it('remove of an unknown id, or remove without a base, is refused', async () => {
    const a = await inputErrorAsync(() => loadScenarioFile(fixture('remove-unknown.yaml')));
    expect(a.message).toMatch(/cannot remove 'XYZ'/);
    expect(a.problems[0]).toMatchObject({ path: 'countries[XYZ]', line: 3 });
    const b = await inputErrorAsync(() => loadScenarioFile(fixture('remove-without-base.yaml')));
    expect(b.message).toMatch(/'remove: true' only works in a file that extends/);
  });

  it('refuses chains longer than 8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-extends-'));
    try {
      writeFileSync(join(dir, 'f0.yaml'), chipsText);
      for (let i = 1; i <= 10; i++) writeFileSync(join(dir, `f${i}.yaml`), `extends: ./f${i - 1}.yaml\nid: f${i}\n`);
      expect(loadScenarioText(readFileSync(join(dir, 'f8.yaml'), 'utf8'), join(dir, 'f8.yaml')).scenario.id).toBe('f8');
      const e = inputError(() => loadScenarioText(readFileSync(join(dir, 'f10.yaml'), 'utf8'), join(dir, 'f10.yaml')));
      expect(e.message).toMatch(/extends chain too long/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('extends must be a string naming a .yaml/.yml/.json file', () => {
    expect(inputError(() => loadScenarioText('extends: [1]\nkind: chips\n', 'x.yaml')).message).toMatch(/extends must name a base/);
    expect(inputError(() => loadScenarioText('extends: ./wrong-extension.txt\n', fixture('x.yaml'))).message).toMatch(/unsupported file type/);
  });
});

describe('--set', () => {
  const chips = (sets: string[]) => {
    const s = load(sets).scenario;
    if (s.kind !== 'chips') throw new Error('kind');
    return s;
  };

  it('sets by index, by id in brackets and by id after a dot', () => {
    expect(chips(['countries[IND].patience=0.5']).countries[0]?.patience).toBe(0.5);
    expect(chips(['countries.ARE.patience=0.5']).countries[1]?.patience).toBe(0.5);
    expect(chips(['countries[1].gdp=7']).countries[1]?.gdp).toBe(7);
    expect(chips(['countries.0.gdp=8']).countries[0]?.gdp).toBe(8);
  });

  it('parses values as YAML scalars and flow values', () => {
    const s = chips([
      'exporter.strategy={name: linear, params: {beta: 2}}',
      'countries[IND].strategy=conceder',
      'countries[IND].veuEligible=true',
      'title="Hello: world"',
      'seed=42',
      'adversaries=[]',
      'rival={capacityPerRound: 5000}',
      'provenance={"countries.*.gdp": S55}',
      'provenance["exporter.price"]=assumption',
    ]);
    expect(s.exporter.strategy).toEqual({ name: 'linear', params: { beta: 2 } });
    expect(s.countries[0]?.strategy).toEqual({ name: 'conceder', params: {} });
    expect(s.countries[0]?.veuEligible).toBe(true);
    expect(s.title).toBe('Hello: world');
    expect(s.seed).toBe(42);
    expect(s.rival?.capacityPerRound).toBe(5000);
    expect(s.provenance).toEqual({ 'countries.*.gdp': 'S55', 'exporter.price': 'assumption' });
  });

  it('applies in order, after extends', async () => {
    expect(chips(['seed=1', 'seed=3']).seed).toBe(3);
    const l = await loadScenarioFile(fixture('child-chips.yaml'), { sets: ['countries[SGP].gdp=1', 'exporter.price=1'] });
    if (l.scenario.kind !== 'chips') throw new Error('kind');
    expect(l.scenario.countries[2]?.gdp).toBe(1);
    expect(l.scenario.exporter.price).toBe(1);
    expect(l.locate(['exporter', 'price'])).toBeUndefined(); // a --set value has no file position
  });

  const bad: [string, string, RegExp][] = [
    ['no =', 'countries[IND].patience', /missing '='/],
    ['no path', '=3', /missing path/],
    ['no value', 'seed=', /missing value/],
    ['unclosed bracket', 'countries[IND.patience=3', /malformed path: expected '\]'/],
    ['stray character', 'countries]x=3', /malformed path/],
    ['empty segment', 'exporter..price=3', /malformed path/],
    ['unknown top-level key', 'exportr.price=5', /no key 'exportr' under \(top level\) — did you mean 'exporter'\?/],
    ['unknown last key', 'countries[IND].patiense=0.5', /unknown key 'patiense' — did you mean 'patience'\?/],
    ['unknown id', 'countries[INX].patience=0.5', /no element with id 'INX' in countries — did you mean 'IND'\?/],
    ['index out of range', 'countries[5].gdp=3', /index 5 is past the end of countries \(it has 2 elements\)/],
    ['missing parent', 'rival.capacityPerRound=5', /'rival' is not in the scenario/],
    ['through a scalar', 'exporter.price.x=1', /exporter\.price is a number, so it has no 'x'/],
    ['__proto__', '__proto__.polluted=1', /the key '__proto__' is not allowed/],
    ['constructor', 'exporter.constructor=1', /the key 'constructor' is not allowed/],
    ['bad YAML value', 'title=[1,', /invalid value/],
    ['tagged value', 'title=!!js/function x', /invalid value/],
    ['two documents', 'title=a\n---\nb', /invalid value/],
    ['extends', 'extends=./base-chips.yaml', /extends cannot be set/],
  ];
  it.each(bad)('%s is an InputError with path --set', (_name, arg, pattern) => {
    const e = inputError(() => load([arg]));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]?.path).toBe('--set');
    expect(e.message).toMatch(pattern);
  });

  it('a value that fails validation names the document path and the --set', () => {
    const e = inputError(() => load(['countries[IND].patience=1.7']));
    const p = problemAt(e, 'countries[IND].patience');
    expect(p.message).toMatch(/from --set countries\[IND\]\.patience=1\.7/);
    expect(p).toMatchObject({ expected: 'a number greater than 0 and at most 1', found: '1.7' });
  });

  it('refuses a non-array sets option', () => {
    expect(() => loadScenarioText(chipsText, 'x.yaml', { sets: 'seed=1' as unknown as string[] })).toThrow(/list of path=value/);
  });
});

describe('validation problems', () => {
  it('names file, readable path, line, expected and found for every problem, sorted by line', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('many-errors.yaml')));
    const file = fixture('many-errors.yaml');
    for (const p of e.problems) {
      expect(p.file).toBe(file);
      expect(p.line).toBeGreaterThan(0);
      expect(p.path).toBeTruthy();
      expect(p.expected).toBeTruthy();
    }
    const lines = e.problems.map((p) => p.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(problemAt(e, 'exporter.supplyPerRound')).toMatchObject({ line: 4, expected: 'a number between 0 and 1e+12', found: '-5' });
    expect(problemAt(e, 'exporter.price')).toMatchObject({ line: 5, found: '"a lot"' });
    expect(problemAt(e, 'exporter.patiense').message).toMatch(/unknown key 'patiense' — did you mean 'patience'\?/);
    expect(problemAt(e, 'exporter.patiense').line).toBe(7);
    expect(problemAt(e, 'countries[IND].tier')).toMatchObject({ line: 11, expected: 'one of 1, 2, 3', found: '4' });
    expect(problemAt(e, 'countries[IND].relations')).toMatchObject({ line: 15, expected: 'a number between 0 and 1', found: '1.7' });
    // A missing key points at the element that lacks it.
    expect(problemAt(e, 'countries[IND].patience')).toMatchObject({ line: 9, found: 'nothing' });
    expect(problemAt(e, 'countries[IND].patience').message).toMatch(/missing required field 'patience'/);
    expect(problemAt(e, 'countries[ARE].strategy.parms').message).toMatch(/did you mean 'params'\?/);
    expect(problemAt(e, 'negotiation.information')).toMatchObject({ line: 30, expected: "one of 'complete', 'private'", found: '"partial"' });
    expect(problemAt(e, 'regime.tier1.market.periodRounds')).toMatchObject({ line: 33 });
    // Never a zod dump.
    expect(e.message).not.toMatch(/"code"|invalid_type|ZodError/);
  });

  it('a missing or wrong kind says which kinds exist', () => {
    const missing = inputError(() => loadScenarioText(chipsText.replace('kind: chips\n', ''), 'k.yaml'));
    expect(missing.problems).toHaveLength(1);
    expect(missing.problems[0]).toMatchObject({ path: 'kind', expected: "one of 'chips', 'bargaining'", found: 'nothing' });
    const wrong = inputError(() => loadScenarioText(chipsText.replace('kind: chips', 'kind: chipz'), 'k.yaml'));
    expect(wrong.problems[0]).toMatchObject({ path: 'kind', line: 2, column: 7, expected: "one of 'chips', 'bargaining'" });
    expect(wrong.message).toMatch(/did you mean 'chips'\?/);
  });

  it('problems are capped at 20', () => {
    const countries = Array.from({ length: 30 }, (_, i) => `  - {id: C${i}, name: c, tier: 9, gdp: 1, demandPerRound: 1, valuePerH100e: 1, relations: 0.5, diversionRisk: 0, enforcement: 0, patience: 0.9}`);
    const text = `kind: chips\nid: many\nexporter: {supplyPerRound: 1, price: 1, leakageCost: 1}\ncountries:\n${countries.join('\n')}\nregime: open\n`;
    const e = inputError(() => loadScenarioText(text, 'cap.yaml'));
    expect(e.problems).toHaveLength(20);
    expect(e.problems[19]?.message).toMatch(/and 11 more problems/);
    expect(e.problems[0]).toMatchObject({ path: 'countries[C0].tier', line: 5 });
  });

  it('checks expressions at load: bargaining utilities against the issue names', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('bad-expression.yaml')));
    expect(e.problems[0]).toMatchObject({ file: fixture('bad-expression.yaml'), path: 'parties[1].utility', line: 11, column: 14 });
    expect(e.message).toMatch(/unknown name 'shar'|not allowed/);
  });

  it('checks chips rule expressions (syntax, allow-list, result type)', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('bad-chips-expression.yaml')));
    expect(problemAt(e, 'regime.tier2.eligible').message).toMatch(/must be a condition/);
    expect(problemAt(e, 'regime.tier2.capExpr').message).toMatch(/property access/);
    expect(problemAt(e, 'regime.tier2.capExpr').line).toBe(11);
  });

  it('refuses duplicate ids and unusable issue names', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('duplicate-ids.yaml')));
    expect(e.problems[0]).toMatchObject({ path: 'countries[1].id', line: 6 });
    const text = readFileSync(fixture('bargaining-min.yaml'), 'utf8').replace('name: share', 'name: mod');
    expect(inputError(() => loadScenarioText(text, 'b.yaml')).message).toMatch(/the issue name 'mod' cannot be used in expressions/);
  });

  it('JSON files: errors have lines too', () => {
    const json = JSON.stringify(parseYaml(chipsText), null, 2).replace('"patience": 0.95', '"patience": 2');
    const e = inputError(() => loadScenarioText(json, 'x.json'));
    const line = json.split('\n').findIndex((l) => l.includes('"patience": 2')) + 1;
    expect(e.problems[0]).toMatchObject({ file: 'x.json', path: 'countries[IND].patience', line, column: 19 });
  });
});

afterAll(() => {
  // Nothing leaked onto Object.prototype by any test.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
