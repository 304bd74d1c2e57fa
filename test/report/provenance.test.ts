/**
 * Provenance (issue 20): a what-if made with --set and --rounds says so in its artifact and on its report page
 * (title, stamp, the exact command), the reproduce block runs from one working folder with every argument
 * quoted (zsh globs unquoted brackets), and one scenario file with the same --set has one hash in validate,
 * run, compare and sweep.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellArg, shellCommand } from '../../src/report/shell.js';
import { cli, ROOT } from '../helpers/cli.js';

const TOY = join(ROOT, 'scenarios/teaching/three-country.yaml');
const SET = 'countries[MID].enforcement=0.9';
const dir = mkdtempSync(join(tmpdir(), 'tradesim-provenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a what-if keeps its provenance', () => {
  it('compare --set --rounds -> report: the page says what-if, prints the overrides and a quoted reproduce block from one folder', () => {
    const c = cli(['compare', TOY, '--regimes', 'tiered-2025,bilateral', '--seeds', '2', '--set', SET, '--rounds', '3', '--out', 'c.json'], { cwd: dir });
    expect(c.code).toBe(0);
    const artifact = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as { provenance: unknown };
    expect(artifact.provenance).toEqual({
      command: `tradesim compare ${TOY} --regimes tiered-2025,bilateral --seeds 2 --set '${SET}' --rounds 3 --out c.json`,
      cwd: dir,
      overrides: [SET],
      rounds: 3,
      regime: 'tiered-2025,bilateral',
    });
    // The report runs from another folder: its paths in the block are given from the artifact's folder.
    mkdirSync(join(dir, 'pages'), { recursive: true });
    const r = cli(['report', '../c.json', '--html', 'c.html', '--md', 'c.md'], { cwd: join(dir, 'pages') });
    expect(r.code).toBe(0);
    const md = readFileSync(join(dir, 'pages', 'c.md'), 'utf8');
    expect(md).toMatch(/^# What-if: Comparison: /);
    expect(md).toMatch(/What-if: overrides --set countries\\\[MID\\\]\.enforcement=0\.9; --rounds 3/);
    expect(md).toMatch(/\| overrides \(--set\) \| countries\\\[MID\\\]\.enforcement=0\.9 \|/);
    expect(md).toMatch(/\| rounds \(--rounds\) \| 3 \|/);
    const block = /```sh\n([\s\S]*?)```/.exec(md)?.[1] ?? '';
    expect(block.trim().split('\n')).toEqual([
      `cd ${dir}`,
      `tradesim compare ${TOY} --regimes tiered-2025,bilateral --seeds 2 --set '${SET}' --rounds 3 --out c.json`,
      'tradesim report c.json --html pages/c.html --md pages/c.md',
    ]);
    const html = readFileSync(join(dir, 'pages', 'c.html'), 'utf8');
    expect(html).toContain('<h1>What-if: Comparison: ');
    expect(html).not.toMatch(/not recorded/);
  }, 60_000);

  it('one scenario file with the same --set has one hash in validate, run, compare and sweep', () => {
    const v = cli(['validate', TOY, '--set', SET, '--json'], { cwd: dir });
    const hash = (JSON.parse(v.stdout) as { hash: string }).hash;
    const run = JSON.parse(cli(['run', TOY, '--set', SET, '--rounds', '3', '--regime', 'open', '--json'], { cwd: dir }).stdout) as { scenario: { hash: string }; provenance: { overrides: string[]; rounds: number; regime: string } };
    expect(run.scenario.hash).toBe(hash);
    expect(run.provenance).toMatchObject({ overrides: [SET], rounds: 3, regime: 'open' });
    const compare = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as { scenario: { hash: string }; arms: { hash: string }[] };
    expect(compare.scenario.hash).toBe(hash);
    expect(compare.arms.map((a) => a.hash)).toEqual([hash, hash]);
    const s = cli(['sweep', TOY, '--set', SET, '--vary', 'exporter.supplyPerRound=15000,25000', '--out', 's.csv'], { cwd: dir });
    expect(s.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, 's.csv.meta.json'), 'utf8')) as { scenario: { hash: string }; provenance: { command: string } };
    expect(meta.scenario.hash).toBe(hash);
    expect(meta.provenance.command).toBe(`tradesim sweep ${TOY} --set '${SET}' --vary exporter.supplyPerRound=15000,25000 --out s.csv`);
  }, 60_000);
});

describe('reproduce commands paste into a shell as they were run', () => {
  it('quotes brackets, a leading =, spaces and quotes; leaves plain words bare', () => {
    expect(shellArg('countries[ARE].patience=0.9')).toBe("'countries[ARE].patience=0.9'");
    expect(shellArg('=x')).toBe("'=x'");
    expect(shellArg('scenarios/a-b_c.yaml')).toBe('scenarios/a-b_c.yaml');
    expect(shellArg('--seed=3')).toBe('--seed=3');
    const args = ['countries[ARE].x=1', "it's", 'a b', '*', '$HOME', '', '=ls', '{a,b}'];
    // Each argument comes back unchanged through a real shell (with nullglob-like failures, zsh's default, on).
    const r = spawnSync('bash', ['-O', 'failglob', '-c', `printf '%s\\n' ${shellCommand(args)}`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${args.join('\n')}\n`);
  });
});
