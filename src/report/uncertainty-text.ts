/** Text and CSV of a comparison over uncertain worlds (ComparisonResult with `uncertainty`); reads only the artifact. */
import { csvLine } from '../core/csv.js';
import type { ComparisonResult, UncertainDifference, UncertaintySection } from '../core/events.js';
import { finalMetric, labelWithUnit } from '../core/metrics.js';
import { fmtNum } from './compare.js';
import { plainStyle, table, type Style } from './text.js';

const pct = (x: number | null): string => (x === null || !Number.isFinite(x) ? 'n/a' : `${Math.round(100 * x)}%`);

function metricName(key: string): string {
  const def = finalMetric(key);
  return def ? labelWithUnit(def) : key;
}

/** The verdict on a difference in a few words: deterministic, significant or not. */
export function verdictText(d: Pick<UncertainDifference, 'deterministic' | 'significant' | 'mean'>): string {
  if (d.deterministic) return d.mean.mean === 0 ? 'deterministic: no difference' : 'deterministic (no variance)';
  return d.significant ? 'interval excludes 0' : 'interval includes 0';
}

/** "P(b beats a)" for a metric with a direction, "P(b higher)" for a neutral one. */
export function beatsText(d: UncertainDifference): string {
  if (d.pBeats !== null) return `${pct(d.pBeats)}${d.pBeatsInterval ? ` [${pct(d.pBeatsInterval[0])}, ${pct(d.pBeatsInterval[1])}]` : ''}`;
  return `${pct(d.pHigher)} higher`;
}

/** Words wrapped to `width` columns, each line after the first indented. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** One line per `uncertain:` entry (its factors together), then its source, wrapped to 100 columns. */
export function factorLines(u: UncertaintySection): string[] {
  const groups = [...new Set(u.factors.map((f) => f.group))];
  return groups.flatMap((g) => {
    const fs = u.factors.filter((f) => f.group === g);
    const f = fs[0] as UncertaintySection['factors'][number];
    const what = f.scale
      ? `${f.name} ~ ${f.distribution}: one factor on the scenario's own ${f.paths.length} value${f.paths.length === 1 ? '' : 's'}`
      : fs.length > 1
        ? `${g} ~ ${f.distribution}, each of ${fs.length} values on its own`
        : `${f.name} ~ ${f.distribution}`;
    return [...wrap(`- ${what}`, 100, '    '), ...wrap(`source: ${f.source ?? 'none given (add provenance["uncertain.<path>"])'}`, 100, '    ').map((l) => `    ${l.trimStart()}`)];
  });
}

export function uncertaintyReport(c: ComparisonResult, style: Style = plainStyle): string {
  const u = c.uncertainty;
  if (u === undefined) return '';
  const level = `${Math.round(c.interval.level * 1000) / 10}%`;
  const out: string[] = [];
  out.push(style.bold(`Comparison over uncertainty: ${c.scenario.title} (${c.scenario.id})`));
  out.push(`Regimes: ${c.regimes.join(', ')}; ${u.worlds} uncertain worlds (${u.design}, streams ${u.stream}, master seed ${u.masterSeed}) x ${u.seedsPerWorld} seed${u.seedsPerWorld === 1 ? '' : 's'}.`);
  out.push('Paired: every regime runs in the same worlds with the same seeds. Each world counts once (its mean over its seeds).');
  out.push('');
  out.push(style.bold(`Uncertain factors (${u.factors.length}, from ${new Set(u.factors.map((f) => f.group)).size} uncertain: entries)`));
  out.push(...factorLines(u));
  out.push('');
  out.push(style.bold('Metrics over the worlds: median [5%, 95%]'));
  const keys = Object.keys(u.byRegime[c.regimes[0] ?? ''] ?? {}) as (keyof UncertaintySection['byRegime'][string])[];
  out.push(
    table(
      ['metric', ...c.regimes],
      keys.map((k) => [metricName(k), ...c.regimes.map((r) => {
        const d = u.byRegime[r]?.[k];
        return d === undefined ? 'n/a' : d.q05 === d.q95 ? `${fmtNum(d.median)} (no spread)` : `${fmtNum(d.median)} [${fmtNum(d.q05)}, ${fmtNum(d.q95)}]`;
      })]),
    ),
  );
  const pairs = [...new Set(u.differences.map((d) => `${d.a}\u0000${d.b}`))].map((k) => k.split('\u0000') as [string, string]);
  for (const [a, b] of pairs) {
    out.push('');
    out.push(style.bold(`${b} - ${a}, paired over the worlds`));
    out.push(style.dim(`mean [${level} bootstrap interval, worlds resampled]; 5%..95% of the worlds; P(${b} beats ${a}) by the metric's direction [interval]; seed share: the part of the run-to-run variance that is seed noise.`));
    out.push(
      table(
        ['metric', 'mean difference', '5%..95% of worlds', `P(${b} beats)`, 'seed share', 'verdict'],
        u.differences
          .filter((d) => d.a === a && d.b === b)
          .map((d) => [
            metricName(d.metric),
            d.deterministic ? fmtNum(d.mean.mean) : `${fmtNum(d.mean.mean)} [${fmtNum(d.mean.lo)}, ${fmtNum(d.mean.hi)}]`,
            `${fmtNum(d.worlds.q05)} .. ${fmtNum(d.worlds.q95)}`,
            beatsText(d),
            pct(d.seedShare),
            verdictText(d),
          ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * One tidy table: kind `regime` (a regime's distribution over the worlds) or `difference` (regime minus versus,
 * with its interval, P(beats) and verdict).
 */
export function uncertaintyCsv(c: ComparisonResult): string {
  const u = c.uncertainty;
  if (u === undefined) return '';
  const head = ['kind', 'regime', 'versus', 'metric', 'n', 'mean', 'sd', 'min', 'q05', 'q25', 'median', 'q75', 'q95', 'max', 'ci_lo', 'ci_hi', 'level', 'p_beats', 'p_beats_lo', 'p_beats_hi', 'p_higher', 'p_lower', 'p_equal', 'deterministic', 'significant', 'seed_share'];
  const num = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);
  const lines = [csvLine(head)];
  for (const r of c.regimes) {
    for (const [metric, d] of Object.entries(u.byRegime[r] ?? {})) {
      const ci = c.summaries[r]?.[metric as keyof ComparisonResult['summaries'][string]];
      lines.push(csvLine(['regime', r, null, metric, d.n, num(d.mean), num(d.sd), num(d.min), num(d.q05), num(d.q25), num(d.median), num(d.q75), num(d.q95), num(d.max), num(ci?.lo), num(ci?.hi), c.interval.level, null, null, null, null, null, null, null, null, null]));
    }
  }
  for (const d of u.differences) {
    const w = d.worlds;
    lines.push(
      csvLine([
        'difference', d.b, d.a, d.metric, w.n, num(w.mean), num(w.sd), num(w.min), num(w.q05), num(w.q25), num(w.median), num(w.q75), num(w.q95), num(w.max), num(d.mean.lo), num(d.mean.hi), c.interval.level,
        num(d.pBeats), num(d.pBeatsInterval?.[0]), num(d.pBeatsInterval?.[1]), num(d.pHigher), num(d.pLower), num(d.pEqual), d.deterministic, d.significant, num(d.seedShare),
      ]),
    );
  }
  return lines.join('');
}
