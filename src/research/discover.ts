/**
 * `tradesim discover`: scenario discovery on sweep rows (or any CSV/JSONL table). A case of interest is a row
 * where the --where condition holds; the inputs are the parameter columns (levers, uncertain factors, a
 * design file's columns), never the bookkeeping columns (run, seed, world, matrix, sample) nor the metrics.
 *
 * The condition is the scenario expression language over the metric columns, named final.<key> (as in
 * invariants and --satisfy) or metrics.<key>; in a table without metrics.* columns it may use any column by
 * name, and the columns it uses are then not inputs. With --arms COLUMN=A,B the rows of the two arms in the
 * same world and seed are paired, and the condition compares them: "b.final.leakage < a.final.leakage".
 */
import { createHash } from 'node:crypto';
import { parseCsvLine } from '../core/csv.js';
import { compileExpression, isUsableVariableName } from '../core/expr.js';
import { describeValue, InputError } from '../core/errors.js';
import { RESULT_SCHEMA_VERSION, type DiscoveryResult } from '../core/events.js';
import { MAX_ARTIFACT_BYTES, readInputText } from '../core/files.js';
import { didYouMean } from '../core/suggest.js';
import { toolVersion } from '../core/version.js';
import { cart, prim, type InputColumn, type PrimOptions } from './prim.js';
import { BOOKKEEPING_COLUMNS, type RowValue } from './rows.js';

export interface Table {
  readonly file: string;
  readonly sha256: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly RowValue[])[];
  /** Line of each row in the file. */
  readonly lines: readonly number[];
}

