/** `tradesim report` as a user runs it: outputs written atomically, bad input -> exit 2 with file and line. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { runFixture, sweepFixture, toCsv } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-report-cli-'));
let resultFile: string;
let csvFile: string;

beforeAll(async () => {
  resultFile = join(dir, 'result.json');
  writeFileSync(resultFile, JSON.stringify(await runFixture(5), null, 2));
  csvFile = join(dir, 'results.csv');
  writeFileSync(csvFile, toCsv(await sweepFixture({ vary: [{ path: 'exporter.price', values: [20000, 30000] }], seeds: [1, 2] })));
}, 60_000);

describe('tradesim report', () => {
  it('prints help', () => {
    const r = cli(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: tradesim report/);
  });

  it('writes HTML and Markdown, leaves no temporary files, and keeps stdout empty', () => {
    const out = join(dir, 'out');
    const r = cli(['report', resultFile, '--html', join(out, 'r.html'), '--md', join(out, 'r.md')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(out).sort()).toEqual(['r.html', 'r.md']);
    expect(readFileSync(join(out, 'r.html'), 'utf8')).toMatch(/Allocations by tier/);
    expect(readFileSync(join(out, 'r.md'), 'utf8')).toMatch(/## Allocations by country/);
  });

  it('gives the same bytes for the same input', () => {
    const a = join(dir, 'a.html');
    const b = join(dir, 'b.html');
    expect(cli(['report', csvFile, '--html', a]).code).toBe(0);
    expect(cli(['report', csvFile, '--html', b]).code).toBe(0);
    // The reproduce line names the output file; everything else is identical.
    expect(readFileSync(a, 'utf8').replace(/a\.html/g, 'X')).toBe(readFileSync(b, 'utf8').replace(/b\.html/g, 'X'));
  });

  it.each([
    [['report'], /<input>: missing input file/],
    [['report', 'x.json'], /--html: no output named/],
    [['report', 'x.json', '--pdf', 'y'], /Unknown option '--pdf'/],
  ])('%j -> exit 2', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it.each([
    ['corrupt.json', '{"schemaVersion": 1,\n"kind": chips}', /corrupt\.json:2:\d+: not valid JSON/],
    ['old.json', '{\n  "schemaVersion": 0,\n  "kind": "chips"\n}', /old\.json:2:\d+ at schemaVersion: unsupported artifact version; expected 2/],
    ['cols.csv', 'run,seed,regime\n0,1,open\n', /cols\.csv:1: missing column metrics\.<key>/],
    ['rows.csv', 'run,seed,regime,metrics.leakage\n0,1,open,1\n1,2,open,x\n', /rows\.csv:3 at metrics\.leakage: bad value/],
  ])('rejects %s with exit 2, the file and the line', (name, text, message) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    const r = cli(['report', f, '--html', join(dir, 'never.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(readdirSync(dir)).not.toContain('never.html');
  });
});
