/** Reading report inputs: every bad file is an InputError naming the file, the line and the place. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, formatProblem } from '../../src/core/errors.js';
import type { ChipsResult } from '../../src/core/events.js';
import { csvRecords, parseSweepCsv, parseSweepJsonl, readReportInput } from '../../src/report/input.js';
import { runFixture, sweepFixture, toCsv, toJsonl, writeSweep, type SweepFixture } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-report-input-'));

async function problem(file: string): Promise<string> {
  try {
    await readReportInput(file);
  } catch (e) {
    if (e instanceof InputError) return e.problems.map(formatProblem).join('\n');
    throw e;
  }
  throw new Error(`${file} was accepted`);
}

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

let sweep: SweepFixture;
let run: ChipsResult;

beforeAll(async () => {
  sweep = await sweepFixture({ vary: [{ path: 'exporter.supplyPerRound', values: [15000, 25000] }], seeds: [1, 2] });
  run = await runFixture(3);
}, 60_000);

describe('CSV records', () => {
  it('handles quotes, doubled quotes, embedded commas and newlines, and CRLF, with start lines', () => {
    const recs = csvRecords('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n\n3,4\n', 't.csv');
    expect(recs).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', '2'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });

  it('rejects an unterminated quote with its line', () => {
    expect(() => csvRecords('a,b\n1,"open\n', 't.csv')).toThrow(/t\.csv:2.*unterminated/);
  });
});

describe('sweep rows', () => {
  it('reads the CSV contract: run, seed, parameters, regime, metrics (empty = null)', () => {
    const t = parseSweepCsv(toCsv(sweep), 'r.csv');
    expect(t.params).toEqual(['exporter.supplyPerRound']);
    expect(t.metrics).toContain('leakage');
    expect(t.rows).toHaveLength(4);
    expect(t.rows[3]?.params['exporter.supplyPerRound']).toBe(25000);
    expect(t.rows[0]?.regime).toBe('bilateral');
    const nullable = sweep.header.indexOf('metrics.meanRoundsToAgreement');
    const original = sweep.rows[0]?.[nullable];
    expect(t.rows[0]?.metrics.meanRoundsToAgreement).toBe(original ?? null);
  });

  it('reads JSONL with the same keys to the same table', () => {
    expect(parseSweepJsonl(toJsonl(sweep), 'r.jsonl')).toEqual(parseSweepCsv(toCsv(sweep), 'r.csv'));
  });

  it('keeps text parameter values (a list of strategy names) as text', () => {
    const t = parseSweepCsv('run,seed,exporter.strategy,regime,metrics.leakage\n0,1,boulware,open,5\n1,1,linear,open,\n', 's.csv');
    expect(t.rows.map((r) => r.params['exporter.strategy'])).toEqual(['boulware', 'linear']);
    expect(t.rows[1]?.metrics.leakage).toBeNull();
  });

  it.each([
    ['missing-regime.csv', 'run,seed,x,metrics.leakage\n0,1,2,3\n', /missing-regime\.csv:1: missing column regime/],
    ['no-metrics.csv', 'run,seed,x,regime\n0,1,2,open\n', /no-metrics\.csv:1: missing column metrics\.<key>/],
    ['short-row.csv', 'run,seed,x,regime,metrics.leakage\n0,1,2,open,3\n1,1,2,open\n', /short-row\.csv:3: row has 4 cells; expected 5 cells/],
    ['bad-metric.csv', 'run,seed,x,regime,metrics.leakage\n0,1,2,open,lots\n', /bad-metric\.csv:2 at metrics\.leakage: bad value in column metrics\.leakage; expected a number, or empty.*found "lots"/],
    ['bad-seed.csv', 'run,seed,x,regime,metrics.leakage\n0,-1,2,open,3\n', /bad-seed\.csv:2 at seed/],
    ['dup.csv', 'run,seed,x,x,regime,metrics.leakage\n', /dup\.csv:1: column x appears twice/],
    ['empty.csv', '', /empty\.csv:1: empty file/],
    ['bad.jsonl', '{"run":0,"seed":1,"regime":"open","metrics.leakage":1}\n{"run":1,"seed":1,\n', /bad\.jsonl:2(:\d+)?: not valid JSON/],
    ['missing-key.jsonl', '{"run":0,"seed":1,"regime":"open","metrics.leakage":1}\n{"run":1,"seed":1,"regime":"open"}\n', /missing-key\.jsonl:2 at metrics\.leakage: row has no metrics\.leakage/],
  ])('rejects %s with file and line', async (name, text, message) => {
    expect(await problem(write(name, text))).toMatch(message);
  });

  it('reads a sidecar <file>.meta.json when present', async () => {
    const f = writeSweep(dir, 'with-meta.csv', sweep, { scenario: { id: 'three-country', hash: 'h' } });
    const input = await readReportInput(f);
    expect(input.kind === 'sweep' && input.meta).toEqual({ scenario: { id: 'three-country', hash: 'h' } });
    writeFileSync(`${f}.meta.json`, '{"scenario": ');
    expect(await problem(f)).toMatch(/with-meta\.csv\.meta\.json:1(:\d+)?: not valid JSON/);
  });
});

describe('JSON artifacts', () => {
  it('reads a run artifact', async () => {
    const input = await readReportInput(write('run.json', JSON.stringify(run, null, 2)));
    expect(input.kind).toBe('run');
  });

  it('names the line of a JSON syntax error', async () => {
    expect(await problem(write('corrupt.json', '{\n  "schemaVersion": 1,\n  "kind": "chips",\n  oops\n}\n'))).toMatch(/corrupt\.json:4:3: not valid JSON/);
  });

  it('rejects another schema version, naming the path and line', async () => {
    const text = JSON.stringify({ ...run, schemaVersion: 3 }, null, 2);
    expect(await problem(write('v3.json', text))).toMatch(/v3\.json:2:\d+ at schemaVersion: unsupported artifact version; expected 2.*found 3/);
  });

  it('rejects a malformed field with its path and line', async () => {
    const bad = { ...run, countries: run.countries.map((c, i) => (i === 1 ? { ...c, delivered: 'many' } : c)) };
    const text = JSON.stringify(bad, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"delivered": "many"')) + 1;
    expect(await problem(write('field.json', text))).toMatch(new RegExp(`field\\.json:${line}:\\d+ at countries\\[1\\]\\.delivered: .*found "many"`));
  });

  it.each([
    ['list.json', '[1, 2]', /list\.json:1: not a tradesim artifact; expected a JSON object/],
    ['kind.json', '{"schemaVersion": 2, "kind": "pie"}', /kind\.json:1:\d+ at kind: unknown artifact kind/],
    ['bargaining.json', '{"schemaVersion": 2, "kind": "bargaining"}', /at kind: reports cover chip-world runs/],
  ])('rejects %s', async (name, text, message) => {
    expect(await problem(write(name, text))).toMatch(message);
  });

  it('names a missing file', async () => {
    expect(await problem(join(dir, 'nope.json'))).toMatch(/nope\.json: cannot read the file: no such file/);
  });
});

describe('sweep rows as tradesim sweep writes them', () => {
  it('reads a regime varied as a parameter (a second regime column) once', () => {
    const t = parseSweepCsv('run,seed,regime,regime,metrics.leakage\n0,1,open,open,5\n1,1,bilateral,bilateral,4\n', 'r.csv');
    expect(t.params).toEqual([]);
    expect(t.rows.map((r) => r.regime)).toEqual(['open', 'bilateral']);
  });

  it('keeps boolean parameter values of JSONL as text', () => {
    const t = parseSweepJsonl('{"run":0,"seed":1,"flag":true,"regime":"open","metrics.leakage":null}\n', 'r.jsonl');
    expect(t.rows[0]?.params.flag).toBe('true');
    expect(t.rows[0]?.metrics.leakage).toBeNull();
  });
});
