/** A check report as text, and a counterexample as a scenario file that reproduces it. */
import { dirname, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import type { CheckReport, Counterexample, Plan } from './check.js';
import { formatNumber } from './invariants.js';
import { patchFor } from './params.js';
import type { Value } from './params.js';

const show = (v: Value): string => (typeof v === 'number' ? formatNumber(v) : JSON.stringify(v));

/** The command that replays the counterexample directly (fast-check seed and path). */
export function replayCommand(r: CheckReport, file: string): string {
  const path = r.replay.path;
  return `tradesim check ${file} --seed ${r.replay.seed}${path !== undefined && path !== '' ? ` --path ${path}` : ''}`;
}

export function counterexampleText(cx: Counterexample): string[] {
  const lines: string[] = [];
  const inv = cx.invariant;
  lines.push(`invariant '${inv.name}' fails${inv.description !== '' ? `: ${inv.description}` : ''}`);
  lines.push(`  ${inv.kind === 'identical' ? 'expected identical outcomes' : inv.expression}`);
  const changes = Object.entries(inv.with);
  if (changes.length > 0) lines.push(`  comparing run a with run b, where b has ${changes.map(([k, v]) => `${k} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : `= ${String(v)}`}`).join(', ')}`);
  lines.push('', 'counterexample:');
  for (const c of cx.changed) lines.push(`  ${c.path} = ${show(c.value)}   (scenario: ${show(c.nominal)})`);
  lines.push(`  seed = ${cx.seed}`);
  if (cx.unchanged.length > 0) lines.push(`  (${cx.unchanged.length} other uncertain value${cx.unchanged.length === 1 ? '' : 's'} at the scenario's own value${cx.unchanged.length === 1 ? '' : 's'})`);
  const v = cx.verdict;
  if (v.error !== undefined) lines.push('', `  ${v.error}`);
  if (v.values.length > 0 || v.witnesses.length > 0) {
    lines.push('', 'values seen:');
    for (const x of v.values) lines.push(`  ${x.name} = ${x.value}`);
    for (const w of v.witnesses) lines.push(`  ${w}`);
  }
  if (cx.alsoFails.length > 0) lines.push('', `also fails here: ${cx.alsoFails.map((x) => x.invariant).join(', ')}`);
  return lines;
}

export function reportText(r: CheckReport, file: string, written?: string): string {
  const head = `check ${file}: ${r.invariants.length} invariant${r.invariants.length === 1 ? '' : 's'}, ${r.parameters.length} uncertain value${r.parameters.length === 1 ? '' : 's'}${r.seedDrawn ? ' and the seed' : ''}`;
  if (r.ok || r.counterexample === undefined) {
    return `${head}\nOK: all invariants held in ${r.runs} run${r.runs === 1 ? '' : 's'} (fast-check seed ${r.replay.seed})\n`;
  }
  const lines = [head, `FAILED after ${r.runs} run${r.runs === 1 ? '' : 's'}, shrunk in ${r.shrinks} step${r.shrinks === 1 ? '' : 's'}: ${counterexampleText(r.counterexample)[0] ?? ''}`, ...counterexampleText(r.counterexample).slice(1), ''];
  if (written !== undefined) {
    lines.push(`reproduction written to ${written}:`, `  tradesim run ${written} --json     (the failing run)`, `  tradesim check ${written}          (fails again, in one run)`);
  }
  lines.push(`replay: ${replayCommand(r, file)}   (fast-check seed ${r.replay.seed}, path ${r.replay.path ?? ''})`);
  return `${lines.join('\n')}\n`;
}

/** The id of the reproduction scenario (ids are at most 32 characters). */
function reproId(id: string): string {
  return `${id.slice(0, 29)}-cx`;
}

/**
 * A scenario file that reproduces the counterexample exactly: it extends the original, sets the shrunk
 * values and the seed, and fixes every uncertain entry, so `tradesim run` gives the failing run and
 * `tradesim check` fails again in one run.
 */
export function reproductionYaml(p: Plan, r: CheckReport, outFile: string, checkedAs: string): string {
  const cx = r.counterexample;
  if (cx === undefined) throw new Error('no counterexample');
  const s = p.source.scenario;
  let base = relative(dirname(outFile), p.source.file).split(sep).join('/');
  if (!base.startsWith('.')) base = `./${base}`;
  const uncertain: Record<string, string> = {};
  for (const key of Object.keys(s.uncertain ?? {})) uncertain[key] = 'fixed';
  uncertain.seed = 'fixed';
  const doc = {
    extends: base,
    id: reproId(s.id),
    title: `Counterexample to '${cx.invariant.name}' (${s.id})`,
    seed: cx.seed,
    ...patchFor(s, cx.assignments.filter((a, i) => a.value !== p.parameters[i]?.nominal)),
    uncertain,
  };
  const header = [
    `# Written by ${replayCommand(r, checkedAs)}`,
    `# Invariant '${cx.invariant.name}' fails with the values below (everything else as in ${base}).`,
    ...cx.changed.map((c) => `#   ${c.path} = ${show(c.value)}   (scenario: ${show(c.nominal)})`),
    `#   seed = ${cx.seed}`,
    '# Run it: tradesim run <this file>; check it: tradesim check <this file>',
  ];
  return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}
