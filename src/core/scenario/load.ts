/**
 * Loading a scenario: read (YAML or JSON, untrusted) -> source tree with positions -> `extends` chain merged ->
 * `--set` overrides -> zod validation (defaults applied) -> checks the schema cannot express (unique ids,
 * expressions) -> a LoadedScenario with a content hash and a source map.
 *
 * Every problem is an InputError naming the file, the document path (`countries[IND].patience`), the line and
 * column, what was expected and what was found. See source.ts for the safety limits on untrusted text.
 */
import { dirname, join, normalize, resolve } from 'node:path';
import { contentHash } from '../canonical.js';
import { InputError, describeValue } from '../errors.js';
import { OUTSIDE_HINT, confinementFor, isInsideRoots, readInputFile, readInputFileSync } from '../files.js';
import type { Confinement, ReadInputOptions } from '../files.js';
import type { InputProblem } from '../errors.js';
import { checkExpression, compileExpression, isUsableVariableName } from '../expr.js';
import { suggest } from '../suggest.js';
import type { ExpressionPlace, ExpressionType } from '../expr.js';
import { capProblems, issuesToProblems, placeOf, renderPath, sortProblems } from './errors-map.js';
import type { PathItem } from './introspect.js';
import { expressionsIn } from './expression-sites.js';
import { mergeNodes, withoutKey } from './merge.js';
import { applySets } from './overrides.js';
import { BargainingScenarioSchema, ChipsScenarioSchema, ScenarioSchema } from './schema.js';
import type { Regime, Rule, Scenario } from './schema.js';
import { SOURCE_LIMITS, decodeText, entry, formatOf, idOf, isReservedName, parseSource, toPlain, walk } from './source.js';
import type { Origin, SMap, SNode } from './source.js';

/** Longest `extends` chain (files after the first). */
export const MAX_EXTENDS_DEPTH = 8;

export interface LoadOptions {
  /** `--set path=value` overrides, applied in order after merging. */
  readonly sets?: readonly string[];
  /** Let `extends` read bases outside the allowed folders (see Confinement in src/core/files.ts); default: `--allow-outside`. */
  readonly allowOutside?: boolean;
}

export interface SourceLocation {
  /** The file as named in messages (the path given by the user, or joined from it for base files). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface LoadedScenario {
  /** The validated scenario, defaults applied. */
  readonly scenario: Scenario;
  /** Absolute path of the scenario file. */
  readonly file: string;
  /** Absolute paths of the extends chain: this file first, then its base, the base's base... */
  readonly files: readonly string[];
  /** The merged document after --set, before defaults (plain objects and arrays). */
  readonly document: unknown;
  /** sha256 (hex) of the canonical JSON (sorted keys) of `scenario`. */
  readonly hash: string;
  /**
   * Where the value at `path` (keys and list indices, as in `document`) was written. For a path that does not
   * exist (a default), the nearest enclosing value. Undefined for values given by --set.
   */
  locate(path: readonly PathItem[]): SourceLocation | undefined;
  /** A ready `where` for compileExpression and InputErrors: file, readable path, line and column. */
  where(path: readonly PathItem[]): ExpressionPlace;
}

// ---------------------------------------------------------------------------------------------------------
// The extends chain, written once as a generator and driven synchronously or asynchronously.
// ---------------------------------------------------------------------------------------------------------

interface ReadRequest {
  readonly abs: string;
  readonly label: string;
  /** The `extends` value that asked for this file, if any. */
  readonly referrer?: Origin;
}

type Chain = Generator<ReadRequest, SMap, string>;

function extendsError(referrer: Origin | undefined, message: string, extra: { expected?: string; found?: string } = {}): InputError {
  const place = placeOf(referrer);
  return new InputError({
    ...(place.file !== undefined ? { file: place.file } : {}),
    ...(place.line !== undefined ? { line: place.line } : {}),
    ...(place.column !== undefined ? { column: place.column } : {}),
    ...(referrer !== undefined ? { path: 'extends' } : {}),
    message,
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.found !== undefined ? { found: extra.found } : {}),
  });
}

