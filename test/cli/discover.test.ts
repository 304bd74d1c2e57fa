/** tradesim discover through the CLI: a planted box in a sweep-shaped CSV, noise, a plain table, bad input. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveryResult } from '../../src/core/events.js';
import { stream } from '../../src/core/rng.js';
import { cli, hasStackTrace } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-discover-'));

/** Sweep-shaped rows: run, seed, world, regime lever, three inputs, two metrics; `y` decides metric a. */
function sweepCsv(n: number, seed: number, y: (x: number[], regime: string, u: () => number) => boolean): string {
  const u = stream(seed, 'test/discover');
  const lines = ['run,seed,world,regime,p.a,p.b,p.c,metrics.leakage,metrics.revenueUsd'];
  for (let i = 0; i < n; i++) {
    const x = [u(), u(), u()];
    const regime = u() < 0.5 ? 'tiered-2025' : 'bilateral';
    const hit = y(x, regime, u);
    lines.push([i, 1, i, regime, ...x, hit ? 100 + u() : u() * 50, 1e9 * u()].join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('tradesim discover', () => {
  it('recovers a planted box (p.a > 0.7, p.b < 0.5 under bilateral) with quasi-p-values and a significant permutation test', () => {
    const dir = tmp();
    const f = join(dir, 'rows.csv');
    writeFileSync(f, sweepCsv(1500, 1, (x, regime) => (x[0] as number) > 0.7 && (x[1] as number) < 0.5 && regime === 'bilateral'));
    const r = cli(['discover', f, '--where', 'final.leakage > 75', '--permutations', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as DiscoveryResult;
    expect(d.inputs.map((i) => i.name)).toEqual(['regime', 'p.a', 'p.b', 'p.c']);
    expect(d.prim.significant).toBe(true);
    const box = d.prim.box;
    const lim = (name: string) => box?.restricted.find((x) => x.limit.name === name)?.limit;
    expect(box?.restricted.map((x) => x.limit.name).sort()).toEqual(['p.a', 'p.b', 'regime']);
    const a = lim('p.a');
    const b = lim('p.b');
    expect(a?.kind === 'number' ? a.lo : -1).toBeGreaterThan(0.65);
    expect(a?.kind === 'number' ? a.lo : 9).toBeLessThan(0.75);
    expect(b?.kind === 'number' ? b.hi : 9).toBeLessThan(0.55);
    expect(b?.kind === 'number' ? b.hi : -1).toBeGreaterThan(0.45);
    expect(lim('regime')).toMatchObject({ levels: ['bilateral'] });
    expect(box?.density).toBeGreaterThan(0.95);
    expect(box?.coverage).toBeGreaterThan(0.9);
    for (const x of box?.restricted ?? []) expect(x.quasiP).toBeLessThan(0.001);
    const text = cli(['discover', f, '--where', 'final.leakage > 75', '--permutations', '20']);
    expect(text.stdout).toMatch(/Peeling trajectory/);
    expect(text.stdout).toMatch(/Chosen box/);
    expect(text.stdout).toMatch(/CART tree/);
  }, 60_000);

  it('finds nothing significant when the condition does not depend on the inputs', () => {
    const dir = tmp();
    const f = join(dir, 'noise.csv');
    writeFileSync(f, sweepCsv(800, 2, (_x, _r, u) => u() < 0.3));
    const r = cli(['discover', f, '--where', 'final.leakage > 75', '--permutations', '100', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as DiscoveryResult;
    expect(d.prim.significant).toBe(false);
    expect(cli(['discover', f, '--where', 'final.leakage > 75', '--permutations', '100']).stdout).toMatch(/Nothing significant at 0\.05/);
  }, 60_000);

  it('reads a plain table (the condition on any column, not an input) and refuses bad input with exit 2', () => {
    const dir = tmp();
    const f = join(dir, 'plain.csv');
    const u = stream(3, 'test/discover/plain');
    const rows = ['x1,x2,y'];
    for (let i = 0; i < 600; i++) {
      const x1 = u();
      const x2 = u();
      rows.push(`${x1},${x2},${x1 < 0.3 ? 1 : 0}`);
    }
    writeFileSync(f, `${rows.join('\n')}\n`);
    const r = cli(['discover', f, '--where', 'y == 1', '--permutations', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as DiscoveryResult;
    expect(d.inputs.map((i) => i.name)).toEqual(['x1', 'x2']);
    expect(d.prim.box?.restricted.map((x) => x.limit.name)).toEqual(['x1']);
    for (const [args, message] of [
      [['discover', f, '--where', 'z > 1'], /--where/],
      [['discover', f], /--where: missing condition/],
      [['discover', f, '--where', 'y == 1', '--inputs', 'x3'], /--inputs: x3 is not a column/],
      [['discover', f, '--where', 'y == 1', '--peel', '0.7'], /--peel: out of range/],
      [['discover', join(dir, 'none.csv'), '--where', 'y == 1'], /none\.csv/],
    ] as const) {
      const bad = cli(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(hasStackTrace(bad.stderr)).toBe(false);
    }
    expect(cli(['discover', '--help']).stdout).toMatch(/Usage: tradesim discover/);
  }, 60_000);
});
