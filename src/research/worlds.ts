/**
 * Uncertain worlds: the scenario's declared uncertainty (`uncertain:`) as factors to sample, and a design of
 * levers x worlds (docs/research.md, "Levers and uncertain worlds").
 *
 * A *factor* is one sampled column: an `uncertain:` entry naming one value; one element of a `[*]` entry
 * (each element drawn on its own); or a `scale: true` entry, one factor multiplying every value it names
 * (column `scale(<path>)`). Factors of one entry form a *group* (Sobol indices are per group). A *world* is
 * one draw of every factor (a Latin hypercube row, a row of a design file, or a row of Saltelli's matrices);
 * *levers* are policy choices crossed factorially (`--levers regime=tiered-2025,bilateral`), and every lever
 * combination meets every world (paired). A world's values are written on a copy of the validated scenario
 * and the copy is validated again, so every run sees a scenario the loader would accept.
 */
import { describeValue, InputError, type InputProblem } from '../core/errors.js';
import type { ExpressionPlace } from '../core/expr.js';
import { issuesToProblems } from '../core/scenario/errors-map.js';
import { numberBounds, schemaAt, unwrap, type PathItem } from '../core/scenario/introspect.js';
import { scenarioProblems } from '../core/scenario/load.js';
import { ChipsScenarioSchema, type ChipsScenario, type Scenario, type Uncertain } from '../core/scenario/schema.js';
import { readable, resolvePath, setAt, valueAt } from '../core/scenario/value-paths.js';
import { distOf, distText, type Dist, type DistValue } from './distributions.js';

/** One place a factor writes: a concrete path with the scenario's own value there. */
export interface FactorPlace {
  readonly items: readonly PathItem[];
  readonly path: string;
  readonly nominal: DistValue;
  readonly integer: boolean;
}

/** What a column of world values writes into the scenario (a factor, or a column of a design file). */
export interface WorldColumn {
  /** The column name: a concrete path, or scale(<path>). */
  readonly name: string;
  /** True: the value multiplies each place's own value. */
  readonly scale: boolean;
  readonly places: readonly FactorPlace[];
  /** The run option `regime` rather than a place (a regime column of a design file). */
  readonly regime?: boolean;
}

/** A sampled factor: a column with its distribution, its entry and its source. */
export interface Factor extends WorldColumn {
  /** The `uncertain:` key it comes from (the Sobol group). */
  readonly entry: string;
  readonly dist: Dist;
  /** provenance["uncertain.<entry>"] (or "uncertain.*"), null when the scenario gives none. */
  readonly source: string | null;
}

/** What the design, the sidecar and the artifacts record of a factor (plain data). */
export interface FactorInfo {
  readonly name: string;
  readonly group: string;
  readonly dist: Dist;
  readonly scale: boolean;
  /** The concrete paths it writes (for scale factors, every element of the entry). */
  readonly paths: readonly string[];
  readonly source: string | null;
}

/** What factor resolution needs of a loaded scenario (LoadedScenario satisfies it). */
export interface FactorSource {
  readonly scenario: Scenario;
  where(path: readonly PathItem[]): ExpressionPlace;
}

export const scaleName = (path: string): string => `scale(${path})`;

const SCALE = /^scale\((.+)\)$/;

/** The provenance of an entry's distribution, or null. */
export function sourceOf(s: Scenario, entry: string): string | null {
  const p = s.provenance;
  return (Object.hasOwn(p, `uncertain.${entry}`) ? p[`uncertain.${entry}`] : Object.hasOwn(p, 'uncertain.*') ? p['uncertain.*'] : undefined) ?? null;
}

function integerAt(items: readonly PathItem[], s: Scenario): boolean {
  const field = schemaAt(items, s);
  return field !== undefined && numberBounds(unwrap(field).core).integer;
}

/**
 * The factors of the scenario's `uncertain:` section, in a stable order (entries by key, elements in list
 * order). Entries naming one value come before `[*]` entries and take that value out of them (as in check).
 * `exclude`: paths held by levers (taken out of every factor); `only`: the entries to keep (all by default).
 * Problems name the entry's file and line.
 */
