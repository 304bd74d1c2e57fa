/**
 * The sweep row contract (read by `tradesim report` and by pandas/R): columns `run`, `seed`, one per varied
 * path exactly as given to --vary, `regime` (the regime each run used; left out when `regime` itself is
 * varied, as its own column then says it), then `metrics.<key>` for every FinalMetrics key in the order of
 * the interface. CSV: a header line, then one line per run; null is an empty cell. JSONL: one object per line
 * with the same keys in the same order; null stays null.
 */
import { csvLine, parseCsvLine } from '../core/csv.js';
import { FINAL_METRIC_KEYS } from './metrics.js';

export type RowValue = number | string | boolean | null;
/** A row as values in column order. */
export type RowValues = readonly RowValue[];
/** A row as an object whose keys are the columns, in column order. */
export type SweepRow = Readonly<Record<string, RowValue>>;
export type RowFormat = 'csv' | 'jsonl';

/** Columns a sweep writes that are not parameters: run, seed, and a worlds design's world (matrix, sample for Saltelli's). */
export const BOOKKEEPING_COLUMNS: readonly string[] = Object.freeze(['run', 'seed', 'world', 'matrix', 'sample']);

/** Whether rows carry the resolved `regime` column: not when `regime` itself is varied (its column says it). */
export function hasRegimeColumn(paths: readonly string[]): boolean {
  return !paths.includes('regime');
}

export function columnsFor(paths: readonly string[]): string[] {
  return ['run', 'seed', ...paths, ...(hasRegimeColumn(paths) ? ['regime'] : []), ...FINAL_METRIC_KEYS.map((k) => `metrics.${k}`)];
}

export function rowObject(columns: readonly string[], values: RowValues): SweepRow {
  const o: Record<string, RowValue> = {};
  columns.forEach((c, i) => {
    o[c] = values[i] ?? null;
  });
  return o;
}

export function headerLine(format: RowFormat, columns: readonly string[]): string {
  return format === 'csv' ? csvLine(columns) : '';
}

export function rowLine(format: RowFormat, columns: readonly string[], values: RowValues): string {
  return format === 'csv' ? csvLine(values) : `${JSON.stringify(rowObject(columns, values))}\n`;
}

/** The run id of a row line (without its newline), or undefined if the line is not a row. */
export function runIdOf(format: RowFormat, line: string): number | undefined {
  if (format === 'csv') {
    const m = /^(\d+),/.exec(line);
    return m ? Number(m[1]) : undefined;
  }
  const m = /^\{"run":(\d+),/.exec(line);
  return m ? Number(m[1]) : undefined;
}

export function formatOfFile(file: string): RowFormat | undefined {
  const f = file.toLowerCase();
  if (f.endsWith('.csv')) return 'csv';
  if (f.endsWith('.jsonl')) return 'jsonl';
  return undefined;
}

/** Parse a CSV row back to values (numbers where the column holds numbers; '' -> null). */
export function parseCsvRow(line: string): RowValue[] {
  return parseCsvLine(line).map((c) => (c === '' ? null : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(c) ? Number(c) : c === 'true' || c === 'false' ? c === 'true' : c));
}
