/** Spawn tests of compare, sweep and merge: the contracts a researcher and a batch system rely on. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChipsResult, ComparisonResult } from '../../src/core/events.js';
import { cli, hasStackTrace, ROOT } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-research-'));
const BIN = fileURLToPath(new URL('../../bin/tradesim.js', import.meta.url));
const CAL = 'scenarios/bilateral-2025.yaml';
const TOY = 'scenarios/teaching/three-country.yaml';
const rowsIn = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 2 : -1);

describe('tradesim compare', () => {
  it.each([['compare'], ['sweep'], ['merge']])('%s --help prints usage and exit codes', (cmd) => {
    const r = cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: tradesim /);
    expect(r.stdout).toMatch(/Exit codes/);
    expect(cli(['--help']).stdout).toContain(`  ${cmd} `);
  });

  it('reproduces tradesim run, run for run, for every regime and seed (common random numbers)', () => {
    const regimes = ['tiered-2025', 'bilateral', 'open'];
    const r = cli(['compare', CAL, '--regimes', regimes.join(','), '--seeds', '2', '--seed-start', '41', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as ComparisonResult;
    expect(c.seeds).toEqual([41, 42]);
    for (const regime of regimes) {
      c.seeds.forEach((seed, i) => {
        const run = cli(['run', CAL, '--regime', regime, '--seed', String(seed), '--json']);
        const res = JSON.parse(run.stdout) as ChipsResult;
        expect(c.runs?.[regime]?.[i]).toEqual(res.metrics.final);
        // The same run; only how it was invoked (the run's own provenance) differs.
        if (i === 0) expect(c.examples[regime]).toEqual({ ...res, provenance: undefined });
      });
    }
  });

  it('prints a tidy CSV, writes --out atomically, and refuses bad flags with exit 2', () => {
    const dir = tmp();
    const out = join(dir, 'cmp.json');
    const r = cli(['compare', TOY, '--regimes', 'bilateral,open', '--seeds', '5', '--csv', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('kind,regime,versus,country,metric,mean,lo,hi,n,level,method');
    expect((JSON.parse(readFileSync(out, 'utf8')) as ComparisonResult).kind).toBe('comparison');
    for (const [args, flag] of [
      [['--regimes', 'bilateral,opn', '--seeds', '5'], '--regime'],
      [['--regimes', 'bilateral', '--seeds', '1'], '--seeds'],
      [['--regimes', 'bilateral', '--seeds', '5', '--level', '95'], '--level'],
      [['--seeds', '5'], '--regimes'],
      [['--regimes', 'open,open', '--seeds', '5'], 'named twice'],
    ] as const) {
      const bad = cli(['compare', TOY, ...args]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(flag);
      expect(hasStackTrace(bad.stderr)).toBe(false);
    }
  });
});

describe('tradesim compare A.yaml B.yaml (scenario variants)', () => {
  const HIST = 'scenarios/history-2025-2026.yaml';
  const CF = 'scenarios/counterfactual-tiered-kept.yaml';

  it('compares a variant with its base on paired seeds, each under its own regime and timeline, and says who gains and loses', () => {
    const r = cli(['compare', HIST, CF, '--seeds', '2', '--rounds', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Comparison: history-2025-2026 vs counterfactual-tiered-kept');
    expect(r.stdout).toContain('Paired differences (b - a)');
    expect(r.stdout).toContain('Who gains and loses: counterfactual-tiered-kept - history-2025-2026');
    expect(r.stdout).toMatch(/its own regime\s+\S+\s+and timeline/);
    const j = cli(['compare', HIST, CF, '--seeds', '2', '--rounds', '3', '--json']);
    const c = JSON.parse(j.stdout) as ComparisonResult;
    expect(c.regimes).toEqual(['history-2025-2026', 'counterfactual-tiered-kept']);
    expect(c.arms?.map((a) => [a.file, a.scenarioId, a.regimeGiven])).toEqual([
      [HIST, 'history-2025-2026', false],
      [CF, 'counterfactual-tiered-kept', false],
    ]);
    // The arm's hash is the scenario's, as `tradesim validate` gives it; its runs are `tradesim run <file> --seed s`.
    const run = JSON.parse(cli(['run', CF, '--seed', String(c.seeds[1]), '--rounds', '3', '--json']).stdout) as ChipsResult;
    expect(c.runs?.['counterfactual-tiered-kept']?.[1]).toEqual(run.metrics.final);
    expect(c.countryDifferences?.length).toBeGreaterThan(0);
  });

  it('runs every file under each regime given, labelled id:regime', () => {
    const r = cli(['compare', TOY, 'scenarios/teaching/three-country.yaml', '--regimes', 'bilateral', '--seeds', '2', '--json']);
    // The same file twice under the same regime is the same arm.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the same arm is given twice/);
    const two = cli(['compare', HIST, CF, '--regimes', 'bilateral,open', '--seeds', '2', '--rounds', '2', '--json']);
    expect(two.code).toBe(0);
    const c = JSON.parse(two.stdout) as ComparisonResult;
    expect(c.regimes).toEqual(['history-2025-2026:bilateral', 'history-2025-2026:open', 'counterfactual-tiered-kept:bilateral', 'counterfactual-tiered-kept:open']);
    expect(c.arms?.every((a) => a.regimeGiven)).toBe(true);
  });

  it('with one file and no --regimes, says that a second scenario file also works; refuses a bargaining scenario', () => {
    const one = cli(['compare', TOY, '--seeds', '2']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--regimes/);
    expect(one.stderr).toMatch(/second scenario file/);
    expect(one.stderr.trim().split('\n')).toHaveLength(1);
    const barg = cli(['compare', TOY, 'scenarios/teaching/split-the-pie.yaml', '--seeds', '2']);
    expect(barg.code).toBe(2);
    expect(barg.stderr).toContain('split-the-pie.yaml');
    expect(barg.stderr).toMatch(/only chips scenarios/);
    expect(hasStackTrace(barg.stderr)).toBe(false);
  });
});

describe('tradesim sweep and merge', () => {
  const grid = ['--vary', 'exporter.supplyPerRound=15000:25000:3', '--vary', 'countries[MID].patience=0.6,0.95', '--seeds', '7'];

  it('writes identical rows with 1 and 2 workers, and a JSON summary only on stdout with --json', () => {
    const dir = tmp();
    const a = cli(['sweep', TOY, ...grid, '--out', join(dir, 'a.csv')]);
    const b = cli(['sweep', TOY, ...grid, '--workers', '2', '--out', join(dir, 'b.csv'), '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/wrote 42 of 42 rows/);
    expect(a.stderr).toBe(''); // no progress bar without a terminal
    expect(b.code).toBe(0);
    expect(b.stderr).toBe('');
    expect(JSON.parse(b.stdout)).toMatchObject({ runs: 42, written: 42, workers: 2 });
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a.csv'), 'utf8'));
    const meta = JSON.parse(readFileSync(join(dir, 'a.csv.meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ kind: 'tradesim-sweep', design: 'grid', totalRuns: 42, points: 6, seeds: 7, shard: null, vary: [grid[1], grid[3]] });
  });

  it('this thread and 1 or 2 worker threads, sharded or not, write the same rows as one thread (guided chunks of every size)', () => {
    const dir = tmp();
    const many = ['--vary', 'exporter.supplyPerRound=15000:25000:5', '--vary', 'countries[MID].patience=0.6,0.95', '--seeds', '45'];
    const one = cli(['sweep', TOY, ...many, '--out', join(dir, 'w1.jsonl')]);
    expect(one.code, one.stderr).toBe(0);
    const want = readFileSync(join(dir, 'w1.jsonl'), 'utf8');
    expect(want.trimEnd().split('\n').length).toBe(450);
    for (const w of ['2', '3']) {
      const r = cli(['sweep', TOY, ...many, '--workers', w, '--out', join(dir, `w${w}.jsonl`)]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, `w${w}.jsonl`), 'utf8')).toBe(want);
    }
    const parts = [1, 2].map((k) => join(dir, `s${k}.jsonl`));
    parts.forEach((f, i) => expect(cli(['sweep', TOY, ...many, '--workers', '2', '--shard', `${i + 1}/2`, '--out', f]).code).toBe(0));
    expect(cli(['merge', ...parts, '--out', join(dir, 'merged.jsonl')]).code).toBe(0);
    expect(readFileSync(join(dir, 'merged.jsonl'), 'utf8')).toBe(want);
  }, 60_000);

  it('shards merge back into the unsharded file; a missing or doubled shard exits 1, another sweep exits 2', () => {
    const dir = tmp();
    expect(cli(['sweep', TOY, ...grid, '--out', join(dir, 'all.jsonl')]).code).toBe(0);
    const parts = [1, 2, 3].map((k) => join(dir, `part-${k}.jsonl`));
    parts.forEach((p, k) => expect(cli(['sweep', TOY, ...grid, '--shard', `${k + 1}/3`, '--out', p]).code).toBe(0));
    const m = cli(['merge', ...parts, '--out', join(dir, 'merged.jsonl')]);
    expect(m.code).toBe(0);
    expect(readFileSync(join(dir, 'merged.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'all.jsonl'), 'utf8'));
    const missing = cli(['merge', parts[0] as string, parts[2] as string, '--out', join(dir, 'm2.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/14 run\(s\) missing: 1, 4, 7/);
    expect(existsSync(join(dir, 'm2.jsonl'))).toBe(false);
    const twice = cli(['merge', ...parts, parts[1] as string, '--out', join(dir, 'm3.jsonl')]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/present more than once: 1, 4/);
    expect(cli(['sweep', TOY, ...grid, '--seed-start', '9', '--shard', '2/3', '--out', join(dir, 'other.jsonl')]).code).toBe(0);
    const other = cli(['merge', parts[0] as string, join(dir, 'other.jsonl'), parts[2] as string, '--out', join(dir, 'm4.jsonl')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/not from the same sweep.*masterSeed/);
  });

  it('refuses bad --vary specs, paths and flags with exit 2 and a message naming the flag', () => {
    const dir = tmp();
    for (const [args, pattern] of [
      [['--vary', 'exporter.supplyPerRound'], /--vary.*missing '='/],
      [['--vary', 'countries[MDI].patience=0.5,0.9'], /--vary: no element with id 'MDI'.*did you mean 'MID'/],
      [['--vary', 'countries[MID].patience=0.5:1.5:3'], /too large.*--vary countries\[MID\]\.patience=0\.5:1\.5:3/],
      [['--vary', 'a=dist(cauchy, 0, 1)', '--design', 'lhs', '--samples', '4'], /--vary: unknown distribution "cauchy"/],
      [['--vary', 'countries[MID].patience=0.5,0.9', '--shard', '4/3'], /--shard: not a shard/],
      [['--vary', 'countries[MID].patience=0.5,0.9', '--design', 'sobol'], /--design: unknown design/],
    ] as const) {
      const r = cli(['sweep', TOY, ...args, '--out', join(dir, 'x.csv')]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    const noOut = cli(['sweep', TOY, '--vary', 'countries[MID].patience=0.5,0.9', '--out', join(dir, 'x.txt')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out.*\.csv or \.jsonl/);
  });

  it('killed with SIGKILL part way and resumed, the output equals an uninterrupted run byte for byte', async () => {
    const dir = tmp();
    const args = ['sweep', CAL, '--vary', 'exporter.supplyPerRound=300000:500000:4', '--seeds', '75'];
    const killed = join(dir, 'killed.csv');
    const child = spawn(process.execPath, [BIN, ...args, '--workers', '2', '--out', killed], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    for (let i = 0; i < 3000 && rowsIn(killed) < 1; i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const before = rowsIn(killed);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(300);
    const resumed = cli([...args, '--out', killed, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resumed after \d+/);
    const whole = join(dir, 'whole.csv');
    expect(cli([...args, '--out', whole]).code).toBe(0);
    expect(readFileSync(killed, 'utf8')).toBe(readFileSync(whole, 'utf8'));
  }, 120_000);
});

describe('tradesim sensitivity --method sobol', () => {
  it('gives the same indices with 1 and 2 workers, rows to a file included, and the Ishigami indices from a --function', () => {
    const dir = tmp();
    const args = ['sensitivity', TOY, '--method', 'sobol', '--samples', '16', '--resamples', '100', '--metric', 'leakage', '--json'];
    const a = cli(args);
    const b = cli([...args, '--workers', '2', '--rows', join(dir, 'rows.csv')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr).toBe('');
    // The command (and its provenance record) names the worker count; everything else must be the same.
    const strip = (t: string) => ({ ...(JSON.parse(t) as Record<string, unknown>), command: '', provenance: null });
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
    expect(rowsIn(join(dir, 'rows.csv'))).toBe((JSON.parse(a.stdout) as { runs: number }).runs);
    const f = cli(['sensitivity', '--method', 'sobol', '--function', 'sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)', '--param', 'x1=-pi:pi', '--param', 'x2=-pi:pi', '--param', 'x3=-pi:pi', '--samples', '4096']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/^x2\s+0\.4\d\d \[/m);
    const bad = cli(['sensitivity', '--method', 'sobol', '--function', 'x1 + ', '--param', 'x1=0:1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tradesim: error: --function/);
    expect(hasStackTrace(bad.stderr)).toBe(false);
  }, 60_000);
});