function checkFormat(req: ReadRequest): void {
  if (formatOf(req.abs) === undefined) {
    throw req.referrer
      ? extendsError(req.referrer, `cannot extend ${describeValue(req.label)}: unsupported file type`, { expected: 'a .yaml, .yml or .json file', found: describeValue(req.label) })
      : new InputError({ file: req.label, message: 'unsupported file type', expected: 'a .yaml, .yml or .json file', found: describeValue(req.label) });
  }
}

function readOptions(req: ReadRequest): ReadInputOptions {
  const referrer = req.referrer;
  return {
    what: referrer ? 'base file' : 'scenario file',
    maxBytes: SOURCE_LIMITS.maxBytes,
    // Named as the user wrote it; a base file's problem is reported at the `extends` that named it.
    wrap: referrer
      ? (p) => extendsError(referrer, p.message.replace('the base file', `the base file ${describeValue(req.label)}`), { found: p.found ?? describeValue(req.label), ...(p.expected !== undefined ? { expected: p.expected } : {}) })
      : (p) => new InputError({ file: req.label, ...p }),
  };
}

function readSync(req: ReadRequest): string {
  checkFormat(req);
  return decodeText(readInputFileSync(req.abs, readOptions(req)), req.label);
}

async function readAsync(req: ReadRequest): Promise<string> {
  checkFormat(req);
  return decodeText(await readInputFile(req.abs, readOptions(req)), req.label);
}

/** Top-level keys a scenario may have (either kind): a base file with any other is not a scenario. */
const SCENARIO_KEYS: ReadonlySet<string> = new Set(['extends', ...Object.keys(ChipsScenarioSchema.shape), ...Object.keys(BargainingScenarioSchema.shape)]);

/**
 * A base file is read only to be merged: when it does not parse, or is not a scenario, the error says so
 * without quoting it (it may be any file the `extends` named), only where the problem is.
 */
function parseBase(text: string, req: ReadRequest & { referrer: Origin }): SMap {
  const notScenario = (why: string): InputError =>
    extendsError(req.referrer, `the base file ${describeValue(req.label)} is not a scenario (${why})`, { expected: 'a scenario file (YAML or JSON, a mapping with kind, id, ...)', found: describeValue(req.label) });
  let tree: SNode;
  try {
    tree = parseSource(text, req.label, { what: 'document', format: formatOf(req.abs) ?? 'yaml' });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const p = e.problems[0];
    throw notScenario(`${(p?.message ?? 'cannot parse').replace(/:.*$/, '')}${p?.line !== undefined ? ` at line ${p.line}` : ''}`);
  }
  if (tree.kind !== 'map') throw notScenario('the top level is not a mapping');
  if ([...tree.entries.keys()].some((k) => !SCENARIO_KEYS.has(k))) throw notScenario('its top level has keys that are not scenario fields');
  return tree;
}

