/**
 * A design file (`sweep --design FILE.csv`): a header of parameter columns and one row per world, so that a
 * sample made elsewhere (SALib, the EMA Workbench, R's lhs) drives tradesim. A column is a value path as for
 * --set (`exporter.supplyPerRound`, `countries[IND].patience`, `countries[*].enforcement` for every
 * element), `regime`, or `scale(<path>)` for a factor on the scenario's own values there. Cells are numbers,
 * true/false or names; every cell must be filled.
 */
import { createHash } from 'node:crypto';
import { parseCsvLine } from '../core/csv.js';
import { describeValue, InputError } from '../core/errors.js';
import { MAX_ARTIFACT_BYTES, readInputText } from '../core/files.js';
import type { DistValue } from './distributions.js';
import { BOOKKEEPING_COLUMNS } from './rows.js';
import type { DesignTable } from './worlds-design.js';

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

function cellValue(text: string): DistValue {
  const t = text.trim();
  if (NUMBER.test(t) && Number.isFinite(Number(t))) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return t;
}

/** Parse a design file's text (`name` labels it in messages). */
export function parseDesignText(text: string, name: string): DesignTable {
  const lines = text.split(/\r?\n/);
  const records: { line: number; cells: string[] }[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    let cells: string[];
    try {
      cells = parseCsvLine(raw);
    } catch (e) {
      throw new InputError({ file: name, line: i + 1, path: '--design', message: `not a CSV line: ${e instanceof Error ? e.message : String(e)}`, expected: 'comma-separated cells, one row per line' });
    }
    records.push({ line: i + 1, cells });
  });
  const head = records[0];
  if (head === undefined) throw new InputError({ file: name, line: 1, path: '--design', message: 'empty design file', expected: 'a header of parameter paths, then one row per world' });
  const columns = head.cells.map((c) => c.trim());
  const empty = columns.findIndex((c) => c === '');
  if (empty >= 0) throw new InputError({ file: name, line: head.line, path: '--design', message: `column ${empty + 1} of the header has no name`, expected: 'a value path (e.g. countries[IND].patience), regime, or scale(<path>) for every column' });
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup !== undefined) throw new InputError({ file: name, line: head.line, path: '--design', message: `the column ${dup} appears twice`, expected: 'each parameter once' });
  const reserved = columns.find((c) => BOOKKEEPING_COLUMNS.includes(c) || c.startsWith('metrics.'));
  if (reserved !== undefined) {
    throw new InputError({ file: name, line: head.line, path: '--design', message: `the column ${reserved} is not a parameter (is this a sweep's output?)`, expected: 'parameter columns only: value paths, regime, or scale(<path>)' });
  }
  const rows = records.slice(1).map(({ line, cells }) => {
    if (cells.length !== columns.length) throw new InputError({ file: name, line, path: '--design', message: `row has ${cells.length} cells`, expected: `${columns.length}, one per column of the header`, found: String(cells.length) });
    return cells.map((c, j) => {
      if (c.trim() === '') throw new InputError({ file: name, line, path: columns[j] ?? '--design', message: 'empty cell', expected: 'a number, true/false or a name' });
      const v = cellValue(c);
      if (typeof v === 'string' && !/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(v)) {
        throw new InputError({ file: name, line, path: columns[j] ?? '--design', message: 'not a parameter value', expected: 'a number, true/false or a name (letters, digits, _ . -)', found: describeValue(v) });
      }
      return v;
    });
  });
  if (rows.length === 0) throw new InputError({ file: name, line: head.line, path: '--design', message: 'the design has a header but no rows', expected: 'one row per world' });
  return { name, sha256: createHash('sha256').update(text).digest('hex'), columns, rows, lines: records.slice(1).map((r) => r.line) };
}

export async function readDesignFile(file: string): Promise<DesignTable> {
  const text = await readInputText(file, { what: 'design file', maxBytes: MAX_ARTIFACT_BYTES, expected: 'a CSV of parameter columns' });
  return parseDesignText(text, file);
}
