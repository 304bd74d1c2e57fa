/**
 * Reading what `tradesim report` is given: a run, comparison or sensitivity artifact (JSON), or sweep rows
 * (CSV or JSONL, with an optional `<file>.meta.json` sidecar). Everything is untrusted: each problem is an
 * InputError naming the file, the line and the path or column, what was expected and what was found.
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { describeValue, InputError, type InputProblem } from '../core/errors.js';
import { csvText } from '../core/csv.js';
import { checkArtifact } from './artifact.js';
import { MAX_ARTIFACT_BYTES, pathExists, readInputText } from '../core/files.js';
import { RESULT_SCHEMA_VERSION, type ChipsResult, type ComparisonResult, type DiscoveryResult, type RobustnessResult, type SensitivityResult, type SobolResult } from '../core/events.js';

export interface SweepRow {
  readonly run: number;
  readonly seed: number;
  /** Varied parameter values by path: numbers, or text for a list of names (e.g. strategies). */
  readonly params: Readonly<Record<string, number | string>>;
  readonly regime: string;
  /** Final metrics by key (without the `metrics.` prefix); null where the metric was undefined. */
  readonly metrics: Readonly<Record<string, number | null>>;
}

export interface SweepTable {
  readonly params: readonly string[];
  readonly metrics: readonly string[];
  readonly rows: readonly SweepRow[];
}

export type ReportInput =
  | { readonly kind: 'run'; readonly file: string; readonly result: ChipsResult }
  | { readonly kind: 'comparison'; readonly file: string; readonly result: ComparisonResult }
  | { readonly kind: 'sensitivity'; readonly file: string; readonly result: SensitivityResult }
  | { readonly kind: 'sobol'; readonly file: string; readonly result: SobolResult }
  | { readonly kind: 'discovery'; readonly file: string; readonly result: DiscoveryResult }
  | { readonly kind: 'robustness'; readonly file: string; readonly result: RobustnessResult }
  | { readonly kind: 'sweep'; readonly file: string; readonly table: SweepTable; readonly meta: Readonly<Record<string, unknown>> | null; readonly metaFile: string };

export async function readReportInput(file: string): Promise<ReportInput> {
  const text = await readText(file);
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return { kind: 'sweep', file, table: parseSweepCsv(text, file), ...(await readMeta(file)) };
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return { kind: 'sweep', file, table: parseSweepJsonl(text, file), ...(await readMeta(file)) };
  return parseArtifact(text, file);
}

async function readText(file: string): Promise<string> {
  // A 10,000-run sweep CSV is a few MB.
  return readInputText(file, { what: 'file', maxBytes: MAX_ARTIFACT_BYTES, expected: 'a result .json, comparison .json, sensitivity .json, sweep .csv or .jsonl' });
}

async function readMeta(file: string): Promise<{ meta: Record<string, unknown> | null; metaFile: string }> {
  const metaFile = `${file}.meta.json`;
  // The sidecar is optional: only a missing one is skipped (a FIFO or a folder in its place is an error).
  if (!(await pathExists(metaFile))) return { meta: null, metaFile };
  const text = await readInputText(metaFile, { what: 'sweep metadata', maxBytes: 16 * 1024 * 1024 });
  const v = parseJson(text, metaFile);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError({ file: metaFile, line: 1, message: 'not a metadata object', expected: 'a JSON object', found: describeValue(v) });
  return { meta: v as Record<string, unknown>, metaFile };
}

// ---------------------------------------------------------------------------------------------------------
// JSON artifacts
// ---------------------------------------------------------------------------------------------------------

/** JSON.parse with the line and column of a syntax error. */
export function parseJson(text: string, file: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = syntaxErrorAt(text, msg);
    throw new InputError({
      file,
      ...(at ? { line: at.line + lineOffset, column: at.column } : lineOffset > 0 ? { line: lineOffset + 1 } : {}),
      message: `not valid JSON: ${msg.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').replace(/, [\s\S]* is not valid JSON$/, '')}`,
    });
  }
}

/**
 * Where JSON.parse failed. Node 20 gives a position for some errors only, so otherwise the text is re-read by
 * the YAML parser in its JSON schema (JSON is YAML 1.2), which reports positions for the same mistakes.
 */
