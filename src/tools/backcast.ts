/**
 * `npm run backcast`: the history scenario's outputs next to every observed figure the sources give for
 * 2025-2026, with the error, then the calibrated regimes side by side and the history against its
 * counterfactual. Prints the Markdown that docs/model.md carries ("Backcast"); a test checks that the two
 * agree, so every figure there is what this command prints.
 *
 *   npm run build && node dist/tools/backcast.js [--seeds N] [--write]   (--write: update docs/model.md)
 *
 * Model figures are means over seeds 1..N (default 10) of scenarios/history-2025-2026.yaml, read from the
 * result artifact only (deliveries and adversary events by round).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChipsResult, SimEvent } from '../core/events.js';
import { FINAL_METRICS, formatValue } from '../core/metrics.js';
import { loadScenarioFile } from '../core/scenario/load.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { chipsRunner } from '../sim/run.js';

export const HISTORY_FILE = fileURLToPath(new URL('../../scenarios/history-2025-2026.yaml', import.meta.url));

/** Sum of a quantity over the events of the rounds whose labels are listed. */
function sumEvents(r: ChipsResult, labels: readonly string[], pick: (e: SimEvent) => number): number {
  let s = 0;
  for (const round of r.rounds) if (labels.includes(round.label)) for (const e of round.events) s += pick(e);
  return s;
}

const Y2025 = ['2025Q1', '2025Q2', '2025Q3', '2025Q4'];
const Y2026 = ['2026Q1', '2026Q2', '2026Q3', '2026Q4'];
const delivered = (id: string) => (e: SimEvent): number => (e.type === 'delivery' && e.country === id ? e.total : 0);

export interface BackcastRow {
  readonly figure: string;
  readonly observed: string;
  /** The observed value compared with the model (null: the sources give no number). */
  readonly value: number | null;
  readonly source: string;
  readonly model: (r: ChipsResult) => number;
  readonly unit: string;
}

