/** Levers x uncertain worlds through the CLI: byte-identical rows whatever --workers, shards or --resume. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hasStackTrace } from '../helpers/cli.js';

const TOY = 'scenarios/teaching/three-country.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-worlds-'));
const ARGS = ['--levers', 'regime=tiered-2025,bilateral', '--levers', 'countries[MID].patience=0.6,0.95', '--uncertainty', '5', '--seeds', '2', '--factors', 'exporter.supplyPerRound,countries[*].enforcement'];

describe('sweep --levers x --uncertainty', () => {
  it('writes the same bytes with 1 or 2 workers, sharded and merged, and resumed after a cut', () => {
    const dir = tmp();
    const f = (n: string) => join(dir, n);
    const one = cli(['sweep', TOY, ...ARGS, '--out', f('w1.csv')]);
    expect(one.code, one.stderr).toBe(0);
    const want = readFileSync(f('w1.csv'), 'utf8');
    const lines = want.trimEnd().split('\n');
    // 2 regimes x 2 patience levels x 5 worlds x 2 seeds.
    expect(lines.length - 1).toBe(40);
    expect(cli(['sweep', TOY, ...ARGS, '--workers', '2', '--out', f('w2.csv')]).code).toBe(0);
    expect(readFileSync(f('w2.csv'), 'utf8')).toBe(want);
    expect(cli(['sweep', TOY, ...ARGS, '--shard', '1/2', '--out', f('s1.csv')]).code).toBe(0);
    expect(cli(['sweep', TOY, ...ARGS, '--shard', '2/2', '--workers', '2', '--out', f('s2.csv')]).code).toBe(0);
    expect(cli(['merge', f('s1.csv'), f('s2.csv'), '--out', f('m.csv')]).code).toBe(0);
    expect(readFileSync(f('m.csv'), 'utf8')).toBe(want);
    writeFileSync(f('r.csv'), `${lines.slice(0, 17).join('\n')}\n`);
    copyFileSync(f('w1.csv.meta.json'), f('r.csv.meta.json'));
    const resumed = cli(['sweep', TOY, ...ARGS, '--out', f('r.csv'), '--resume']);
    expect(resumed.stdout).toMatch(/resumed after 16/);
    expect(readFileSync(f('r.csv'), 'utf8')).toBe(want);
    // Paired: every lever combination sees the same worlds (the factor columns of world w are the same).
    const header = (lines[0] ?? '').split(',');
    const world = header.indexOf('world');
    const factorCols = header.map((c, i) => (c.startsWith('exporter.') || /^countries\[(NTH|FAR)\]|^countries\[MID\]\.enforcement/.test(c) ? i : -1)).filter((i) => i >= 0);
    expect(factorCols.length).toBe(4);
    const seen = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const w = cells[world] ?? '';
      const v = factorCols.map((i) => cells[i]).join('|');
      expect(seen.get(w) ?? v, `world ${w}`).toBe(v);
      seen.set(w, v);
    }
    expect(seen.size).toBe(5);
  }, 120_000);

  it('takes the worlds from a design file, and refuses a bad one with exit 2', () => {
    const dir = tmp();
    const design = join(dir, 'd.csv');
    writeFileSync(design, 'exporter.supplyPerRound,countries[MID].enforcement\n10000,0.2\n30000,0.9\n20000,0.5\n');
    const r = cli(['sweep', TOY, '--levers', 'regime=tiered-2025,bilateral', '--design', design, '--out', join(dir, 'o.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'o.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(2, 6).join(','));
    expect(rows).toEqual(['0,tiered-2025,10000,0.2', '0,bilateral,10000,0.2', '1,tiered-2025,30000,0.9', '1,bilateral,30000,0.9', '2,tiered-2025,20000,0.5', '2,bilateral,20000,0.5']);
    writeFileSync(design, 'exporter.supplyPerRound,countries[MID].enforcement\n10000,0.2\n30000,lots\n');
    const bad = cli(['sweep', TOY, '--levers', 'regime=tiered-2025,bilateral', '--design', design, '--out', join(dir, 'o2.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/d\.csv line 3/);
    expect(hasStackTrace(bad.stderr)).toBe(false);
  });

  it('compare --uncertainty gives the same artifact with 1 and 2 workers, and refuses arms of several files', () => {
    const args = ['compare', TOY, '--regimes', 'tiered-2025,bilateral', '--uncertainty', '6', '--factors', 'exporter.supplyPerRound', '--resamples', '200', '--json'];
    const a = cli(args);
    const b = cli([...args, '--workers', '2']);
    expect(a.code, a.stderr).toBe(0);
    // Only the recorded command differs (it names --workers).
    const strip = (t: string) => ({ ...(JSON.parse(t) as Record<string, unknown>), provenance: null });
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
    expect((JSON.parse(b.stdout) as { provenance: { command: string } }).provenance.command).toMatch(/--workers 2$/);
    // The same N and master seed give the same worlds in compare and sweep.
    const dir = tmp();
    expect(cli([...args, '--rows', join(dir, 'c.csv')]).code).toBe(0);
    expect(cli(['sweep', TOY, '--levers', 'regime=tiered-2025,bilateral', '--uncertainty', '6', '--factors', 'exporter.supplyPerRound', '--out', join(dir, 's.csv')]).code).toBe(0);
    const worlds = (f: string) => {
      const [head = '', ...body] = readFileSync(f, 'utf8').trimEnd().split('\n');
      const h = head.split(',');
      const w = h.indexOf('world');
      const s = h.indexOf('exporter.supplyPerRound');
      return [...new Set(body.map((l) => { const c = l.split(','); return `${c[w]}:${c[s]}`; }))];
    };
    expect(worlds(join(dir, 'c.csv'))).toEqual(worlds(join(dir, 's.csv')));
    expect(worlds(join(dir, 's.csv')).length).toBe(6);
    const arms = cli(['compare', 'scenarios/history-2025-2026.yaml', 'scenarios/counterfactual-tiered-kept.yaml', '--uncertainty', '5']);
    expect(arms.code).toBe(2);
    expect(arms.stderr).toMatch(/--uncertainty compares the regimes of one scenario/);
  }, 60_000);
});

describe('robustness and discover on a levers x worlds sweep', () => {
  it('ranks the lever combinations over the same worlds and finds where leakage is high', () => {
    const dir = tmp();
    const rows = join(dir, 'w.csv');
    expect(cli(['sweep', TOY, ...ARGS, '--out', rows]).code).toBe(0);
    const r = cli(['robustness', rows, '--metric', 'leakage,importerFulfilment', '--satisfy', 'final.leakage < 3000', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { levers: string[]; worlds: number; combinations: unknown[]; ranking: { order: string[] }; satisfy: { byCombination: { share: number; worlds: number }[] } };
    expect(out.levers).toEqual(['regime', 'countries[MID].patience']);
    expect(out.worlds).toBe(5);
    expect(out.combinations.length).toBe(4);
    expect(out.ranking.order.length).toBe(4);
    for (const s of out.satisfy.byCombination) expect(s.worlds).toBe(5);
    expect(cli(['robustness', rows]).stdout).toMatch(/Ranking \(maximum regret/);
    const d = cli(['discover', rows, '--where', 'final.leakage > 1000', '--permutations', '10']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toMatch(/Peeling trajectory/);
    const plain = join(dir, 'plain.csv');
    expect(cli(['sweep', TOY, '--vary', 'exporter.supplyPerRound=10000,20000', '--out', plain]).code).toBe(0);
    const bad = cli(['robustness', plain]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no world column/);
  }, 60_000);
});
