/**
 * CSV formula injection (OWASP): a text cell that starts with = + - @, tab or CR is written with a leading
 * single quote (and quoted), so a spreadsheet shows it as text; numbers stay numbers; tradesim's own readers
 * (report, --resume, merge) read the original text back.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvCell, csvLine, parseCsvLine } from '../../src/core/csv.js';
import { csvRecords } from '../../src/report/input.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('csvCell', () => {
  it.each([
    ['=1+2', `"'=1+2"`],
    ['+SUM(A1)', `"'+SUM(A1)"`],
    ['-cmd|calc', `"'-cmd|calc"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ["'=x", `"''=x"`],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['plain', 'plain'],
    ['-5', '-5'],
    ['+1.5e3', '+1.5e3'],
  ])('%j -> %s', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('numbers stay numbers', () => {
    expect(csvLine([-5, 0, 1.5, -1e-7, null, true])).toBe('-5,0,1.5,-1e-7,,true\n');
  });

  it('reading gives back the text written, for any text on one line', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme-ascii' }).filter((s) => !/[\r\n]/.test(s)), { minLength: 1, maxLength: 6 }), (cells) => {
        const line = csvLine(cells).replace(/\n$/, '');
        expect(parseCsvLine(line)).toEqual(cells);
        // (a line of one empty cell is a blank line to the report reader)
        if (line !== '') expect(csvRecords(`${line}\n`, 'x.csv')[0]?.cells).toEqual(cells);
      }),
      { numRuns: 300, seed: 22 },
    );
  });
});

describe('sweep CSV', () => {
  it('guards formula-like text values, and report reads them back', () => {
    const out = join(dir, 'inj.csv');
    const r = cli(['sweep', 'scenarios/teaching/three-country.yaml', '--vary', 'title==1+2,-cmd,+x,plain', '--out', out]);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`,"'=1+2",`);
    expect(text).toContain(`,"'-cmd",`);
    expect(text).toContain(`,"'+x",`);
    expect(text).toContain(',plain,');
    // Every data line starts with its run number, unguarded: numbers stay numbers.
    expect(text.split('\n').slice(1, -1).every((l) => /^\d+,\d+,/.test(l))).toBe(true);
    const md = join(dir, 'inj.md');
    expect(cli(['report', out, '--md', md]).code).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/\| =1\+2 \|/);
  });
});