export const ROWS: readonly BackcastRow[] = [
  {
    figure: 'UAE: chips in 2025',
    observed: '35,000 GB300-class approved for G42 (19 Nov 2025); a framework of up to 500,000 a year',
    value: 35_000,
    source: 'S45; S28-S30',
    model: (r) => sumEvents(r, Y2025, delivered('ARE')),
    unit: 'chips',
  },
  {
    figure: 'Saudi Arabia: chips in 2025',
    observed: '18,000 GB300 first tranche (May) + 35,000 approved for Humain (Nov)',
    value: 53_000,
    source: 'S28; S45',
    model: (r) => sumEvents(r, Y2025, delivered('SAU')),
    unit: 'chips',
  },
  {
    figure: 'UK: chips 2025Q3-2026Q4',
    observed: '120,000 Nvidia GPUs under the Tech Prosperity Deal (Sep 2025; period not stated)',
    value: 120_000,
    source: 'S40',
    model: (r) => sumEvents(r, ['2025Q3', '2025Q4', ...Y2026], delivered('GBR')),
    unit: 'chips',
  },
  {
    figure: 'Korea: chips 2025Q4-2026Q4',
    observed: '260,000 Blackwell GPUs announced (31 Oct 2025; period not stated)',
    value: 260_000,
    source: 'S43',
    model: (r) => sumEvents(r, ['2025Q4', ...Y2026], delivered('KOR')),
    unit: 'chips',
  },
  {
    figure: 'China: licensed chips in 2025Q1 (H20, no licence needed yet)',
    observed: '~1M H20 sold to China in 2024: ~250,000 a quarter',
    value: 250_000,
    source: 'S33, S73',
    model: (r) => sumEvents(r, ['2025Q1'], (e) => (e.type === 'delivery' && e.country === 'CHN' ? e.licensed : 0)),
    unit: 'chips',
  },
  {
    figure: 'China: H200s licensed in 2026',
    observed: 'none delivered: Chinese customs told agents H200 imports are not permitted (orders > 2M against ~700k inventory)',
    value: 0,
    source: 'S48 (grade C)',
    model: (r) => sumEvents(r, Y2026, (e) => (e.type === 'deal' && e.country === 'CHN' && e.terms.revenueShare === 0.25 ? e.chipsPerRound * 4 : 0)),
    unit: 'chips',
  },
  {
    figure: 'China: H20s under the licences of Aug 2025, 2025Q3-2026Q2',
    observed: 'not reported (licences granted at 15%; Chinese purchases after August are not in the sources)',
    value: null,
    source: 'S38, S39',
    model: (r) => sumEvents(r, ['2025Q3', '2025Q4', '2026Q1', '2026Q2'], (e) => (e.type === 'delivery' && e.country === 'CHN' ? e.licensed : 0)),
    unit: 'chips',
  },
  {
    figure: 'Revenue share paid to the US, 2025-2026',
    observed: 'not reported (the rates: 15% from Aug 2025, 25% from Jan 2026)',
    value: null,
    source: 'S38, S39; S46, S47',
    model: (r) => r.adversaries.reduce((a, x) => a + x.revenueShareUsd, 0),
    unit: 'USD bn',
  },
  {
    figure: "China's domestic output in 2025",
    observed: '~300,000 Ascend 910C (BIS: at most 200,000) x 0.7 H100e',
    value: 210_000,
    source: 'S73; S33; S74',
    model: (r) => sumEvents(r, Y2025, (e) => (e.type === 'adversary' && e.adversary === 'CHN' ? e.domestic : 0)),
    unit: 'H100e',
  },
  {
    figure: "China's domestic output in 2026",
    observed: '~600,000 Ascend 910C x 0.7 H100e',
    value: 420_000,
    source: 'S73; S74',
    model: (r) => sumEvents(r, Y2026, (e) => (e.type === 'adversary' && e.adversary === 'CHN' ? e.domestic : 0)),
    unit: 'H100e',
  },
  {
    figure: 'Chips diverted to China, a year (2025)',
    observed: '~140,000 smuggled in 2024 (median; range 10,000 to several hundred thousand)',
    value: 140_000,
    source: 'S75',
    model: (r) => sumEvents(r, Y2025, (e) => (e.type === 'adversary' && e.adversary === 'CHN' ? e.diverted : 0)),
    unit: 'H100e',
  },
  {
    figure: 'US share of new compute, 2025',
    observed: 'US ~75% of GPU-cluster performance (May 2025)',
    value: 0.75,
    source: 'S65',
    model: (r) => {
      const dom = sumEvents(r, Y2025, (e) => (e.type === 'market' ? e.domestic : 0));
      const sup = sumEvents(r, Y2025, (e) => (e.type === 'round-start' ? e.supply : 0));
      return sup > 0 ? dom / sup : 0;
    },
    unit: 'share of supply',
  },
];

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fmt = (x: number, unit: string): string => (unit === 'USD bn' ? `$${x.toFixed(2)}bn` : unit.startsWith('share') ? `${(100 * x).toFixed(0)}%` : int.format(x));

const COUNTRIES = ['ARE', 'SAU', 'IND', 'SGP', 'MYS', 'DEU'] as const;

