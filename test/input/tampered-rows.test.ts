/**
 * `sweep --resume` and `merge` copy rows as they are, so they check every row's cells against the sweep (its
 * run id, seed and parameter values recomputed from the metadata, a regime name, numbers for the metrics),
 * not only its run id: a damaged or edited row is refused with exit 2, the file and the line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowChecker } from '../../src/research/sweep-file.js';
import type { SweepMeta } from '../../src/research/sweep.js';
import { cli, hasStackTrace } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-tamper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SWEEP = ['sweep', 'scenarios/teaching/three-country.yaml', '--vary', 'countries[MID].patience=0.8,0.9', '--seeds', '3'];

let full = '';
let meta: SweepMeta;
beforeAll(() => {
  const out = join(dir, 'full.csv');
  expect(cli([...SWEEP, '--out', out]).code).toBe(0);
  full = readFileSync(out, 'utf8');
  meta = JSON.parse(readFileSync(`${out}.meta.json`, 'utf8')) as SweepMeta;
}, 60_000);

/** The sweep's file with line `k` (1-based, the header is line 1) changed, cut after `keep` lines. */
function damaged(name: string, k: number, change: (line: string) => string, keep = 5): string {
  const lines = full.split('\n');
  lines[k - 1] = change(lines[k - 1] as string);
  const out = join(dir, name);
  writeFileSync(out, `${lines.slice(0, keep).join('\n')}\n`);
  writeFileSync(`${out}.meta.json`, JSON.stringify(meta));
  return out;
}

const CHANGES: [string, (l: string) => string, RegExp][] = [
  ['a metric that is not a number', (l) => l.replace(/,[^,]*$/, ',=HYPERLINK(x)'), /metrics\.\w+ is "=HYPERLINK\(x\)", not a number or empty/],
  ['a wrong seed', (l) => l.replace(/^(\d+),(\d+),/, (_m, r: string, s: string) => `${r},${Number(s) + 100},`), /seed is "\d+", not \d+/],
  ['a wrong parameter value', (l) => l.replace(',0.8,', ',0.85,'), /countries\[MID\]\.patience is "0\.85", not 0\.8/],
  ['a missing cell', (l) => l.replace(/,[^,]*$/, ''), /cells, not \d+/],
  ['garbage', (l) => l.replace(/,.*$/, ',\u0000\u0001garbage'), /cells, not|not a number/],
];

describe('sweep --resume checks every row', () => {
  it.each(CHANGES)('%s: exit 2 naming the file and the line', (_name, change, message) => {
    const out = damaged('resume.csv', 3, change);
    const r = cli([...SWEEP, '--out', out, '--resume']);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/resume\.csv:3 at --resume: row of run 1 is not what this sweep wrote/);
    expect(r.code).toBe(2);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('an intact partial file still resumes to the same bytes', () => {
    const out = damaged('ok.csv', 3, (l) => l, 4);
    expect(cli([...SWEEP, '--out', out, '--resume']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(full);
  });
});

describe('merge checks every row', () => {
  it('a damaged row in a shard is refused, naming the file and line', () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    expect(cli([...SWEEP, '--shard', '1/2', '--out', a]).code).toBe(0);
    expect(cli([...SWEEP, '--shard', '2/2', '--out', b]).code).toBe(0);
    const lines = readFileSync(b, 'utf8').split('\n');
    lines[2] = (lines[2] as string).replace(/,[^,]*$/, ',oops');
    writeFileSync(b, lines.join('\n'));
    const r = cli(['merge', a, b, '--out', join(dir, 'merged.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b\.csv:3 at merge: row of run 3 is not what the sweep wrote \(metrics\.\w+ is "oops", not a number or empty\)/);
  });

  it('the checker accepts every row the sweep wrote', () => {
    const check = rowChecker(meta);
    full.split('\n').slice(1, -1).forEach((line, i) => expect(check(line, i)).toBeUndefined());
  });
});
