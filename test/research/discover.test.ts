/** discover --arms: rows of two arms in the same world and seed paired, the condition comparing them. */
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/core/rng.js';
import { discover, pairArms, parseTable } from '../../src/research/discover.js';

function rows(drop?: number): string {
  const u = stream(5, 'test/discover/arms');
  const out = ['run,seed,world,regime,p.x,p.z,metrics.leakage'];
  let run = 0;
  for (let w = 0; w < 400; w++) {
    const x = u();
    const z = u();
    for (const regime of ['tiered-2025', 'bilateral']) {
      // bilateral leaks less than tiered exactly when x > 0.6.
      const leak = regime === 'bilateral' ? (x > 0.6 ? 10 : 30) : 20;
      if (run !== drop) out.push([run, 1, w, regime, x, z, leak + u()].join(','));
      run++;
    }
  }
  return `${out.join('\n')}\n`;
}

describe('discover --arms', () => {
  it('pairs the arms by world and seed and finds where b beats a', () => {
    const t = parseTable(rows(), 'w.csv');
    const paired = pairArms(t, 'regime=tiered-2025,bilateral');
    expect(paired.rows.length).toBe(400);
    expect(paired.columns).toEqual(['seed', 'world', 'p.x', 'p.z', 'a.metrics.leakage', 'b.metrics.leakage']);
    const d = discover(t, { arms: 'regime=tiered-2025,bilateral', where: 'b.final.leakage < a.final.leakage', permutations: 20 });
    expect(d.inputs.map((i) => i.name)).toEqual(['p.x', 'p.z']);
    expect(d.prim.significant).toBe(true);
    const x = d.prim.box?.restricted.find((r) => r.limit.name === 'p.x')?.limit;
    expect(d.prim.box?.restricted.length).toBe(1);
    expect(x?.kind === 'number' ? Math.abs(x.lo - 0.6) : 1).toBeLessThan(0.03);
    expect(d.prim.box?.density).toBe(1);
  });

  it('refuses unpaired rows and bad specs', () => {
    expect(() => pairArms(parseTable(rows(7), 'w.csv'), 'regime=tiered-2025,bilateral')).toThrow(/no partner under regime=bilateral/);
    expect(() => pairArms(parseTable(rows(), 'w.csv'), 'regime=tiered-2025')).toThrow(/--arms: not two arms/);
    expect(() => pairArms(parseTable(rows(), 'w.csv'), 'regim=a,b')).toThrow(/no column regim/);
  });
});

describe('discover --step', () => {
  it('chooses the given step of the trajectory, and refuses one past its end', () => {
    const t = parseTable(rows(), 'w.csv');
    const d = discover(t, { arms: 'regime=tiered-2025,bilateral', where: 'b.final.leakage < a.final.leakage', permutations: 0, step: 2 });
    expect(d.prim.chosenStep).toBe(2);
    expect(d.prim.rule).toBe('step 2 of the trajectory');
    expect(() => discover(t, { arms: 'regime=tiered-2025,bilateral', where: 'b.final.leakage < a.final.leakage', permutations: 0, step: 999 })).toThrow(/--step: the trajectory has steps 0 to/);
  });
});
