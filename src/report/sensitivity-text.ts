/** Plain-text summary of a sensitivity artifact: what `tradesim sensitivity` prints without --json. */
import type { SensitivityResult } from '../core/events.js';
import { fmt, fmtInterval } from './build.js';
import { table } from './text.js';

export function sensitivityText(s: SensitivityResult): string {
  const lines = [
    `Sensitivity of ${s.metric}: scenario ${s.scenario.id} (${s.scenario.hash.slice(0, 12)}), regime ${s.regime}, ${s.seeds.length} seeds from ${s.seeds[0] ?? ''}, ${s.runs} runs, tradesim ${s.tool.version}`,
    `${s.metric} at base: ${fmtInterval(s.base)}`,
    '',
  ];
  if (s.oat) {
    lines.push(`One at a time (effect = ${s.metric} at hi - at lo, paired over seeds, ${Math.round(100 * s.interval.level)}% ${s.interval.method}-interval), largest first:`);
    lines.push(table(['parameter', 'lo', 'hi', 'at lo', 'at hi', 'effect', 'interval'], s.oat.map((r) => {
      const p = s.parameters.find((x) => x.path === r.path);
      return [r.path, fmt(p?.lo), fmt(p?.hi), fmt(r.low.mean), fmt(r.high.mean), fmt(r.effect.mean), r.effect.n < 2 ? 'n=1' : `[${fmt(r.effect.lo)}, ${fmt(r.effect.hi)}]`];
    })));
  }
  if (s.morris) {
    lines.push(`Morris elementary effects (${s.morris.trajectories} trajectories, ${s.morris.levels} levels; per full range lo..hi), by mu*:`);
    lines.push(table(['parameter', 'mu', 'mu*', 'sigma', 'effects'], s.morris.effects.map((e) => [e.path, fmt(e.mu), fmt(e.muStar), fmt(e.sigma), String(e.r)])));
  }
  return `${lines.join('\n')}\n`;
}