function* loadTree(req: ReadRequest, chain: string[], conf: Confinement, given?: string): Chain {
  const text = given ?? (yield req);
  const tree = req.referrer !== undefined ? parseBase(text, { ...req, referrer: req.referrer }) : parseSource(text, req.label, { what: 'document', format: formatOf(req.abs) ?? 'yaml' });
  if (tree.kind !== 'map') throw new InputError({ file: req.label, message: 'the top level must be a mapping' });
  chain.push(req.abs);
  const ext = tree.entries.get('extends');
  if (ext === undefined) return tree;
  const v = ext.value;
  if (v.kind !== 'scalar' || typeof v.value !== 'string' || v.value.trim() === '') {
    throw extendsError(v.origin, 'extends must name a base scenario file', { expected: 'a relative path such as ./base.yaml', found: describeValue(toPlain(v)) });
  }
  if (v.value.length > 400) throw extendsError(v.origin, 'extends path too long', { expected: 'at most 400 characters', found: `${v.value.length} characters` });
  const baseAbs = resolve(dirname(req.abs), v.value);
  const baseLabel = normalize(join(dirname(req.label), v.value));
  if (!isInsideRoots(baseAbs, conf)) {
    throw extendsError(v.origin, `extends ${describeValue(v.value)} is outside the folders a scenario may read`, { expected: OUTSIDE_HINT, found: describeValue(v.value) });
  }
  if (chain.includes(baseAbs)) {
    const names = [...chain.slice(chain.indexOf(baseAbs)), baseAbs].map((f) => f.split(/[\\/]/).pop() ?? f);
    throw extendsError(v.origin, `extends cycle: ${names.join(' -> ')}`, { expected: 'a chain of bases that ends', found: describeValue(v.value) });
  }
  if (chain.length > MAX_EXTENDS_DEPTH) {
    throw extendsError(v.origin, `extends chain too long (more than ${MAX_EXTENDS_DEPTH} bases)`, { found: describeValue(v.value) });
  }
  const base = yield* loadTree({ abs: baseAbs, label: baseLabel, referrer: v.origin }, chain, conf);
  const own = withoutKey(tree, 'extends');
  const baseKind = entry(base, 'kind');
  const ownKind = entry(own, 'kind');
  if (baseKind?.kind === 'scalar' && ownKind?.kind === 'scalar' && baseKind.value !== ownKind.value) {
    throw new InputError({
      ...placeOf(ownKind.origin),
      path: 'kind',
      message: `this file is kind ${describeValue(ownKind.value)} but its base ${describeValue(baseLabel)} is kind ${describeValue(baseKind.value)}`,
      expected: describeValue(baseKind.value),
      found: describeValue(ownKind.value),
    });
  }
  const merged = mergeNodes(base, own);
  return merged.kind === 'map' ? merged : own;
}

// ---------------------------------------------------------------------------------------------------------
// After merging: --set, validation, semantic checks
// ---------------------------------------------------------------------------------------------------------

function leftoverRemovals(node: SNode, path: PathItem[], out: InputProblem[]): void {
  if (node.kind === 'map') {
    for (const [k, e] of node.entries) leftoverRemovals(e.value, [...path, k], out);
  } else if (node.kind === 'seq') {
    node.items.forEach((item, i) => {
      const r = entry(item, 'remove');
      const id = idOf(item);
      if (r?.kind === 'scalar' && r.value === true && id !== undefined) {
        out.push({
          ...placeOf(r.origin),
          path: `${renderPath(path, undefined)}[${id}]`,
          message: `'remove: true' only works in a file that extends a base with an element '${id}' in this list`,
          expected: 'a base (extends) whose list has this id',
        });
      }
      leftoverRemovals(item, [...path, i], out);
    });
  }
}

interface Semantic {
  readonly scenario: Scenario;
  readonly where: (path: readonly PathItem[]) => ExpressionPlace;
}

function duplicateIds(list: readonly { id: string }[], field: string, sem: Semantic, out: InputProblem[]): void {
  const seen = new Map<string, number>();
  list.forEach((x, i) => {
    const first = seen.get(x.id);
    if (first !== undefined) {
      out.push({ ...sem.where([field, i, 'id']), path: `${field}[${i}].id`, message: `duplicate id '${x.id}' (also ${field}[${first}])`, expected: 'each id once', found: `'${x.id}'` });
    } else {
      seen.set(x.id, i);
    }
  });
}

function collect(out: InputProblem[], f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) out.push(...e.problems);
    else throw e;
  }
}