/** Means over seeds of every final metric of the catalogue and a few countries' deliveries, one column per scenario file. */
async function comparisonTable(files: readonly string[], seeds: number): Promise<string[]> {
  const cols: Record<string, number>[] = [];
  for (const file of files) {
    const { scenario } = await loadScenarioFile(fileURLToPath(new URL(`../../${file}`, import.meta.url)));
    const run = chipsRunner(scenario as ChipsScenario, { events: false });
    const acc: Record<string, number> = {};
    for (let seed = 1; seed <= seeds; seed++) {
      const r = run(seed);
      for (const { key } of FINAL_METRICS) acc[key] = (acc[key] ?? 0) + (r.metrics.final[key] ?? Number.NaN) / seeds;
      for (const id of COUNTRIES) acc[id] = (acc[id] ?? 0) + (r.countries.find((c) => c.id === id)?.delivered ?? 0) / seeds;
    }
    cols.push(acc);
  }
  const rows = [
    ...FINAL_METRICS.map((def) => {
      // A mean of counts keeps a decimal.
      const show = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? 'n/a' : def.format === 'count' ? x.toFixed(1) : formatValue(def, x));
      return [`${def.label} (${def.unit})`, ...cols.map((c) => show(c[def.key]))];
    }),
    ...COUNTRIES.map((id) => [`Chips delivered to ${id}`, ...cols.map((c) => int.format(c[id] ?? 0))]),
  ];
  return [`| metric | ${files.map((f) => `\`${f.replace(/^scenarios\//, '')}\``).join(' | ')} |`, `| --- |${files.map(() => ' ---: |').join('')}`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export async function backcast(seeds = 10): Promise<string> {
  const { scenario } = await loadScenarioFile(HISTORY_FILE);
  const run = chipsRunner(scenario as ChipsScenario, { file: 'scenarios/history-2025-2026.yaml' });
  const sums = ROWS.map(() => 0);
  for (let seed = 1; seed <= seeds; seed++) {
    const r = run(seed);
    ROWS.forEach((row, i) => (sums[i] = (sums[i] ?? 0) + row.model(r)));
  }
  const lines = [
    `Model: \`scenarios/history-2025-2026.yaml\`, mean over seeds 1-${seeds} (\`npm run backcast\`).`,
    '',
    '| figure | observed | source | model | error (model - observed) |',
    '| --- | --- | --- | ---: | ---: |',
  ];
  ROWS.forEach((row, i) => {
    const m = (sums[i] ?? 0) / seeds;
    const err = row.value === null ? 'n/a' : row.unit.startsWith('share') ? `${(100 * (m - row.value)).toFixed(0)} points` : row.value === 0 ? fmt(m - row.value, row.unit) : `${fmt(m - row.value, row.unit)} (${m >= row.value ? '+' : ''}${(100 * (m / row.value - 1)).toFixed(0)}%)`;
    lines.push(`| ${row.figure} | ${row.observed} | ${row.source} | ${fmt(m, row.unit)} ${row.unit === 'USD bn' || row.unit.startsWith('share') ? '' : row.unit} | ${err} |`.replace(/ {2}\|/g, ' |'));
  });
  lines.push(
    '',
    `The calibrated regimes on the same world (means over seeds 1-${seeds}):`,
    '',
    ...(await comparisonTable(['scenarios/bilateral-2025.yaml', 'scenarios/tiered-2025.yaml', 'scenarios/open-market.yaml'], seeds)),
    '',
    `The history against the counterfactual with the tiered rule kept (means over seeds 1-${seeds}):`,
    '',
    ...(await comparisonTable(['scenarios/history-2025-2026.yaml', 'scenarios/counterfactual-tiered-kept.yaml'], seeds)),
  );
  return `${lines.join('\n')}\n`;
}

export const MODEL_DOC = fileURLToPath(new URL('../../docs/model.md', import.meta.url));
export const BEGIN = '<!-- backcast: begin -->';
export const END = '<!-- backcast: end -->';

/** The backcast section of docs/model.md as it stands (between the markers, trimmed). */
export function documentedBackcast(doc: string): string | null {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  return a < 0 || b < a ? null : doc.slice(a + BEGIN.length, b).trim();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--seeds');
  const seeds = i > 0 ? Number(process.argv[i + 1]) : 10;
  const write = process.argv.includes('--write');
  backcast(Number.isInteger(seeds) && seeds > 0 ? seeds : 10).then(
    (text) => {
      if (!write) return void process.stdout.write(text);
      const doc = readFileSync(MODEL_DOC, 'utf8');
      const a = doc.indexOf(BEGIN);
      const b = doc.indexOf(END);
      if (a < 0 || b < a) throw new Error(`${MODEL_DOC}: markers ${BEGIN} / ${END} not found`);
      writeFileSync(MODEL_DOC, `${doc.slice(0, a + BEGIN.length)}\n\n${text.trim()}\n\n${doc.slice(b)}`);
      process.stderr.write(`wrote ${MODEL_DOC}\n`);
    })
    .catch((e: unknown) => {
      process.stderr.write(`backcast failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
}
