/** Robustness: regret against the best lever in each world, satisficing shares, ranking, paired worlds. */
import { describe, expect, it } from 'vitest';
import { parseTable } from '../../src/research/discover.js';
import { robustness, splitClauses } from '../../src/research/robustness.js';

/** Three policies over 20 worlds (x = w / 19), two seeds each; leakage (lower-better) and revenueUsd (higher). */
function rows(skip?: { policy: string; world: number }): string {
  const out = ['run,seed,world,regime,u,metrics.leakage,metrics.revenueUsd,metrics.delivered'];
  let run = 0;
  for (let w = 0; w < 20; w++) {
    const x = w / 19;
    for (const policy of ['a', 'b', 'c']) {
      if (skip && skip.policy === policy && skip.world === w) continue;
      // a: leakage 10x (good when x is small); b: 5 flat; c: 10 - 10x (good when x is large). Seeds +-1 average out.
      const leak = policy === 'a' ? 10 * x : policy === 'b' ? 5 : 10 - 10 * x;
      const rev = policy === 'b' ? 2 : 1 + x;
      for (const s of [1, 2]) out.push([run++, s, w, policy, x, leak + (s === 1 ? 1 : -1), rev, 7].join(','));
    }
  }
  return `${out.join('\n')}\n`;
}

describe('robustness', () => {
  it('gives regret against the best policy in each world, satisficing shares and a minimax-regret ranking', () => {
    const r = robustness(parseTable(rows(), 'r.csv'), { metrics: ['leakage', 'revenueUsd', 'delivered'], levers: ['regime'] });
    expect(r.worlds).toBe(20);
    expect(r.combinations.map((c) => c.label)).toEqual(['regime=a', 'regime=b', 'regime=c']);
    const leak = r.metrics[0];
    expect(leak?.direction).toBe('lower-better');
    // Best in world x: min(10x, 5, 10 - 10x). a's regret is largest at x = 1: 10 - 0 = 10; b's at x = 0 or 1: 5.
    expect(leak?.byCombination[0]?.regret?.max).toBeCloseTo(10, 12);
    expect(leak?.byCombination[1]?.regret?.max).toBeCloseTo(5, 12);
    expect(leak?.byCombination[2]?.regret?.max).toBeCloseTo(10, 12);
    expect(leak?.byCombination[1]?.summary.mean).toBeCloseTo(5, 12);
    expect(r.ranking.order[0]).toBe('regime=b');
    expect(r.ranking.criterion).toMatch(/minimax regret/);
    // Revenue: b (2) is best in every world, so its regret is 0.
    expect(r.metrics[1]?.byCombination[1]?.regret).toMatchObject({ mean: 0, max: 0 });
    // A neutral metric has no regret.
    expect(r.metrics[2]?.byCombination[0]?.regret).toBeNull();
    // Satisficing: leakage < 3 holds for a when 10x < 3 (x < 0.3: worlds 0..5, 6 of 20) and never for b.
    const s = robustness(parseTable(rows(), 'r.csv'), { metrics: ['leakage'], levers: ['regime'], satisfy: 'final.leakage < 3, final.revenueUsd >= 1' });
    expect(s.satisfy?.byCombination.map((x) => x.share)).toEqual([6 / 20, 0, 6 / 20]);
    expect(s.ranking.order.at(-1)).toBe('regime=b');
  });

  it('takes the levers from the sweep metadata, and refuses unpaired rows and bad flags', () => {
    const r = robustness(parseTable(rows(), 'r.csv'), { metrics: ['leakage'] }, { worlds: { levers: ['regime=a,b,c'] } });
    expect(r.levers).toEqual(['regime']);
    expect(() => robustness(parseTable(rows({ policy: 'b', world: 7 }), 'r.csv'), { levers: ['regime'], metrics: ['leakage'] })).toThrow(/regime=b has no row in world 7/);
    expect(() => robustness(parseTable(rows(), 'r.csv'), { levers: ['regim'], metrics: ['leakage'] })).toThrow(/regim is not a lever column.*did you mean "regime"/);
    expect(() => robustness(parseTable(rows(), 'r.csv'), { levers: ['regime'], metrics: ['leakge'] })).toThrow(/no column metrics\.leakge/);
    expect(() => robustness(parseTable(rows(), 'r.csv'), { levers: ['regime'], metrics: ['leakage'], satisfy: 'final.leakage <' })).toThrow(/--satisfy clause 1/);
    expect(() => robustness(parseTable(rows(), 'r.csv'), { levers: ['regime'], metrics: ['delivered'], rank: 'regret' })).toThrow(/needs a metric with a direction/);
    expect(splitClauses('final.a < 1, max(final.b, 2) > 1')).toEqual(['final.a < 1', 'max(final.b, 2) > 1']);
  });
});