function semanticChecks(sem: Semantic): InputProblem[] {
  const out: InputProblem[] = [];
  const s = sem.scenario;
  const compiled = new Set<string>();
  const expr = (path: readonly PathItem[], source: string | undefined, type: ExpressionType, variables?: readonly string[]): void => {
    if (source === undefined) return;
    compiled.add(JSON.stringify(path));
    collect(out, () => {
      if (variables !== undefined) compileExpression(source, { where: sem.where(path), variables, type });
      else checkExpression(source, { where: sem.where(path), type });
    });
  };
  // Ids are looked up by name (regimes, rules per country): a name an ordinary object already has is refused.
  const safeName = (path: PathItem[], value: string, what: string): void => {
    if (!isReservedName(value)) return;
    out.push({
      ...sem.where(path),
      message: `the ${what} '${value}' is a reserved name`,
      expected: 'another name (the property names of JavaScript objects, such as constructor, toString or valueOf, and names starting with __ are reserved)',
      found: `'${value}'`,
    });
  };
  safeName(['id'], s.id, 'scenario id');
  if (s.kind === 'bargaining') {
    s.parties.forEach((p, k) => safeName(['parties', k, 'name'], p.name, 'party name'));
    const names = s.issues.map((i) => i.name);
    const seen = new Set<string>();
    s.issues.forEach((issue, i) => {
      if (seen.has(issue.name)) out.push({ ...sem.where(['issues', i, 'name']), message: `duplicate issue name '${issue.name}'`, expected: 'each name once', found: `'${issue.name}'` });
      seen.add(issue.name);
      if (!isUsableVariableName(issue.name)) {
        out.push({
          ...sem.where(['issues', i, 'name']),
          message: `the issue name '${issue.name}' cannot be used in expressions (it is a function, constant or reserved word)`,
          expected: 'another name, e.g. share or price',
          found: `'${issue.name}'`,
        });
      }
    });
    if (s.parties[0].name === s.parties[1].name) {
      out.push({ ...sem.where(['parties', 1, 'name']), message: 'the two parties have the same name', expected: 'two different names', found: `'${s.parties[1].name}'` });
    }
    s.parties.forEach((p, k) => expr(['parties', k, 'utility'], p.utility, 'number', names));
  } else {
    duplicateIds(s.countries, 'countries', sem, out);
    duplicateIds(s.adversaries, 'adversaries', sem, out);
    safeName(['exporter', 'id'], s.exporter.id, 'exporter id');
    s.countries.forEach((c, i) => safeName(['countries', i, 'id'], c.id, 'country id'));
    s.adversaries.forEach((a, i) => safeName(['adversaries', i, 'id'], a.id, 'adversary id'));
    safeName(typeof s.regime === 'string' ? ['regime'] : ['regime', 'id'], typeof s.regime === 'string' ? s.regime : s.regime.id, 'regime');
    for (const [k, r] of Object.entries(s.regimes)) safeName(['regimes', k, 'id'], r.id, 'regime id');
    expr(['exporter', 'utility'], s.exporter.utility, 'number');
    s.countries.forEach((c, i) => expr(['countries', i, 'utility'], c.utility, 'number'));
    const regimes: [PathItem[], Regime][] = Object.entries(s.regimes).map(([k, r]) => [['regimes', k], r]);
    if (typeof s.regime !== 'string') regimes.unshift([['regime'], s.regime]);
    for (const [base, r] of regimes) {
      const rules: [PathItem[], Rule][] = [
        [[...base, 'tier1'], r.tier1],
        [[...base, 'tier2'], r.tier2],
        [[...base, 'tier3'], r.tier3],
        ...Object.entries(r.countries).map(([id, rule]): [PathItem[], Rule] => [[...base, 'countries', id], rule]),
      ];
      for (const [p, rule] of rules) {
        expr([...p, 'capExpr'], rule.capExpr, 'number');
        expr([...p, 'eligible'], rule.eligible, 'boolean');
      }
    }
  }
  // Any other expression the schema allows is checked too (invariants are compiled by src/check, with their
  // lists and dotted names), so a new expression field is never left unchecked.
  for (const site of expressionsIn(s)) {
    if (site.path[0] !== 'invariants' && !compiled.has(JSON.stringify(site.path))) expr(site.path, site.source, site.type);
  }
  return out;
}