/** The header of an artifact computed from a rows file (discover, robustness): schema, kind, tool, the file and its digest. */
export function tableArtifactHeader<K extends string>(
  kind: K,
  t: Table,
): { readonly schemaVersion: typeof RESULT_SCHEMA_VERSION; readonly kind: K; readonly tool: { readonly name: 'tradesim'; readonly version: string }; readonly file: string; readonly sha256: string } {
  return { schemaVersion: RESULT_SCHEMA_VERSION, kind, tool: { name: 'tradesim', version: toolVersion() }, file: t.file, sha256: t.sha256 };
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

function cell(text: string): RowValue {
  if (text === '') return null;
  if (NUMBER.test(text) && Number.isFinite(Number(text))) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** A rows file's text as a table: CSV (a header line) or JSONL (one object per line, the same keys). */
export function parseTable(text: string, file: string): Table {
  const sha256 = createHash('sha256').update(text).digest('hex');
  const lines = text.split(/\r?\n/);
  const jsonl = /\.(jsonl|ndjson)$/i.test(file);
  let columns: string[] | undefined;
  const rows: RowValue[][] = [];
  const at: number[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = i + 1;
    if (jsonl) {
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch (e) {
        throw new InputError({ file, line, message: `not JSON: ${e instanceof Error ? e.message : String(e)}`, expected: 'one JSON object per line (tradesim sweep --out FILE.jsonl)' });
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError({ file, line, message: 'not a row object', expected: 'one JSON object per line', found: describeValue(v) });
      const o = v as Record<string, unknown>;
      columns ??= Object.keys(o);
      rows.push(
        columns.map((c) => {
          const x = o[c];
          if (x === undefined) throw new InputError({ file, line, path: c, message: `row has no ${c}`, expected: 'the same keys on every line' });
          if (x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
          throw new InputError({ file, line, path: c, message: 'not a cell value', expected: 'a number, a string, true/false or null', found: describeValue(x) });
        }),
      );
      at.push(line);
      return;
    }
    let cells: string[];
    try {
      cells = parseCsvLine(raw);
    } catch (e) {
      throw new InputError({ file, line, message: `not a CSV line: ${e instanceof Error ? e.message : String(e)}`, expected: 'comma-separated cells' });
    }
    if (columns === undefined) {
      columns = cells.map((c) => c.trim());
      const dup = columns.find((c, k) => columns?.indexOf(c) !== k);
      if (dup !== undefined) throw new InputError({ file, line, message: `column ${dup} appears twice`, expected: 'unique column names' });
      return;
    }
    if (cells.length !== columns.length) throw new InputError({ file, line, message: `row has ${cells.length} cells`, expected: `${columns.length}, one per header column`, found: String(cells.length) });
    rows.push(cells.map(cell));
    at.push(line);
  });
  if (columns === undefined || rows.length === 0) throw new InputError({ file, line: 1, message: columns === undefined ? 'empty file' : 'no rows', expected: 'a header and rows (the output of tradesim sweep)' });
  return { file, sha256, columns, rows, lines: at };
}

export async function readTable(file: string): Promise<Table> {
  if (!/\.(csv|jsonl|ndjson)$/i.test(file)) throw new InputError({ file, message: 'not a rows file', expected: 'a .csv or .jsonl file (tradesim sweep --out)' });
  const text = await readInputText(file, { what: 'rows file', maxBytes: MAX_ARTIFACT_BYTES, expected: 'a .csv or .jsonl file (tradesim sweep --out)' });
  return parseTable(text, file);
}

/**
 * Pair the rows of two arms (e.g. regime=tiered-2025 and regime=bilateral) that ran in the same world with
 * the same seed and the same other levers: one row per pair, with the metrics of arm a as a.metrics.<key>
 * and of arm b as b.metrics.<key>, so that a condition can compare them (b.final.leakage < a.final.leakage).
 */
export function pairArms(t: Table, spec: string): Table {
  const eq = spec.indexOf('=');
  const column = spec.slice(0, Math.max(0, eq)).trim();
  const arms = spec.slice(eq + 1).split(',').map((x) => x.trim());
  const [a, b] = arms;
  if (eq <= 0 || arms.length !== 2 || !a || !b || a === b) throw new InputError({ path: '--arms', message: `not two arms: ${JSON.stringify(spec)}`, expected: 'COLUMN=A,B, e.g. --arms regime=tiered-2025,bilateral' });
  const at = t.columns.indexOf(column);
  if (at < 0) throw new InputError({ file: t.file, path: '--arms', message: `no column ${column}${didYouMean(column, t.columns)}`, expected: 'a lever column of the rows, e.g. regime' });
  const metricCols = t.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.startsWith('metrics.'));
  // The pair's key: every column but run, the arm column, the metrics (and a resolved regime column, which
  // follows the arm when the arm is the regime).
  const keyCols = t.columns.map((c, i) => ({ c, i })).filter(({ c, i }) => i !== at && c !== 'run' && !c.startsWith('metrics.') && !(column === 'regime' && c === 'regime'));
  const pairs = new Map<string, { a?: readonly RowValue[]; b?: readonly RowValue[]; line: number }>();
  t.rows.forEach((row, r) => {
    const arm = String(row[at]);
    if (arm !== a && arm !== b) return;
    const key = JSON.stringify(keyCols.map(({ i }) => row[i] ?? null));
    const p = pairs.get(key) ?? { line: t.lines[r] ?? 0 };
    const side = arm === a ? 'a' : 'b';
    if (p[side] !== undefined) throw new InputError({ file: t.file, line: t.lines[r] ?? 0, path: '--arms', message: `two rows of ${column}=${arm} with the same world, seed and levers`, expected: 'one row per arm in each world and seed (a levers x worlds sweep)' });
    p[side] = row;
    pairs.set(key, p);
  });
  const rows: RowValue[][] = [];
  const lines: number[] = [];
  for (const p of pairs.values()) {
    if (p.a === undefined || p.b === undefined) throw new InputError({ file: t.file, line: p.line, path: '--arms', message: `this row has no partner under ${column}=${p.a === undefined ? a : b}`, expected: 'both arms in every world and seed (a complete levers x worlds sweep)' });
    const pa = p.a;
    const pb = p.b;
    rows.push([...keyCols.map(({ i }) => pa[i] ?? null), ...metricCols.map(({ i }) => pa[i] ?? null), ...metricCols.map(({ i }) => pb[i] ?? null)]);
    lines.push(p.line);
  }
  if (rows.length === 0) throw new InputError({ file: t.file, path: '--arms', message: `no rows with ${column}=${a} or ${column}=${b}`, expected: `values of ${column} in the rows` });
  return { file: t.file, sha256: t.sha256, columns: [...keyCols.map(({ c }) => c), ...metricCols.map(({ c }) => `a.${c}`), ...metricCols.map(({ c }) => `b.${c}`)], rows, lines };
}

export interface DiscoverOptions extends PrimOptions {
  /** The condition that makes a row a case of interest. */
  readonly where: string;
  /** Input columns (default: every parameter column with more than one value). */
  readonly inputs?: readonly string[];
  /** Depth of the CART tree (default 3). */
  readonly depth?: number;
  /** "COLUMN=A,B": pair the rows of two arms (pairArms); the condition then reads a.final.<key> and b.final.<key>. */
  readonly arms?: string;
  readonly command?: string;
}

/** The variable names a condition may use, and the column each reads. */
function conditionVariables(t: Table): Map<string, number> {
  const vars = new Map<string, number>();
  const hasMetrics = t.columns.some((c) => /^(a\.|b\.)?metrics\./.test(c));
  t.columns.forEach((c, i) => {
    const arm = /^(a|b)\.metrics\.(.+)$/.exec(c);
    if (arm) {
      vars.set(`${arm[1] ?? ''}.final.${arm[2] ?? ''}`, i);
      vars.set(c, i);
    } else if (c.startsWith('metrics.')) {
      const key = c.slice('metrics.'.length);
      vars.set(`final.${key}`, i);
      vars.set(c, i);
    } else if (!hasMetrics && isUsableVariableName(c)) vars.set(c, i);
  });
  return vars;
}

export function discover(table: Table, o: DiscoverOptions): DiscoveryResult {
  const t = o.arms !== undefined ? pairArms(table, o.arms) : table;
  const vars = conditionVariables(t);
  if (vars.size === 0) throw new InputError({ file: t.file, line: 1, path: '--where', message: 'no column the condition could read', expected: 'metrics.<key> columns (the output of tradesim sweep)' });
  const names = [...vars.keys()];
  const expr = compileExpression(o.where, { where: { path: '--where' }, variables: names, type: 'boolean', lists: {} });
  const used = expr.variables.map((v) => vars.get(v) as number);
  const reserved = new Set([...BOOKKEEPING_COLUMNS]);
  const candidates = t.columns.map((c, i) => ({ c, i })).filter(({ c, i }) => !reserved.has(c) && !/^(a\.|b\.)?metrics\./.test(c) && !used.includes(i));
  let chosen = candidates;
  if (o.inputs !== undefined) {
    chosen = o.inputs.map((name) => {
      const hit = candidates.find((x) => x.c === name);
      if (hit === undefined) {
        const why = t.columns.includes(name) ? 'is not an input (a bookkeeping or metric column, or used by --where)' : `is not a column${didYouMean(name, candidates.map((x) => x.c))}`;
        throw new InputError({ file: t.file, path: '--inputs', message: `${name} ${why}`, expected: `some of ${candidates.map((x) => x.c).join(', ') || '(none)'}` });
      }
      return hit;
    });
  }
  // Rows where the condition reads an undefined (empty) metric are left out, and counted.
  const keep: number[] = [];
  const y: number[] = [];
  t.rows.forEach((row, r) => {
    const scope: Record<string, number> = {};
    for (const v of expr.variables) {
      const x = row[vars.get(v) as number];
      if (x === null || x === undefined) return;
      if (typeof x !== 'number') throw new InputError({ file: t.file, line: t.lines[r] ?? 0, path: v, message: `${v} is not a number`, expected: 'a numeric column in --where', found: describeValue(x) });
      scope[v] = x;
    }
    keep.push(r);
    y.push(expr.test(scope) ? 1 : 0);
  });
  const inputs: InputColumn[] = [];
  for (const { c, i } of chosen) {
    const values = keep.map((r) => t.rows[r]?.[i] ?? null);
    const missing = values.findIndex((v) => v === null);
    if (missing >= 0) throw new InputError({ file: t.file, line: t.lines[keep[missing] as number] ?? 0, path: c, message: `empty cell in the input column ${c}`, expected: 'a value in every row' });
    if (new Set(values).size < 2) {
      if (o.inputs !== undefined) throw new InputError({ file: t.file, path: '--inputs', message: `${c} has one value in every row`, expected: 'an input that varies' });
      continue;
    }
    inputs.push(values.every((v) => typeof v === 'number') ? { name: c, kind: 'number', values: Float64Array.from(values as number[]) } : { name: c, kind: 'category', values: values.map(String) });
  }
  if (inputs.length === 0) throw new InputError({ file: t.file, path: '--inputs', message: 'no input varies over the rows', expected: 'parameter columns with more than one value (levers, uncertain factors, --vary)' });
  const yy = Uint8Array.from(y);
  const depth = o.depth ?? 3;
  const options = { peelAlpha: o.peelAlpha ?? 0.05, pasteAlpha: o.pasteAlpha ?? 0.05, massMin: o.massMin ?? 0.05, threshold: o.threshold ?? null, alpha: o.alpha ?? 0.05, permutations: o.permutations ?? 200, masterSeed: o.masterSeed ?? 1, depth };
  const checkFraction = (x: number, flag: string, lo: number, hi: number): void => {
    if (!(x > lo && x < hi)) throw new InputError({ path: flag, message: 'out of range', expected: `a number between ${lo} and ${hi} (exclusive)`, found: String(x) });
  };
  checkFraction(options.peelAlpha, '--peel', 0, 0.5);
  checkFraction(options.pasteAlpha, '--paste', 0, 0.5);
  checkFraction(options.massMin, '--mass-min', 0, 1);
  checkFraction(options.alpha, '--alpha', 0, 1);
  if (options.threshold !== null && !(options.threshold > 0 && options.threshold <= 1)) throw new InputError({ path: '--threshold', message: 'not a density', expected: 'a number in (0, 1]', found: String(options.threshold) });
  const { threshold, ...rest } = options;
  if (o.step !== undefined && o.threshold !== undefined) throw new InputError({ path: '--step', message: '--step and --threshold both choose the box', expected: 'one of them' });
  const result = prim(inputs, yy, { ...rest, ...(threshold !== null ? { threshold } : {}), ...(o.step !== undefined ? { step: o.step } : {}) });
  if (o.step !== undefined && o.step >= result.trajectory.length) throw new InputError({ path: '--step', message: `the trajectory has steps 0 to ${result.trajectory.length - 1}`, expected: `a step from 1 to ${result.trajectory.length - 1}`, found: String(o.step) });
  const tree = cart(inputs, yy, { depth, minLeaf: Math.max(1, Math.ceil(options.massMin * yy.length)) });
  return {
    ...tableArtifactHeader('discovery', t),
    where: o.where,
    arms: o.arms ?? null,
    command: o.command ?? '',
    rows: t.rows.length,
    skipped: t.rows.length - keep.length,
    inputs: inputs.map((c) => ({ name: c.name, kind: c.kind })),
    options: { ...options, step: o.step ?? null },
    prim: result,
    tree,
  };
}
