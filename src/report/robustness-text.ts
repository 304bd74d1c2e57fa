/** Text of a robustness artifact (RobustnessResult); reads only the artifact. */
import type { RobustnessResult } from '../core/events.js';
import { finalMetric, labelWithUnit } from '../core/metrics.js';
import { fmtNum } from './compare.js';
import { plainStyle, table, type Style } from './text.js';
import { wrap } from './uncertainty-text.js';

const f = (x: number): string => (Number.isFinite(x) ? fmtNum(x) : 'n/a');
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');

export function robustnessText(r: RobustnessResult, style: Style = plainStyle): string {
  const out: string[] = [];
  out.push(style.bold(`Robustness of ${r.levers.join(' x ')} over ${r.worlds} uncertain worlds`));
  out.push(...wrap(`${r.file}: ${r.combinations.length} lever combinations, each in the same ${r.worlds} worlds (a world's value: its mean over its seeds). Regret: how far a combination falls short of the best one in the same world.`, 100, ''));
  const rankOf = new Map(r.ranking.order.map((l, i) => [l, i + 1]));
  out.push('');
  out.push(style.bold(`Ranking (${r.ranking.criterion})`));
  const first = r.metrics.find((m) => m.direction !== 'neutral');
  out.push(
    table(
      ['rank', 'levers', ...(r.satisfy ? ['satisficing'] : []), ...(first ? [`max regret ${first.metric}`, `mean regret ${first.metric}`] : [])],
      r.ranking.order.map((label) => {
        const c = r.combinations.findIndex((x) => x.label === label);
        const reg = first?.byCombination[c]?.regret;
        return [String(rankOf.get(label)), label, ...(r.satisfy ? [pct(r.satisfy.byCombination[c]?.share ?? Number.NaN)] : []), ...(first ? [f(reg?.max ?? Number.NaN), f(reg?.mean ?? Number.NaN)] : [])];
      }),
    ),
  );
  if (r.satisfy) out.push(...wrap(`Satisficing: share of worlds where ${r.satisfy.clauses.join(' and ')}.`, 100, ''));
  for (const m of r.metrics) {
    const def = finalMetric(m.metric);
    out.push('');
    out.push(style.bold(`${def ? labelWithUnit(def) : m.metric} (${m.direction})`));
    out.push(
      table(
        ['levers', 'mean', '5%', '25%', 'median', '75%', '95%', ...(m.direction !== 'neutral' ? ['regret mean', 'regret 95%', 'regret max'] : [])],
        r.combinations.map((c, i) => {
          const b = m.byCombination[i];
          const s = b?.summary;
          return [c.label, f(s?.mean ?? Number.NaN), f(s?.q05 ?? Number.NaN), f(s?.q25 ?? Number.NaN), f(s?.median ?? Number.NaN), f(s?.q75 ?? Number.NaN), f(s?.q95 ?? Number.NaN), ...(m.direction !== 'neutral' ? [f(b?.regret?.mean ?? Number.NaN), f(b?.regret?.q95 ?? Number.NaN), f(b?.regret?.max ?? Number.NaN)] : [])];
        }),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
