/** Text of a scenario-discovery artifact (DiscoveryResult); reads only the artifact. */
import type { DiscoveryResult, Limit, TreeNode } from '../core/events.js';
import { plainStyle, table, type Style } from './text.js';
import { wrap } from './uncertainty-text.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const num = (x: number): string => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());
const pval = (p: number): string => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

export function limitText(l: Limit): string {
  return l.kind === 'number' ? `${num(l.lo)} .. ${num(l.hi)}` : `{${l.levels.join(', ')}}`;
}

function treeLines(t: TreeNode, indent: string, out: string[]): void {
  out.push(`${indent}${t.condition}: ${t.n} rows, ${pct(t.density)} cases${t.children.length === 0 ? ' (leaf)' : ''}`);
  for (const c of t.children) treeLines(c, `${indent}  `, out);
}

export function discoveryText(r: DiscoveryResult, style: Style = plainStyle): string {
  const p = r.prim;
  const out: string[] = [];
  out.push(style.bold(`Scenario discovery: where ${r.where}`));
  if (r.arms !== null) out.push(...wrap(`Paired arms ${r.arms}: one row per world and seed with both arms' metrics (a.final.*, b.final.*).`, 100, ''));
  out.push(...wrap(`${r.file}: ${r.rows} ${r.arms !== null ? 'pairs' : 'rows'}${r.skipped > 0 ? ` (${r.skipped} left out: the condition reads an undefined metric)` : ''}; ${p.cases} cases of interest (base rate ${pct(p.baseRate)}). Inputs: ${r.inputs.map((i) => `${i.name}${i.kind === 'category' ? ' (category)' : ''}`).join(', ')}.`, 100, ''));
  out.push(...wrap(`PRIM: peel ${r.options.peelAlpha}, paste ${r.options.pasteAlpha}, minimum mass ${r.options.massMin}; chosen: ${p.rule}.`, 100, ''));
  out.push('');
  out.push(style.bold('Peeling trajectory'));
  out.push(table(['step', 'peeled', 'coverage', 'density', 'mass', 'restricted'], p.trajectory.map((s) => [`${s.step}${s.step === p.chosenStep ? ' *' : ''}`, s.peeled ?? '-', pct(s.coverage), pct(s.density), pct(s.mass), String(s.restricted)])));
  out.push('');
  const b = p.box;
  if (b === null) {
    out.push(style.bold(r.options.threshold !== null ? `No box reaches density ${r.options.threshold}.` : 'No box: the outcome does not vary.'));
  } else {
    out.push(style.bold(`Chosen box (step ${p.chosenStep ?? '-'}${b.pasted > 0 ? `, pasted ${b.pasted} time${b.pasted === 1 ? '' : 's'}` : ''}): coverage ${pct(b.coverage)}, density ${pct(b.density)}, mass ${pct(b.mass)} (${b.hits} of ${b.n} rows)`));
    if (b.restricted.length > 0) {
      out.push(table(['input', 'box', 'whole range', 'quasi-p'], b.restricted.map((d) => [d.limit.name, limitText(d.limit), limitText(d.full), `${pval(d.quasiP)}${d.quasiP < p.alpha ? ' *' : ''}`])));
      out.push(`* quasi-p below ${p.alpha}: the restriction concentrates the cases beyond chance; the others sharpen the box together or not at all.`);
    }
    if (b.dropped.length > 0) out.push(...wrap(`Dropped (quasi-p >= ${r.options.alpha}: no more cases than chance): ${b.dropped.map((l) => `${l.name} ${limitText(l)}`).join('; ')}.`, 100, ''));
    const perm = p.permutation ? ` Permutation test of the whole search (${p.permutation.permutations} shuffles of the outcome, stream ${p.permutation.stream}): p = ${pval(p.permutation.p)}.` : '';
    out.push(...wrap(p.significant ? `Significant at ${p.alpha}.${perm}` : `Nothing significant at ${p.alpha}: ${b.restricted.length === 0 ? 'no restriction concentrates the cases beyond chance' : 'a box this good arises from shuffled outcomes too'}.${perm}`, 100, ''));
  }
  out.push('');
  out.push(style.bold(`CART tree (depth ${r.options.depth}, leaves of at least ${pct(r.options.massMin)} of rows)`));
  const lines: string[] = [];
  treeLines(r.tree, '  ', lines);
  out.push(...lines);
  return `${out.join('\n')}\n`;
}