/**
 * The checks the schema cannot express (unique ids, safe names, every expression compiled), for a scenario
 * changed after loading: a draw of `tradesim check`, a comparative invariant's second run. Problems carry
 * document paths only.
 */
export function scenarioProblems(scenario: Scenario): InputProblem[] {
  return semanticChecks({ scenario, where: (path) => ({ path: renderPath(path, scenario) }) });
}

/**
 * An element an `extends` file added to a list of its base (a new id) that lacks required fields was most
 * likely meant to change an existing element: lists under `extends` are matched by id. Its "missing required
 * field" problems become one, saying so, with the base's ids and the nearest one.
 */
function explainAddedIds(problems: InputProblem[], tree: SMap): InputProblem[] {
  const added: { prefix: string; id: string; baseIds: readonly string[]; baseNames: readonly (string | undefined)[] }[] = [];
  const visit = (node: SNode, path: string): void => {
    if (node.kind === 'map') {
      for (const [k, e] of node.entries) visit(e.value, path === '' ? k : `${path}.${k}`);
    } else if (node.kind === 'seq') {
      for (const item of node.items) {
        const id = idOf(item);
        const at = id !== undefined ? `${path}[${id}]` : path;
        if (item.kind === 'map' && item.addedTo !== undefined && id !== undefined) added.push({ prefix: at, id, ...item.addedTo });
        visit(item, at);
      }
    }
  };
  visit(tree, '');
  if (added.length === 0) return problems;
  const out: InputProblem[] = [];
  const done = new Set<string>();
  for (const p of problems) {
    const a = added.find((x) => p.path?.startsWith(`${x.prefix}.`) === true && /missing required field/.test(p.message));
    if (a === undefined) {
      out.push(p);
      continue;
    }
    if (done.has(a.prefix)) continue;
    done.add(a.prefix);
    const missing = problems.filter((q) => q.path?.startsWith(`${a.prefix}.`) === true && /missing required field/.test(q.message)).map((q) => q.path?.slice(a.prefix.length + 1) ?? '');
    // "UAE" for ARE (United Arab Emirates): the name's initials or its start, else the nearest id.
    const key = a.id.toLowerCase();
    const byName = a.baseIds.find((id, i) => {
      const name = a.baseNames[i]?.toLowerCase() ?? '';
      const initials = name.split(/[^\p{L}]+/u).filter((w) => w.length > 2 || w === 'uk').map((w) => w[0]).join('');
      return name !== '' && (initials === key || name.startsWith(key) || name.replace(/[^\p{L}]/gu, '') === key);
    });
    const guess = byName ?? suggest(a.id, a.baseIds.filter((x) => x !== ''));
    const { path: _path, message: _message, expected: _expected, found: _found, ...place } = p;
    out.push({
      ...place,
      path: a.prefix,
      message:
        `'${a.id}' is not an id in the base scenario, so this adds a new element, which lacks ${missing.join(', ')}; ` +
        `lists under extends are matched by id${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`,
      expected: `to change an element of the base, one of its ids: ${a.baseIds.filter((x) => x !== '').join(', ') || '(none)'}; to add one, every required field`,
      found: `'${a.id}'`,
    });
  }
  return out;
}

