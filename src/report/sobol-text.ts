/** Text of a Sobol' sensitivity artifact (SobolResult); reads only the artifact. */
import type { SobolIndex, SobolResult } from '../core/events.js';
import { finalMetric, labelWithUnit } from '../core/metrics.js';
import { fmtNum } from './compare.js';
import { plainStyle, table, type Style } from './text.js';
import { wrap } from './uncertainty-text.js';

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const idx = (e: SobolIndex): string => `${f3(e.estimate)} [${f3(e.lo)}, ${f3(e.hi)}]`;

/** A bar of the total index, 20 characters for 1. */
const bar = (x: number): string => '#'.repeat(Math.max(0, Math.min(20, Math.round(20 * x))));

export function metricTitle(key: string): string {
  const def = finalMetric(key);
  return def ? labelWithUnit(def) : key === 'y' ? 'the function' : key;
}

export function sobolText(r: SobolResult, style: Style = plainStyle): string {
  const level = `${Math.round(r.interval.level * 1000) / 10}%`;
  const out: string[] = [];
  const subject = r.scenario ? `${r.scenario.id}${r.regime ? ` under ${r.regime}` : ''}` : `y = ${r.function ?? ''}`;
  out.push(style.bold(`Sobol sensitivity: ${subject}`));
  out.push(
    ...wrap(
      `N = ${r.samples} rows of A and B${r.scenario ? `, ${r.seedsPerPoint} seed${r.seedsPerPoint === 1 ? '' : 's'} per point` : ''}: ${r.runs} ${r.scenario ? 'runs' : 'evaluations'}. ${r.design.scheme}; streams ${r.design.stream}, master seed ${r.design.masterSeed}. First order: ${r.estimators.first}; total: ${r.estimators.total}. ${level} ${r.interval.method} intervals, ${r.interval.resamples} resamples.`,
      100,
      '',
    ),
  );
  out.push('');
  out.push(style.bold(`Factors (${r.groups.length} group${r.groups.length === 1 ? '' : 's'})`));
  for (const g of r.groups) {
    const f = g.factors[0];
    if (f === undefined) continue;
    const what = g.factors.length > 1 ? `${g.name} ~ ${f.distribution}, each of ${g.factors.length} values on its own` : `${f.name} ~ ${f.distribution}`;
    out.push(...wrap(`- ${what}${f.source ? `; source: ${f.source}` : ''}`, 100, '    '));
  }
  if (r.design.seedFactor) out.push('- seed: the run seed, one more factor (A\'s seeds in A and every AB, B\'s in B and AB_seed)');
  for (const m of r.metrics) {
    out.push('');
    out.push(style.bold(`${metricTitle(m.metric)}: mean ${fmtNum(m.mean)}, variance ${fmtNum(m.variance)} (${m.n} rows)`));
    if (!(m.variance > 0)) {
      out.push('  no variance over the design: every index is 0 (the factors do not move it).');
      continue;
    }
    out.push(
      table(
        ['group', `first order [${level}]`, `total [${level}]`, 'total'],
        m.groups.map((g) => [g.group === 'seed' ? 'seed (noise)' : g.group, idx(g.first), idx(g.total), bar(g.total.estimate)]),
      ),
    );
    const inter = 1 - m.sumFirst;
    out.push(`Sum of first-order indices ${f3(m.sumFirst)}${inter > 0.05 ? `: about ${f3(inter)} of the variance is interactions` : ''}.${m.seedNoise ? ` Seed noise: ${f3(m.seedNoise.total.estimate)} of the variance (total index of the seed).` : ''}`);
    const top = m.groups.filter((g) => g.group !== 'seed').slice(0, 4).map((g) => g.group);
    if (m.convergence.length > 1 && top.length > 0) {
      out.push(style.dim('Convergence: total index on the first n rows'));
      out.push(table(['n', ...top], m.convergence.map((c) => [String(c.n), ...top.map((t) => { const g = c.groups.find((x) => x.group === t); return g ? idx(g.total) : 'n/a'; })])));
    }
  }
  return `${out.join('\n')}\n`;
}