function syntaxErrorAt(text: string, msg: string): { line: number; column: number } | undefined {
  const pos = /position (\d+)/.exec(msg);
  if (pos) return lineColumn(text, Number(pos[1]));
  if (/end of JSON input/.test(msg)) return lineColumn(text, text.trimEnd().length);
  const doc = parseDocument(text, { schema: 'json', strict: true, prettyErrors: false, uniqueKeys: false });
  const err = doc.errors[0] ?? doc.warnings[0];
  return err ? lineColumn(text, err.pos[0]) : undefined;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

const num = z.number();
const interval = z.object({ mean: num, lo: num, hi: num, n: num });
const stamp = z.object({ id: z.string(), title: z.string(), kind: z.string(), file: z.string(), hash: z.string() });
const tool = z.object({ name: z.string(), version: z.string() });
// How the artifact was made (optional: older artifacts have none); the report prints every field of it.
const provenance = z.object({ command: z.string(), cwd: z.string(), overrides: z.array(z.string()), rounds: num.nullable(), regime: z.string().nullable() });
const common = { schemaVersion: z.literal(RESULT_SCHEMA_VERSION), tool, scenario: stamp, rng: z.string(), provenance: provenance.optional() };
const finalMetrics = z.record(z.string(), num.nullable());
const byRoute = z.object({ market: num, capped: num, exempt: num, veu: num, deal: num, licensed: num });

// The parts of each artifact the report reads; other fields pass through unchecked.
const chipsSchema = z.object({
  ...common,
  kind: z.literal('chips'),
  seed: num,
  regime: z.string(),
  countries: z.array(z.object({ id: z.string(), name: z.string(), tier: z.union([z.literal(1), z.literal(2), z.literal(3)]), route: z.string(), demand: num, delivered: num, fulfilment: num, rival: num, leaked: num, byRoute })),
  metrics: z.object({ final: finalMetrics, perRound: z.array(z.object({ delivered: num, leakage: num, supply: num })) }),
  rounds: z.array(z.object({ label: z.string() })),
});
const comparisonSchema = z.object({
  ...common,
  kind: z.literal('comparison'),
  seeds: z.array(num),
  regimes: z.array(z.string()),
  interval: z.object({ method: z.string(), level: num }),
  summaries: z.record(z.string(), z.record(z.string(), interval)),
  differences: z.array(z.object({ a: z.string(), b: z.string(), metric: z.string(), estimate: interval })),
  countries: z.record(z.string(), z.array(z.object({ id: z.string(), tier: num, delivered: interval, fulfilment: interval }))),
});
const sensitivitySchema = z.object({
  ...common,
  kind: z.literal('sensitivity'),
  regime: z.string(),
  metric: z.string(),
  method: z.enum(['oat', 'morris']),
  seeds: z.array(num),
  interval: z.object({ method: z.string(), level: num }),
  command: z.string(),
  parameters: z.array(z.object({ path: z.string(), lo: num, hi: num, base: num })),
  base: interval,
  runs: num,
  oat: z.array(z.object({ path: z.string(), low: interval, high: interval, effect: interval })).nullable(),
  morris: z
    .object({ levels: num, trajectories: num, delta: num, masterSeed: num, stream: z.string(), effects: z.array(z.object({ path: z.string(), mu: num, muStar: num, sigma: num, r: num })) })
    .nullable(),
});

// What the deep-uncertainty reports read (src/report/build-research.ts); NaN is written as null in JSON.
const maybe = z.number().nullable();
const index = z.object({ estimate: maybe, lo: maybe, hi: maybe });
const sobolSchema = z.object({
  kind: z.literal('sobol'),
  tool: z.object({ version: z.string() }),
  command: z.string(),
  samples: num,
  runs: num,
  groups: z.array(z.object({ name: z.string(), factors: z.array(z.object({ distribution: z.string(), source: z.string().nullable() })) })),
  design: z.object({ scheme: z.string(), stream: z.string(), masterSeed: num }),
  estimators: z.object({ first: z.string(), total: z.string() }),
  interval: z.object({ method: z.string(), level: num, resamples: num, stream: z.string() }),
  metrics: z.array(z.object({ metric: z.string(), n: num, mean: maybe, variance: maybe, sumFirst: maybe, groups: z.array(z.object({ group: z.string(), first: index, total: index })), convergence: z.array(z.object({ n: num, groups: z.array(z.object({ group: z.string(), total: index })) })) })),
});
const limit = z.union([z.object({ name: z.string(), kind: z.literal('number'), lo: num, hi: num }), z.object({ name: z.string(), kind: z.literal('category'), levels: z.array(z.string()) })]);
const treeNode: z.ZodType = z.lazy(() => z.object({ condition: z.string(), n: num, hits: num, density: num, children: z.array(treeNode) }));
const discoverySchema = z.object({
  kind: z.literal('discovery'),
  tool: z.object({ version: z.string() }),
  file: z.string(),
  sha256: z.string(),
  where: z.string(),
  command: z.string(),
  rows: num,
  options: z.object({ peelAlpha: num, pasteAlpha: num, massMin: num, alpha: num, permutations: num, masterSeed: num, depth: num }),
  prim: z.object({
    cases: num,
    baseRate: num,
    rule: z.string(),
    alpha: num,
    significant: z.boolean(),
    chosenStep: num.nullable(),
    trajectory: z.array(z.object({ step: num, peeled: z.string().nullable(), coverage: num, density: num, mass: num, restricted: num })),
    box: z.object({ coverage: num, density: num, mass: num, n: num, hits: num, restricted: z.array(z.object({ limit, full: limit, quasiP: num })), dropped: z.array(limit) }).nullable(),
  }),
  tree: treeNode,
});
const summary = z.object({ mean: maybe, q05: maybe, q25: maybe, median: maybe, q75: maybe, q95: maybe });
const robustnessSchema = z.object({
  kind: z.literal('robustness'),
  tool: z.object({ version: z.string() }),
  file: z.string(),
  sha256: z.string(),
  command: z.string(),
  levers: z.array(z.string()),
  worlds: num,
  combinations: z.array(z.object({ label: z.string() })),
  metrics: z.array(z.object({ metric: z.string(), direction: z.enum(['higher-better', 'lower-better', 'neutral']), byCombination: z.array(z.object({ summary, regret: z.object({ mean: maybe, q95: maybe, max: maybe }).nullable() })) })),
  satisfy: z.object({ clauses: z.array(z.string()), byCombination: z.array(z.object({ share: maybe })) }).nullable(),
  ranking: z.object({ criterion: z.string(), order: z.array(z.string()) }),
});

export function parseArtifact(text: string, file: string): ReportInput {
  const v = parseJson(text, file);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError({ file, line: 1, message: 'not a tradesim artifact', expected: 'a JSON object', found: describeValue(v) });
  const o = v as Record<string, unknown>;
  if (o.schemaVersion !== RESULT_SCHEMA_VERSION) {
    throw new InputError({ file, ...locate(text, ['schemaVersion']), path: 'schemaVersion', message: 'unsupported artifact version', expected: `${RESULT_SCHEMA_VERSION} (this is tradesim's artifact format)`, found: describeValue(o.schemaVersion) });
  }
  const check = <T>(schema: z.ZodType): T => {
    const r = schema.safeParse(v);
    if (!r.success) throw new InputError(r.error.issues.slice(0, 5).map((i) => issueProblem(text, file, v, i)));
    return v as T;
  };
  switch (o.kind) {
    case 'chips': {
      // What the report reads (located by line), then the replay's own checks (structure, scenario hash).
      const result = check<ChipsResult>(chipsSchema);
      checkArtifact(v, file);
      return { kind: 'run', file, result };
    }
    case 'comparison': {
      const result = check<ComparisonResult>(comparisonSchema);
      checkArtifact(v, file);
      return { kind: 'comparison', file, result };
    }
    case 'sensitivity':
      return { kind: 'sensitivity', file, result: check<SensitivityResult>(sensitivitySchema) };
    case 'sobol':
      return { kind: 'sobol', file, result: check<SobolResult>(sobolSchema) };
    case 'discovery':
      return { kind: 'discovery', file, result: check<DiscoveryResult>(discoverySchema) };
    case 'robustness':
      return { kind: 'robustness', file, result: check<RobustnessResult>(robustnessSchema) };
    default:
      throw new InputError({
        file,
        ...locate(text, ['kind']),
        path: 'kind',
        message: o.kind === 'bargaining' ? 'reports cover chip-world runs; a bargaining result has no allocations or metrics to chart' : 'unknown artifact kind',
        expected: 'chips, comparison, sensitivity, sobol, discovery or robustness (or a sweep .csv / .jsonl)',
        found: describeValue(o.kind),
      });
  }
}

function issueProblem(text: string, file: string, doc: unknown, issue: z.core.$ZodIssue): InputProblem {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let found: unknown = doc;
  for (const p of path) found = found !== null && typeof found === 'object' ? (found as Record<string | number, unknown>)[p] : undefined;
  const shown = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  return { file, ...locate(text, path), path: shown || '(top level)', message: issue.message, found: describeValue(found) };
}

/** Line and column of the value at `path` (or its nearest existing parent), found by re-parsing with positions. */
function locate(text: string, path: readonly (string | number)[]): { line?: number; column?: number } {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  for (let k = path.length; k >= 0; k--) {
    const node: unknown = doc.getIn(path.slice(0, k), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lineColumn(text, range[0]);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------
// Sweep rows
// ---------------------------------------------------------------------------------------------------------

const REQUIRED = ['run', 'seed', 'regime'] as const;

/** Split CSV text into records (RFC 4180: quoted fields may hold commas, quotes and newlines) with start lines. */
export function csvRecords(text: string, file: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = (): void => {
    cells.push(csvText(cell));
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(csvText(cell));
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else cell += c;
    i++;
  }
  if (quoted) throw new InputError({ file, line: start, message: 'unterminated quoted field', expected: 'a closing "' });
  if (cell !== '' || cells.length > 0) endRecord();
  return out;
}

function checkHeader(columns: readonly string[], file: string, line: number): { params: string[]; metrics: string[] } {
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const metrics = columns.filter((c) => c.startsWith('metrics.')).map((c) => c.slice('metrics.'.length));
  const absent = [...missing, ...(metrics.length === 0 ? ['metrics.<key>'] : [])];
  if (absent.length > 0) {
    throw new InputError({
      file,
      line,
      message: `missing column${absent.length === 1 ? '' : 's'} ${absent.join(', ')}`,
      expected: 'run, seed, one column per varied parameter, regime, then metrics.<key> columns (the output of tradesim sweep)',
      found: columns.length > 0 ? columns.slice(0, 12).join(', ') : 'no columns',
    });
  }
  // `--vary regime=a,b` names a parameter column 'regime' beside the regime column: the same values, read once.
  const dup = columns.find((c, i) => columns.indexOf(c) !== i && c !== 'regime');
  if (dup !== undefined) throw new InputError({ file, line, message: `column ${dup} appears twice`, expected: 'unique column names' });
  const reserved = new Set<string>([...REQUIRED]);
  return { params: columns.filter((c) => !reserved.has(c) && !c.startsWith('metrics.')), metrics };
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

function rowFrom(get: (col: string) => unknown, cols: { params: readonly string[]; metrics: readonly string[] }, file: string, line: number): SweepRow {
  const bad = (col: string, expected: string, v: unknown): never => {
    throw new InputError({ file, line, path: col, message: `bad value in column ${col}`, expected, found: describeValue(v) });
  };
  const int = (col: string): number => {
    const v = get(col);
    const x = typeof v === 'number' ? v : typeof v === 'string' && NUMERIC.test(v) ? Number(v) : Number.NaN;
    return Number.isSafeInteger(x) && x >= 0 ? x : bad(col, 'a whole number >= 0', v);
  };
  const params: Record<string, number | string> = {};
  for (const p of cols.params) {
    const v = get(p);
    if (typeof v === 'number' && Number.isFinite(v)) params[p] = v;
    else if (typeof v === 'boolean') params[p] = String(v);
    else if (typeof v === 'string' && NUMERIC.test(v)) params[p] = Number(v);
    else if (typeof v === 'string' && v !== '') params[p] = v;
    else bad(p, 'a parameter value (number or name)', v);
  }
  const metrics: Record<string, number | null> = {};
  for (const m of cols.metrics) {
    const v = get(`metrics.${m}`);
    if (v === '' || v === null) metrics[m] = null;
    else if (typeof v === 'number' && Number.isFinite(v)) metrics[m] = v;
    else if (typeof v === 'string' && NUMERIC.test(v)) metrics[m] = Number(v);
    else bad(`metrics.${m}`, 'a number, or empty for an undefined metric', v);
  }
  const regime = get('regime');
  if (typeof regime !== 'string' || regime === '') bad('regime', 'a regime name', regime);
  return { run: int('run'), seed: int('seed'), params, regime: regime as string, metrics };
}

export function parseSweepCsv(text: string, file: string): SweepTable {
  const records = csvRecords(text, file);
  const head = records[0];
  if (head === undefined) throw new InputError({ file, line: 1, message: 'empty file', expected: 'a header line and rows (the output of tradesim sweep)' });
  const columns = head.cells.map((c) => c.trim());
  const cols = checkHeader(columns, file, head.line);
  const index = new Map(columns.map((c, i) => [c, i]));
  const rows = records.slice(1).map(({ line, cells }) => {
    if (cells.length !== columns.length) {
      throw new InputError({ file, line, message: `row has ${cells.length} cells`, expected: `${columns.length} cells, one per header column`, found: `${cells.length}` });
    }
    return rowFrom((c) => cells[index.get(c) ?? -1], cols, file, line);
  });
  return { ...cols, rows };
}

export function parseSweepJsonl(text: string, file: string): SweepTable {
  const lines = text.split('\n');
  let cols: { params: string[]; metrics: string[] } | undefined;
  const rows: SweepRow[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const v = parseJson(raw, file, i);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError({ file, line: i + 1, message: 'not a row object', expected: 'one JSON object per line', found: describeValue(v) });
    const o = v as Record<string, unknown>;
    cols ??= checkHeader(Object.keys(o), file, i + 1);
    const c = cols;
    const missing = [...REQUIRED, ...c.params, ...c.metrics.map((m) => `metrics.${m}`)].find((k) => !Object.hasOwn(o, k));
    if (missing !== undefined) throw new InputError({ file, line: i + 1, path: missing, message: `row has no ${missing}`, expected: 'the same keys on every line' });
    rows.push(rowFrom((k) => o[k], c, file, i + 1));
  });
  if (cols === undefined) throw new InputError({ file, line: 1, message: 'empty file', expected: 'one JSON object per line (the output of tradesim sweep)' });
  return { ...cols, rows };
}