function finish(tree: SMap, files: readonly string[], opts: LoadOptions): LoadedScenario {
  const leftovers: InputProblem[] = [];
  leftoverRemovals(tree, [], leftovers);
  if (leftovers.length > 0) throw new InputError(capProblems(sortProblems(leftovers)));

  if (opts.sets !== undefined) {
    if (!Array.isArray(opts.sets)) throw new InputError({ path: '--set', message: 'expected a list of path=value overrides' });
    applySets(tree, opts.sets);
  }

  const document = toPlain(tree);
  const locate = (path: readonly PathItem[]): SourceLocation | undefined => {
    const o = walk(tree, path).node.origin;
    return o.set === undefined && o.line !== undefined ? { file: o.file, line: o.line, column: o.column ?? 1 } : undefined;
  };
  const where = (path: readonly PathItem[]): ExpressionPlace => {
    const o = walk(tree, path).node.origin;
    const place = placeOf(o);
    return {
      ...(place.file !== undefined ? { file: place.file } : {}),
      ...(place.line !== undefined ? { line: place.line } : {}),
      ...(place.column !== undefined ? { column: place.column } : {}),
      path: renderPath(path, document),
    };
  };

  const parsed = ScenarioSchema.safeParse(document);
  if (!parsed.success) throw new InputError(explainAddedIds(issuesToProblems(parsed.error.issues, { document, tree }), tree));
  const scenario = parsed.data;

  const problems = semanticChecks({ scenario, where });
  if (problems.length > 0) throw new InputError(capProblems(sortProblems(problems)));

  return {
    scenario,
    file: files[0] ?? '',
    files,
    document,
    hash: contentHash(scenario),
    locate,
    where,
  };
}

function driveSync(gen: Chain): SMap {
  let step = gen.next();
  while (!step.done) step = gen.next(readSync(step.value));
  return step.value;
}

async function driveAsync(gen: Chain): Promise<SMap> {
  let step = gen.next();
  while (!step.done) step = gen.next(await readAsync(step.value));
  return step.value;
}

/** Loads, merges, overrides and validates a scenario file (.yaml, .yml or .json). Throws InputError. */
export async function loadScenarioFile(file: string, opts: LoadOptions = {}): Promise<LoadedScenario> {
  if (typeof file !== 'string' || file.trim() === '') throw new InputError({ path: '<scenario>', message: 'missing scenario file name' });
  const chain: string[] = [];
  const tree = await driveAsync(loadTree({ abs: resolve(file), label: file }, chain, confinementFor(file, opts)));
  return finish(tree, chain, opts);
}

/**
 * The same from text already in memory (tests, stdin). `fileLabel` names the text in messages and decides the
 * format by its extension (YAML unless .json); `extends` is resolved relative to it and read synchronously.
 */
export function loadScenarioText(text: string, fileLabel: string, opts: LoadOptions = {}): LoadedScenario {
  if (typeof text !== 'string') throw new InputError({ file: fileLabel, message: 'expected text' });
  const chain: string[] = [];
  const abs = resolve(fileLabel);
  const tree = driveSync(loadTree({ abs, label: fileLabel }, chain, confinementFor(fileLabel, opts), text));
  return finish(tree, chain, opts);
}

/**
 * A scenario file read, parsed and merged with its `extends` chain, before any `--set` or validation: what
 * scenarioLoader starts from. Plain data (maps, arrays, objects), so that a sweep sends it to its worker
 * threads, which then neither read nor parse files.
 */
export interface ScenarioSource {
  readonly tree: SMap;
  /** Absolute paths of the extends chain, as LoadedScenario.files. */
  readonly files: readonly string[];
}

export async function readScenarioSource(file: string, opts: Pick<LoadOptions, 'allowOutside'> = {}): Promise<ScenarioSource> {
  if (typeof file !== 'string' || file.trim() === '') throw new InputError({ path: '<scenario>', message: 'missing scenario file name' });
  const files: string[] = [];
  const tree = await driveAsync(loadTree({ abs: resolve(file), label: file }, files, confinementFor(file, opts)));
  return { tree, files };
}

/**
 * Load a read scenario many times with different `--set` overrides (sweeps): each call applies the overrides
 * to a private copy of the merged tree, validates and checks it, exactly as loadScenarioFile would.
 */
export function sourceLoader(source: ScenarioSource): (opts?: LoadOptions) => LoadedScenario {
  return (opts = {}) => finish(structuredClone(source.tree), source.files, opts);
}

/** sourceLoader of a file read once. */
export async function scenarioLoader(file: string): Promise<(opts?: LoadOptions) => LoadedScenario> {
  return sourceLoader(await readScenarioSource(file));
}