export function resolveFactors(src: FactorSource, opts: { readonly exclude?: readonly string[]; readonly only?: readonly string[] } = {}): Factor[] {
  const s = src.scenario;
  const entries = Object.entries(s.uncertain ?? {}).filter(([k]) => k !== 'seed');
  const problems: InputProblem[] = [];
  if (opts.only !== undefined) {
    for (const k of opts.only) {
      const e = entries.find(([key]) => key === k);
      if (e === undefined || e[1] === 'fixed') {
        const known = entries.filter(([, v]) => v !== 'fixed').map(([key]) => key);
        problems.push({ path: '--factors', message: `'${k}' is not an uncertain entry of the scenario`, expected: known.length > 0 ? `one of ${known.join(', ')}` : 'an entry of uncertain: (the scenario declares none)' });
      }
    }
    if (problems.length > 0) throw new InputError(problems);
  }
  const excluded = new Set(opts.exclude ?? []);
  const sorted = [...entries].sort(([a], [b]) => Number(a.includes('[*]')) - Number(b.includes('[*]')) || (a < b ? -1 : a > b ? 1 : 0));
  const seen = new Set<string>();
  const factors: Factor[] = [];
  for (const [key, spec] of sorted) {
    if (spec === 'fixed') continue;
    let resolved: PathItem[][];
    try {
      resolved = resolvePath(key, s);
    } catch (e) {
      problems.push({ ...src.where(['uncertain', key]), message: `cannot vary '${key}': ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    const keep = opts.only === undefined || opts.only.includes(key);
    const scaled = 'scale' in spec && spec.scale === true;
    const places: FactorPlace[] = [];
    for (const items of resolved) {
      const path = readable(items, s);
      if (seen.has(path)) continue;
      seen.add(path);
      if (excluded.has(path) || excluded.has(key)) continue;
      const nominal = valueAt(s, items);
      if (typeof nominal !== 'number' && typeof nominal !== 'string' && typeof nominal !== 'boolean') {
        problems.push({ ...src.where(['uncertain', key]), message: `'${path}' holds ${describeValue(nominal)}; only numbers, text and true/false can vary` });
        continue;
      }
      if (!('oneOf' in spec) && typeof nominal !== 'number') {
        problems.push({ ...src.where(['uncertain', key]), message: `'${path}' is not a number, so it cannot take a distribution`, expected: 'a number field, or oneOf: [...] for other values', found: describeValue(nominal) });
        continue;
      }
      places.push({ items, path, nominal, integer: integerAt(items, s) });
    }
    if (!keep || places.length === 0) continue;
    const dist = distOf(spec as Exclude<Uncertain, 'fixed'>);
    const source = sourceOf(s, key);
    if (scaled) factors.push({ name: scaleName(key), entry: key, scale: true, places, dist, source });
    else for (const p of places) factors.push({ name: p.path, entry: key, scale: false, places: [p], dist, source });
  }
  if (problems.length > 0) throw new InputError(problems);
  return factors;
}

export function factorInfo(f: Factor): FactorInfo {
  return { name: f.name, group: f.entry, dist: f.dist, scale: f.scale, paths: f.places.map((p) => p.path), source: f.source };
}

/** The groups of a list of factors (their entries), in order of first appearance. */
export function groupsOf(factors: readonly { readonly group: string }[]): string[] {
  return [...new Set(factors.map((f) => f.group))];
}

/**
 * The columns of a design file resolved against the scenario: a value path (`countries[IND].patience`, `[*]`
 * for every element, `regime` for the run's regime) or `scale(<path>)`, a factor on the values there.
 */
export function resolveColumns(s: Scenario, names: readonly string[], file: string): WorldColumn[] {
  return names.map((name) => {
    if (name === 'regime') return { name, scale: false, places: [], regime: true };
    const m = SCALE.exec(name);
    const path = m ? (m[1] as string) : name;
    let resolved: PathItem[][];
    try {
      resolved = resolvePath(path, s);
    } catch (e) {
      throw new InputError({ file, line: 1, path: name, message: `the column '${name}' names no value of the scenario: ${e instanceof Error ? e.message : String(e)}`, expected: 'a value path as for --set (e.g. countries[IND].patience), regime, or scale(<path>)' });
    }
    const places = resolved.map((items): FactorPlace => {
      const nominal = valueAt(s, items);
      if (m && typeof nominal !== 'number') {
        throw new InputError({ file, line: 1, path: name, message: `scale() needs numbers, but ${readable(items, s)} holds ${describeValue(nominal)}`, expected: 'a path to number values' });
      }
      return { items, path: readable(items, s), nominal: nominal as DistValue, integer: integerAt(items, s) };
    });
    return { name, scale: m !== null, places };
  });
}

/** The value a column writes at a place. */
function placeValue(c: WorldColumn, p: FactorPlace, v: DistValue): DistValue {
  if (c.scale) {
    const x = Number(((p.nominal as number) * (v as number)).toPrecision(12));
    return p.integer ? Math.round(x) : x;
  }
  return p.integer && typeof v === 'number' ? Math.round(v) : v;
}

/**
 * The scenario with a world's values written in, validated (schema and the loader's other checks). Throws an
 * InputError naming each column and value and `origin` (where the values came from).
 */
export function applyWorld(base: ChipsScenario, columns: readonly WorldColumn[], values: readonly DistValue[], origin: string): ChipsScenario {
  const copy = structuredClone(base);
  let changed = false;
  columns.forEach((c, i) => {
    const v = values[i] as DistValue;
    for (const p of c.places) {
      setAt(copy, p.items, placeValue(c, p, v));
      changed = true;
    }
  });
  if (!changed) return base;
  const parsed = ChipsScenarioSchema.safeParse(copy);
  const problems = parsed.success ? scenarioProblems(parsed.data) : issuesToProblems(parsed.error.issues, { document: copy, tree: { kind: 'map', entries: new Map(), origin: { file: origin } } });
  if (parsed.success && problems.length === 0) return parsed.data;
  const shown = columns.map((c, i) => `${c.name} = ${describeValue(values[i])}`).join(', ');
  throw new InputError(problems.slice(0, 5).map((p): InputProblem => ({ path: p.path ?? '', message: `${p.message} (with ${shown.length > 300 ? `${shown.slice(0, 297)}...` : shown}, from ${origin})`, ...(p.expected !== undefined ? { expected: p.expected } : {}), ...(p.found !== undefined ? { found: p.found } : {}) })));
}

/** The regime a world sets through a `regime` column, if any. */
export function worldRegime(columns: readonly WorldColumn[], values: readonly DistValue[]): string | undefined {
  const i = columns.findIndex((c) => c.regime === true);
  return i < 0 ? undefined : String(values[i]);
}

/** "scale(countries[*].demandPerRound) ~ triangular(0.5, 1, 2)": a factor in one line. */
export function factorText(f: FactorInfo): string {
  return `${f.name} ~ ${distText(f.dist)}${f.scale ? ` (times the scenario's own value at ${f.paths.length} place${f.paths.length === 1 ? '' : 's'})` : ''}`;
}
