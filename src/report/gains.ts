/**
 * Who gains and loses between two arms of a comparison, per country: the rows the text report, the HTML page
 * and the replay's "Who gains" view show. Reads only the artifact (its per-country paired differences).
 */
import type { ComparisonCountry, ComparisonResult, IntervalEstimate } from '../core/events.js';
import { COUNTRY_METRICS, type CountryMetricKey } from '../core/metrics.js';

/** From the chips a country receives: its paired difference's interval above 0, below 0, exactly 0, or across 0. */
export type Verdict = 'gains' | 'loses' | 'no change' | 'unclear';

export interface GainsRow {
  readonly id: string;
  readonly name: string;
  readonly tier: 1 | 2 | 3;
  readonly a: ComparisonCountry;
  readonly b: ComparisonCountry;
  /** b - a per country metric, paired over the seeds (missing when the artifact has none for it). */
  readonly diff: Readonly<Partial<Record<CountryMetricKey, IntervalEstimate>>>;
  readonly verdict: Verdict;
}

export interface GainsPair {
  readonly a: string;
  readonly b: string;
  /** Largest gain in chips first, largest loss last. */
  readonly rows: readonly GainsRow[];
  /** Countries in one arm only (a variant that adds or drops a country). */
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
}

export function verdictOf(e: IntervalEstimate | undefined): Verdict {
  if (e === undefined) return 'unclear';
  if (e.lo > 0) return 'gains';
  if (e.hi < 0) return 'loses';
  return e.mean === 0 && e.lo === 0 && e.hi === 0 ? 'no change' : 'unclear';
}

/** The pairs of arms (b - a, as the artifact's differences), each with its per-country rows. */
export function gainsPairs(c: ComparisonResult): GainsPair[] {
  const diffs = c.countryDifferences ?? [];
  const out: GainsPair[] = [];
  c.regimes.forEach((a, i) => {
    for (const b of c.regimes.slice(i + 1)) {
      const ca = new Map((c.countries[a] ?? []).map((x) => [x.id, x]));
      const cb = new Map((c.countries[b] ?? []).map((x) => [x.id, x]));
      const mine = diffs.filter((d) => d.a === a && d.b === b);
      const rows: GainsRow[] = [];
      for (const [id, xa] of ca) {
        const xb = cb.get(id);
        if (!xb) continue;
        const diff: Partial<Record<CountryMetricKey, IntervalEstimate>> = {};
        for (const m of COUNTRY_METRICS) {
          const d = mine.find((x) => x.country === id && x.metric === m.key);
          if (d) diff[m.key] = d.estimate;
        }
        rows.push({ id, name: xa.name ?? id, tier: xa.tier, a: xa, b: xb, diff, verdict: verdictOf(diff.delivered) });
      }
      rows.sort((x, y) => (y.diff.delivered?.mean ?? 0) - (x.diff.delivered?.mean ?? 0) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      out.push({ a, b, rows, onlyA: [...ca.keys()].filter((k) => !cb.has(k)), onlyB: [...cb.keys()].filter((k) => !ca.has(k)) });
    }
  });
  return out;
}

/** "3 gain, 2 lose, 19 unclear": the pair in one line. */
export function gainsSummary(p: GainsPair): string {
  const n = (v: Verdict): number => p.rows.filter((r) => r.verdict === v).length;
  const parts = [`${n('gains')} gain${n('gains') === 1 ? 's' : ''}`, `${n('loses')} lose${n('loses') === 1 ? 's' : ''}`];
  if (n('no change') > 0) parts.push(`${n('no change')} no change`);
  if (n('unclear') > 0) parts.push(`${n('unclear')} unclear`);
  return parts.join(', ');
}
