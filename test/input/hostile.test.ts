/**
 * Hostile scenario files: resource exhaustion, code-execution tags, prototype pollution, binary garbage, and a
 * fuzz that mutates a valid scenario. Every case must end in an InputError (never another error, a hang or a
 * polluted prototype).
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadScenarioFile, loadScenarioText } from '../../src/core/scenario/load.js';
import { fixture, inputError, inputErrorAsync } from './helpers.js';

const chipsText = readFileSync(fixture('chips-min.yaml'), 'utf8');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradesim-hostile-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

function timed<T>(f: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = f();
  return { result, ms: performance.now() - t0 };
}

describe('hostile files', () => {
  it('billion laughs (alias bomb) is refused quickly', async () => {
    const t0 = performance.now();
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('billion-laughs.yaml')));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e.message).toMatch(/too many aliases/);
    expect(e.problems[0]?.file).toBe(fixture('billion-laughs.yaml'));
    expect(e.problems[0]?.line).toBeGreaterThan(1);
  });

  it('a wide alias fan-out within the alias limit is still capped by the node limit', () => {
    const big = `kind: chips\na: &a [${Array.from({ length: 5000 }, () => '1').join(',')}]\nb: [${Array.from({ length: 90 }, () => '*a').join(',')}]\n`;
    const { result: e, ms } = timed(() => inputError(() => loadScenarioText(big, 'fan.yaml')));
    expect(e.message).toMatch(/too many values/);
    expect(ms).toBeLessThan(2000);
  });

  it('a recursive alias is refused', () => {
    expect(inputError(() => loadScenarioText(readFileSync(fixture('recursive-alias.yaml'), 'utf8'), 'r.yaml')).message).toMatch(/refers to a value that contains it|unknown anchor/);
  });

  it('custom and unknown tags are errors, not strings or objects', async () => {
    const a = await inputErrorAsync(() => loadScenarioFile(fixture('custom-tag.yaml')));
    expect(a.message).toMatch(/unsupported tag.*!!js\/function/);
    expect(a.problems[0]?.line).toBe(3);
    const b = await inputErrorAsync(() => loadScenarioFile(fixture('local-tag.yaml')));
    expect(b.message).toMatch(/unsupported tag.*!exploit/);
    for (const tag of ['!!binary aGVsbG8=', '!!timestamp 2001-12-14', '!!set {a}', '!!omap [a: 1]', '!!python/object:os.system x', '!<tag:yaml.org,2002:js/undefined> x']) {
      expect(() => loadScenarioText(`kind: chips\ntitle: ${tag}\n`, 't.yaml'), tag).toThrow(InputError);
    }
  });

  it('duplicate keys are refused with the key and line', async () => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture('duplicate-keys.yaml')));
    expect(e.problems[0]).toMatchObject({ line: 3 });
    expect(e.message).toMatch(/duplicate key 'id'/);
    expect(inputError(() => loadScenarioText('{"kind": "chips", "kind": "chips"}', 'd.json')).message).toMatch(/duplicate key 'kind'/);
    // Keys equal after conversion to text are duplicates too.
    expect(inputError(() => loadScenarioText('kind: chips\nprovenance: {1: a, "1": b}\n', 'd.yaml')).message).toMatch(/duplicate key '1'/);
  });

  it('files over 2 MB are refused before parsing', async () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `kind: chips\ndescription: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    const e = await inputErrorAsync(() => loadScenarioFile(file));
    expect(e.message).toMatch(/file too large/);
    expect(inputError(() => loadScenarioText('#'.repeat(2 * 1024 * 1024 + 1), 'huge.yaml')).message).toMatch(/file too large/);
  });

  it('deep nesting is refused (flow, block and pathological)', () => {
    const flow = `kind: chips\nx: ${'['.repeat(100)}${']'.repeat(100)}\n`;
    expect(inputError(() => loadScenarioText(flow, 'deep.yaml')).message).toMatch(/nested too deeply \(more than 64 levels\)/);
    let block = 'kind: chips\n';
    for (let i = 0; i < 70; i++) block += `${'  '.repeat(i)}k${i}:\n`;
    expect(inputError(() => loadScenarioText(block, 'deep.yaml')).message).toMatch(/nested too deeply/);
    const { result: e, ms } = timed(() => inputError(() => loadScenarioText(`x: ${'['.repeat(20_000)}`, 'deeper.yaml')));
    expect(e.message).toMatch(/nested too deeply|YAML error/);
    expect(ms).toBeLessThan(5000);
    const json = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    expect(inputError(() => loadScenarioText(json, 'deep.json')).message).toMatch(/nested too deeply/);
  });

  it('prototype-pollution keys are refused and nothing is polluted', async () => {
    const a = await inputErrorAsync(() => loadScenarioFile(fixture('proto-pollution.yaml')));
    expect(a.message).toMatch(/the key '__proto__' is not allowed/);
    expect(a.problems[0]).toMatchObject({ line: 7, path: 'exporter' });
    const b = await inputErrorAsync(() => loadScenarioFile(fixture('proto-pollution.json')));
    expect(b.message).toMatch(/the key 'constructor' is not allowed/);
    for (const text of ['"__proto__": {polluted: 1}', 'prototype: 1', 'provenance: {__proto__: x}', 'a: [{constructor: {prototype: {polluted: 1}}}]', '? __proto__\n: 1']) {
      expect(() => loadScenarioText(`kind: chips\n${text}\n`, 'p.yaml'), text).toThrow(InputError);
    }
    for (const set of ['__proto__.polluted=1', 'exporter.__proto__={polluted: 1}', 'provenance["__proto__"]=x', 'constructor.prototype.polluted=1', 'title={__proto__: {polluted: 1}}']) {
      expect(() => loadScenarioText(chipsText, 'p.yaml', { sets: [set] }), set).toThrow(InputError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('binary garbage and invalid UTF-8 are refused', async () => {
    // Deterministic pseudo-random bytes (no Math.random).
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    const file = join(dir, 'garbage.yaml');
    writeFileSync(file, bytes);
    expect((await inputErrorAsync(() => loadScenarioFile(file))).message).toMatch(/not a text file/);
    const png = join(dir, 'image.yaml');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect((await inputErrorAsync(() => loadScenarioFile(png))).message).toMatch(/not a text file/);
    const latin1 = join(dir, 'latin1.yaml');
    writeFileSync(latin1, Buffer.from('kind: chips\ntitle: caf\xe9\n', 'latin1'));
    expect((await inputErrorAsync(() => loadScenarioFile(latin1))).message).toMatch(/not valid UTF-8/);
    expect(inputError(() => loadScenarioText('kind: chips\u0000\n', 'nul.yaml')).problems[0]).toMatchObject({ line: 1, column: 12, found: 'U+0000' });
  });

  it.each([
    ['empty.yaml', /the file is empty/],
    ['comment-only.yaml', /the file is empty/],
    ['multi-doc.yaml', /more than one YAML document/],
    ['top-level-list.yaml', /top level must be a mapping/],
    ['top-level-scalar.json', /top level must be a mapping/],
    ['yaml-in-json.json', /JSON error/],
    ['merge-key.yaml', /YAML merge keys \(<<\) are not supported/],
    ['wrong-extension.txt', /unsupported file type/],
    ['does-not-exist.yaml', /no such file/],
    ['nested', /unsupported file type|directory/],
  ])('%s is an InputError', async (name, pattern) => {
    const e = await inputErrorAsync(() => loadScenarioFile(fixture(name)));
    expect(e.message).toMatch(pattern);
    expect(e.problems[0]?.file).toBeTruthy();
  });

  it('a directory named like a scenario is an InputError', async () => {
    const d = join(dir, 'dir.yaml');
    mkdirSync(d, { recursive: true });
    expect((await inputErrorAsync(() => loadScenarioFile(d))).message).toMatch(/it is a directory/);
  });

  it('bad file names are InputErrors', async () => {
    await expect(loadScenarioFile('')).rejects.toBeInstanceOf(InputError);
    await expect(loadScenarioFile(undefined as unknown as string)).rejects.toBeInstanceOf(InputError);
    expect(() => loadScenarioText(undefined as unknown as string, 'x.yaml')).toThrow(InputError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Fuzz: mutate a valid scenario's text; the loader must succeed or throw InputError, quickly.
// ---------------------------------------------------------------------------------------------------------

const yamlChars = fc.constantFrom(...'abcxyz019.-_ :[]{},&*!|>\'"#%@?~\n\t\\=<'.split(''), '\u0000', '\uFEFF', '\u202E', '__proto__', '!!js/function', '*a', '&a', '---', '...');
const json = fc.jsonValue({ maxDepth: 3 });

type Mutation = (text: string) => string;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 20 })).map(([at, n]): Mutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + t.slice(i + n);
  }),
  fc.tuple(fc.nat(), fc.array(yamlChars, { minLength: 1, maxLength: 8 })).map(([at, cs]): Mutation => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + cs.join('') + t.slice(i);
  }),
  fc.tuple(fc.nat(), yamlChars).map(([at, c]): Mutation => (t) => {
    const i = at % Math.max(1, t.length);
    return t.slice(0, i) + c + t.slice(i + 1);
  }),
  // Replace the value of one `key: value` line with a random JSON value.
  fc.tuple(fc.nat(), json).map(([at, v]): Mutation => (t) => {
    const lines = t.split('\n');
    const candidates = lines.map((l, i) => (/^\s*(- )?[A-Za-z]+: \S/.test(l) ? i : -1)).filter((i) => i >= 0);
    const k = candidates[at % Math.max(1, candidates.length)];
    if (k === undefined) return t;
    lines[k] = (lines[k] as string).replace(/: .*$/, `: ${JSON.stringify(v)}`);
    return lines.join('\n');
  }),
  // Duplicate or drop a line, or change its indentation.
  fc.tuple(fc.nat(), fc.constantFrom('dup', 'drop', 'indent', 'dedent')).map(([at, op]): Mutation => (t) => {
    const lines = t.split('\n');
    const k = at % lines.length;
    const line = lines[k] as string;
    if (op === 'dup') lines.splice(k, 0, line);
    else if (op === 'drop') lines.splice(k, 1);
    else if (op === 'indent') lines[k] = `  ${line}`;
    else lines[k] = line.replace(/^ {1,2}/, '');
    return lines.join('\n');
  }),
);

function loadsOrInputError(text: string, label: string, sets?: string[]): 'ok' | 'input' {
  try {
    loadScenarioText(text, label, sets ? { sets } : {});
    return 'ok';
  } catch (e) {
    if (e instanceof InputError) {
      // Every problem is a message a person can read: no stack traces, no zod dumps.
      expect(e.message).not.toMatch(/\n\s+at |ZodError|"code":/);
      return 'input';
    }
    throw e;
  }
}

describe('fuzz', () => {
  it('mutated valid scenarios load or throw InputError within a time bound', () => {
    const seen = { ok: 0, input: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const text = ms.reduce((t, m) => m(t), chipsText);
        const { result, ms: took } = timed(() => loadsOrInputError(text, 'fuzz.yaml'));
        seen[result]++;
        expect(took).toBeLessThan(1000);
      }),
      { numRuns: 300 },
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.input).toBeGreaterThan(0);
  });

  it('the same mutations of the JSON form load or throw InputError', () => {
    const jsonText = JSON.stringify(loadScenarioText(chipsText, 'c.yaml').document, null, 2);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const text = ms.reduce((t, m) => m(t), jsonText);
        expect(timed(() => loadsOrInputError(text, 'fuzz.json')).ms).toBeLessThan(1000);
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary text and arbitrary --set arguments load or throw InputError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        loadsOrInputError(s, 'any.yaml');
      }),
      { numRuns: 300 },
    );
    const setArg = fc.tuple(fc.array(fc.constantFrom('countries', '[IND]', '[0]', '[9]', '.', 'exporter', 'price', 'strategy', 'x', '[', ']', '"', '__proto__', 'IND'), { maxLength: 6 }), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.array(setArg, { maxLength: 3 }), (args) => {
        loadsOrInputError(chipsText, 'set.yaml', args.map(([p, v]) => `${p.join('')}=${v}`));
      }),
      { numRuns: 300 },
    );
  });
});
