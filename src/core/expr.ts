/**
 * Expressions in scenario files (utilities, caps, eligibility rules) are UNTRUSTED. They are handled by a
 * locked-down mathjs, following mathjs's security guidance (https://mathjs.org/docs/expressions/security.html):
 *
 * 1. The mathjs instance is built with `create()` from ONLY the factories listed below (arithmetic,
 *    comparison, logic, pi and e, and the parser); `parse` and `compile` are captured, then `import`,
 *    `createUnit`, `reviver`, `evaluate`, `parse`, `simplify`, `derivative`, `resolve` are replaced by functions
 *    that throw.
 * 2. Each expression is compiled ONCE: the source is checked (at most 500 characters of printable ASCII, at most
 *    32 levels of brackets), parsed, and the syntax tree is walked against an allow-list of node types
 *    (ConstantNode with a finite number or true/false, SymbolNode, OperatorNode, ParenthesisNode,
 *    ConditionalNode, RelationalNode (chained comparisons such as `0 < x < 1`), and FunctionNode calling one of
 *    the allow-listed functions by name). Everything else - property access, indexing, assignment, function
 *    definition, matrices, objects, ranges, blocks, strings, units, any other function - is an InputError.
 *    Every free symbol must be a declared variable or the constant pi or e. The tree is capped at 300 nodes
 *    and depth 100. Every part that reads no variable is evaluated once, then: a constant with no finite value
 *    (`1/0`, `log(0)`, `sqrt(-1)`) is an InputError when the file is loaded, not in the middle of a run. The result type is checked statically: a 'boolean' expression must be a condition
 *    (comparison, logic, true/false), a 'number' expression must not be one.
 * 3. The allow-listed tree is translated into a tree of plain JavaScript closures (no eval, no new Function,
 *    no mathjs parser or compiled mathjs code at run time). The closures reproduce mathjs's number semantics:
 *    comparisons use mathjs's tolerance (relTol 1e-12, absTol 1e-15), min/max compare the same way, and
 *    round/floor/ceil/mod call the sandbox's own typed functions (tolerance-aware rounding). Where mathjs would switch to complex numbers (sqrt or log of a
 *    negative number, a negative base to a fractional power) the closure throws an InputError instead.
 *    Measured on Node 20 (`a*x^2 + max(b, x) - (x > 1 ? log(x) : 0)`, 1e6 evaluations): closures ~0.09 µs per
 *    evaluation, mathjs's compiled code with a reused Map scope ~1.9 µs; the closures are kept.
 *
 * 4. Invariant expressions (src/check) opt in, with `lists`, to two more things: dotted names such as
 *    `final.leakage` (an AccessorNode chain of plain dot-names is read as ONE declared variable name; nothing is
 *    ever looked up on an object at run time), and list variables (one number per country, round, ...) that
 *    may appear only inside the aggregates all, any, count, sum, mean, max and min (one argument). An
 *    aggregate's argument is an ordinary scalar expression evaluated once per element, so lists of different
 *    kinds (countries and rounds) cannot be mixed in one aggregate; that is checked when compiling.
 *
 * Evaluation returns a number. For a 'boolean' expression, `evaluate` returns 1 (true) or 0 (false) and
 * `test` returns the boolean. A result that is not a finite number (NaN, +-Infinity) is an InputError naming
 * the expression's place and the values of the variables it uses.
 */
import * as subset from './mathjs-subset.js';
import type { FactoryFunctionMap, MathNode } from 'mathjs';
import { InputError, describeValue } from './errors.js';
import { levenshtein, suggest } from './suggest.js';
import type { InputProblem } from './errors.js';

// ---------------------------------------------------------------------------------------------------------
// Limits and allow-lists
// ---------------------------------------------------------------------------------------------------------

export const EXPRESSION_LIMITS = Object.freeze({
  /** Characters in the source. */
  maxLength: 500,
  /** Nesting of ( [ { in the source, checked before parsing. */
  maxBrackets: 32,
  /** Nodes in the syntax tree. */
  maxNodes: 300,
  /** Depth of the syntax tree. */
  maxDepth: 100,
});

/** Functions an expression may call, with their allowed numbers of arguments. */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, { readonly min: number; readonly max: number }>> = Object.freeze({
  abs: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  exp: { min: 1, max: 1 },
  log: { min: 1, max: 2 },
  log10: { min: 1, max: 1 },
  min: { min: 1, max: 64 },
  max: { min: 1, max: 64 },
  floor: { min: 1, max: 2 },
  ceil: { min: 1, max: 2 },
  round: { min: 1, max: 2 },
  sign: { min: 1, max: 1 },
  sin: { min: 1, max: 1 },
  cos: { min: 1, max: 1 },
  tan: { min: 1, max: 1 },
});

/** Named constants an expression may use (true and false are literals). */
export const EXPRESSION_CONSTANTS: Readonly<Record<string, number>> = Object.freeze({ pi: Math.PI, e: Math.E });

const OPERATORS = Object.freeze({
  unary: ['unaryMinus', 'unaryPlus', 'not'],
  arithmetic: ['add', 'subtract', 'multiply', 'divide', 'pow', 'mod'],
  comparison: ['equal', 'unequal', 'larger', 'smaller', 'largerEq', 'smallerEq'],
  logic: ['and', 'or', 'xor'],
});

/** Words the mathjs parser treats as operators or literals: they can never be variable names. */
const PARSER_WORDS = new Set(['and', 'or', 'not', 'xor', 'mod', 'to', 'in', 'true', 'false', 'null', 'undefined', 'NaN', 'Infinity']);

export type ExpressionType = 'number' | 'boolean';

/** Where an expression lives, for error messages (file, path, line, column). */
export type ExpressionPlace = Omit<InputProblem, 'message'>;

export interface CompileOptions {
  readonly where: ExpressionPlace;
  /** Names the expression may use; each must be given a number in the scope passed to `evaluate`. */
  readonly variables: readonly string[];
  readonly type: ExpressionType;
  /**
   * Invariant expressions only: list variables, name -> kind of list (e.g. 'countries.delivered' ->
   * 'countries'). Giving it also allows dotted variable names. Lists are read only through aggregates.
   */
  readonly lists?: Readonly<Record<string, string>>;
}

/** What `evaluate` reads: numbers, and lists of numbers for list variables (see CompileOptions.lists). */
export type ExpressionScope = Readonly<Record<string, number | readonly number[]>>;

/** Functions that reduce a list variable to one number (only with CompileOptions.lists). */
export const EXPRESSION_AGGREGATES: readonly string[] = Object.freeze(['all', 'any', 'count', 'sum', 'mean', 'max', 'min']);

/** Filled by `explain`: for each all()/any() evaluated, the indices of the elements that were false/true. */
export interface AggregateTrace {
  readonly fn: string;
  readonly kind: string;
  readonly indices: readonly number[];
}

export interface CompiledExpression {
  readonly source: string;
  readonly type: ExpressionType;
  /** The declared variables the expression actually uses, in order of first use. */
  readonly variables: readonly string[];
  readonly where: ExpressionPlace;
  /**
   * Evaluates the expression. Every used variable must be a number in `scope` (a missing one is a programming
   * error: plain Error). Returns a finite number; for a 'boolean' expression 1 (true) or 0 (false). Throws
   * InputError for a non-finite result or a value with no real result (sqrt(-1)).
   */
  evaluate(scope: ExpressionScope): number;
  /** `evaluate(scope) !== 0`; meant for 'boolean' expressions. */
  test(scope: ExpressionScope): boolean;
  /** Like evaluate, also reporting which elements made each all() fail or each any() hold. */
  explain(scope: ExpressionScope): { readonly value: number; readonly aggregates: readonly AggregateTrace[] };
}

// ---------------------------------------------------------------------------------------------------------
// The sandboxed mathjs instance
// ---------------------------------------------------------------------------------------------------------

type NumFn = (...args: number[]) => unknown;
interface Sandbox {
  readonly parse: (text: string) => MathNode;
  readonly compile: (text: string) => { evaluate(scope: Map<string, unknown>): unknown };
  readonly round: NumFn;
  readonly floor: NumFn;
  readonly ceil: NumFn;
  readonly mod: NumFn;
}
let sandbox: Sandbox | undefined;

/**
 * The sandboxed mathjs instance, built on first use: building it (typed-function signatures, then their JIT
 * compilation) was the largest single part of importing the simulator, about a quarter of it in a CPU profile,
 * and runs of scenarios with no expressions, such as every sweep worker of the calibrated scenarios, never
 * need it.
 */
function mathjs(): Sandbox {
  if (sandbox !== undefined) return sandbox;
  // Every factory the subset exports, and nothing else, goes into the sandbox (true and false need no
  // factory: the parser turns them into constants).
  const { create, ...subsetFactories } = subset;
  const math = create(subsetFactories as Record<string, FactoryFunctionMap>, { number: 'number', predictable: false });
  // Capture what we need before disabling (mathjs creates functions lazily on first access).
  sandbox = {
    parse: math.parse,
    compile: math.compile,
    round: math.round as unknown as NumFn,
    floor: math.floor as unknown as NumFn,
    ceil: math.ceil as unknown as NumFn,
    mod: math.mod as unknown as NumFn,
  };
  const disabled = (name: string) => () => {
    throw new Error(`Function ${name} is disabled in the expression sandbox`);
  };
  math.import(
    {
      import: disabled('import'),
      createUnit: disabled('createUnit'),
      reviver: disabled('reviver'),
      evaluate: disabled('evaluate'),
      parse: disabled('parse'),
      simplify: disabled('simplify'),
      derivative: disabled('derivative'),
      resolve: disabled('resolve'),
    },
    { override: true },
  );
  return sandbox;
}

// mathjs's default tolerances (config relTol / absTol), used by its number comparisons.
const REL_TOL = 1e-12;
const ABS_TOL = 1e-15;

function nearlyEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(REL_TOL * Math.max(Math.abs(a), Math.abs(b)), ABS_TOL);
}

const larger = (x: number, y: number): boolean => x > y && !nearlyEqual(x, y);
const smaller = (x: number, y: number): boolean => x < y && !nearlyEqual(x, y);

// ---------------------------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------------------------

type Scope = ExpressionScope;
/** Hidden scope key for the aggregate trace (a symbol, so no expression can name it). */
const TRACE = Symbol('trace');
/** Hidden scope key for the caller's scope, where aggregates find their lists (element scopes shadow the names). */
const LISTS = Symbol('lists');
type TracedScope = Scope & { [TRACE]?: AggregateTrace[]; [LISTS]?: Scope };
type Closure = (s: Scope) => number;
type StaticType = 'number' | 'boolean' | 'mixed';

/** Thrown inside closures for a value with no real result; turned into an InputError by `evaluate`. */
class DomainFault extends Error {}

/** Thrown inside closures when the scope lacks a variable: a programming error. */
class MissingVariable extends Error {}

interface Built {
  readonly fn: Closure;
  readonly type: StaticType;
}

// Nodes as they come from the parser: read defensively, as loose records.
interface AnyNode {
  readonly type?: unknown;
  readonly [key: string]: unknown;
}

/** A close spelling, if there is one (never for names of one or two letters, where everything is close). */
function closeTo(word: string, options: readonly string[]): string | undefined {
  const g = suggest(word, options);
  if (g === undefined) return undefined;
  const d = levenshtein(word.toLowerCase(), g.toLowerCase());
  return d <= 2 && d < Math.min(word.length, g.length) ? g : undefined;
}

const TYPE_NAMES: Record<StaticType, string> = { number: 'a number', boolean: 'a true/false condition', mixed: 'a number or a condition' };

function codePointLabel(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function listNames(names: Iterable<string>, max = 12): string {
  const all = [...names];
  const shown = all.slice(0, max).join(', ');
  return all.length > max ? `${shown}, ... (${all.length} in all)` : shown;
}

function problem(where: ExpressionPlace, source: string, message: string, extra: { expected?: string; found?: string } = {}): InputError {
  const p: InputProblem = { ...where, message: `expression ${describeValue(source)}: ${message}` };
  return new InputError({
    ...p,
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.found !== undefined ? { found: extra.found } : {}),
  });
}

interface Context {
  readonly where: ExpressionPlace;
  readonly source: string;
  /** null: any identifier is accepted (syntax check only). */
  readonly declared: ReadonlySet<string> | null;
  readonly used: string[];
  nodes: number;
  /** Variables read so far (a subtree that adds none is constant and is folded). */
  reads: number;
  /** List variables (name -> kind), or null when lists are not allowed. */
  readonly lists: ReadonlyMap<string, string> | null;
  /** Inside an aggregate's argument: the kind of list it reads (bound by the first list variable) and those variables. */
  aggregate: { kind: string | null; readonly vars: string[] } | null;
}

function fail(ctx: Context, message: string, extra: { expected?: string; found?: string } = {}): never {
  throw problem(ctx.where, ctx.source, message, extra);
}

function describeNode(node: AnyNode): string {
  try {
    const text = (node as unknown as MathNode).toString();
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(node.type);
  }
}

function asNode(x: unknown): AnyNode {
  return (typeof x === 'object' && x !== null ? x : {}) as AnyNode;
}

function nodeList(x: unknown): AnyNode[] {
  return Array.isArray(x) ? x.map(asNode) : [];
}

const REJECTED_NODES: Record<string, string> = {
  AccessorNode: 'property access (a.b or a["b"]) is not allowed',
  AssignmentNode: 'assignment (=) is not allowed',
  FunctionAssignmentNode: 'defining functions is not allowed',
  IndexNode: 'indexing is not allowed',
  ObjectNode: 'objects ({...}) are not allowed',
  ArrayNode: 'lists and matrices ([...]) are not allowed',
  BlockNode: 'more than one statement (; or a line break) is not allowed',
  RangeNode: 'ranges (a:b) are not allowed',
};

const NO_VARIABLES: Scope = Object.freeze(Object.create(null) as Scope);

/**
 * Builds a node's closure and folds it when it reads no variable: a part that is constant is evaluated once,
 * here, so a constant with no finite value (`1/0`, `log(0)`, `sqrt(-1)`, `exp(1000)`) is refused when the
 * file is loaded, naming its place, rather than in the middle of a run.
 */
function build(node: AnyNode, depth: number, ctx: Context): Built {
  const readsBefore = ctx.reads;
  const built = buildNode(node, depth, ctx);
  if (ctx.reads !== readsBefore || node.type === 'ConstantNode') return built;
  let value: number;
  try {
    value = built.fn(NO_VARIABLES);
  } catch (e) {
    if (e instanceof DomainFault) fail(ctx, `${describeNode(node)} has no real value`, { expected: 'a finite number', found: e.message });
    throw e;
  }
  if (!Number.isFinite(value)) fail(ctx, `${describeNode(node)} is ${String(value)}, not a finite number`, { expected: 'a finite number', found: String(value) });
  return { fn: () => value, type: built.type };
}

function buildNode(node: AnyNode, depth: number, ctx: Context): Built {
  if (depth > EXPRESSION_LIMITS.maxDepth) fail(ctx, `too deeply nested (more than ${EXPRESSION_LIMITS.maxDepth} levels)`);
  ctx.nodes += 1;
  if (ctx.nodes > EXPRESSION_LIMITS.maxNodes) fail(ctx, `too long (more than ${EXPRESSION_LIMITS.maxNodes} terms and operators)`);
  const type = typeof node.type === 'string' ? node.type : '';
  switch (type) {
    case 'ConstantNode':
      return buildConstant(node.value, ctx);
    case 'SymbolNode':
      return buildSymbol(String(node.name), ctx);
    case 'ParenthesisNode':
      return build(asNode(node.content), depth + 1, ctx);
    case 'OperatorNode':
      return buildOperator(node, depth, ctx);
    case 'ConditionalNode': {
      const c = build(asNode(node.condition), depth + 1, ctx).fn;
      const t = build(asNode(node.trueExpr), depth + 1, ctx);
      const f = build(asNode(node.falseExpr), depth + 1, ctx);
      const tf = t.fn;
      const ff = f.fn;
      return { fn: (s) => (c(s) ? tf(s) : ff(s)), type: t.type === f.type ? t.type : 'mixed' };
    }
    case 'RelationalNode':
      return buildRelational(node, depth, ctx);
    case 'FunctionNode':
      return buildFunction(node, depth, ctx);
    case 'AccessorNode':
      if (ctx.lists !== null) return buildSymbol(dottedName(node, ctx), ctx);
      return fail(ctx, REJECTED_NODES.AccessorNode ?? '', { found: describeNode(node) });
    default: {
      const why = REJECTED_NODES[type];
      if (why !== undefined) fail(ctx, why, { found: describeNode(node) });
      return fail(ctx, `unsupported syntax (${type || 'unknown'})`, { found: describeNode(node) });
    }
  }
}

function buildConstant(value: unknown, ctx: Context): Built {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(ctx, 'NaN and Infinity are not allowed', { expected: 'a finite number', found: String(value) });
    return { fn: () => value, type: 'number' };
  }
  if (typeof value === 'boolean') {
    const v = value ? 1 : 0;
    return { fn: () => v, type: 'boolean' };
  }
  if (typeof value === 'string') fail(ctx, 'text strings are not allowed', { expected: 'numbers, variables and operators', found: describeValue(value) });
  return fail(ctx, `'${String(value)}' is not allowed`, { expected: 'numbers, variables and operators', found: String(value) });
}

/** `a.b.c` as one name (invariants only): each step must be a plain dot-name, never a computed index. */
function dottedName(node: AnyNode, ctx: Context): string {
  const parts: string[] = [];
  let cur = node;
  for (let i = 0; i < 8 && cur.type === 'AccessorNode'; i++) {
    const index = asNode(cur.index);
    const dims = nodeList(index.dimensions);
    const key = dims[0];
    if (index.dotNotation !== true || dims.length !== 1 || key?.type !== 'ConstantNode' || typeof key.value !== 'string') {
      fail(ctx, 'only dotted names such as final.leakage are allowed, not computed property access', { found: describeNode(node) });
    }
    parts.unshift(String(key.value));
    cur = asNode(cur.object);
  }
  if (cur.type !== 'SymbolNode') fail(ctx, 'only dotted names such as final.leakage are allowed', { found: describeNode(node) });
  parts.unshift(String(cur.name));
  return parts.join('.');
}

/** Reads a variable's number from the scope (a missing one is a programming error). */
function readVariable(name: string): Built {
  return {
    fn: (s) => {
      const v = s[name];
      if (typeof v !== 'number') throw new MissingVariable(name);
      return v;
    },
    type: 'number',
  };
}

function buildSymbol(name: string, ctx: Context): Built {
  const kind = ctx.lists?.get(name);
  if (kind !== undefined) return buildListSymbol(name, kind, ctx);
  if (Object.prototype.hasOwnProperty.call(EXPRESSION_FUNCTIONS, name)) {
    fail(ctx, `'${name}' is a function; call it like ${name}(x)`);
  }
  if (name in Object.prototype || name.startsWith('__')) {
    fail(ctx, `the name '${name}' is reserved`, { found: `'${name}'` });
  }
  const declared = ctx.declared;
  const isConstant = Object.prototype.hasOwnProperty.call(EXPRESSION_CONSTANTS, name);
  if ((declared === null && !isConstant) || declared?.has(name) === true) {
    if (!ctx.used.includes(name)) ctx.used.push(name);
    ctx.reads += 1;
    return readVariable(name);
  }
  const constant = EXPRESSION_CONSTANTS[name];
  if (constant !== undefined && isConstant) return { fn: () => constant, type: 'number' };
  if (declared === null) return fail(ctx, `unknown name '${name}'`);
  const known = [...declared, ...Object.keys(EXPRESSION_CONSTANTS)];
  const guess = closeTo(name, known);
  return fail(ctx, `unknown name '${name}'${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
    expected: declared.size > 0 ? `one of the variables ${listNames(declared)} or the constants pi, e` : 'numbers and the constants pi, e (no variables are available here)',
    found: `'${name}'`,
  });
}

const AGGREGATE_HINT = 'use it inside all(), any(), count(), sum(), mean(), max() or min()';

function buildListSymbol(name: string, kind: string, ctx: Context): Built {
  const agg = ctx.aggregate;
  if (agg === null) fail(ctx, `'${name}' is a list (one value per ${kind.replace(/s$/, '')}); ${AGGREGATE_HINT}`, { found: `'${name}'` });
  if (agg.kind === null) agg.kind = kind;
  else if (agg.kind !== kind) {
    fail(ctx, `'${name}' is a list over ${kind} but this aggregate already reads a list over ${agg.kind}; use a separate aggregate for each`, { found: `'${name}'` });
  }
  if (!agg.vars.includes(name)) agg.vars.push(name);
  if (!ctx.used.includes(name)) ctx.used.push(name);
  ctx.reads += 1;
  // Inside an aggregate the element scope holds this list's current element as a number.
  return readVariable(name);
}

function buildAggregate(name: string, arg: AnyNode, depth: number, ctx: Context): Built | undefined {
  const outer = ctx.aggregate;
  const agg: { kind: string | null; vars: string[] } = { kind: null, vars: [] };
  ctx.aggregate = agg;
  let built: Built;
  try {
    built = build(arg, depth + 1, ctx);
  } finally {
    ctx.aggregate = outer;
  }
  const kind = agg.kind;
  if (kind === null) {
    if (name === 'max' || name === 'min') return undefined; // max(x) of a plain number: the scalar function
    return fail(ctx, `${name}() needs a list such as countries.delivered or rounds.supply`, { found: describeNode(arg) });
  }
  const isTest = name === 'all' || name === 'any' || name === 'count';
  if (isTest && built.type === 'number') fail(ctx, `${name}() needs a condition on each element`, { expected: `e.g. ${name}(countries.delivered >= 0)`, found: TYPE_NAMES.number });
  if (!isTest && built.type === 'boolean') fail(ctx, `${name}() needs a number for each element, not a condition`, { expected: `e.g. ${name}(countries.delivered)`, found: TYPE_NAMES.boolean });
  const f = built.fn;
  const vars = agg.vars;
  /** The argument's value for each element (all lists read must have the same length). */
  const values = (s: Scope): number[] => {
    const source = (s as TracedScope)[LISTS] ?? s;
    const lists = vars.map((v) => {
      const list = source[v];
      if (!Array.isArray(list)) throw new MissingVariable(v);
      return list as readonly number[];
    });
    const n = (lists[0] as readonly number[]).length;
    lists.forEach((list, k) => {
      if (list.length !== n) throw new DomainFault(`the lists ${vars[0] as string} and ${vars[k] as string} have different lengths (${n} and ${list.length})`);
    });
    // One element scope per element: the outer scope as prototype, the lists' elements as own numbers.
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const el: Record<string, number> = Object.create(s) as Record<string, number>;
      vars.forEach((v, k) => {
        el[v] = (lists[k] as readonly number[])[i] as number;
      });
      out[i] = f(el);
    }
    return out;
  };
  const num = (fn: Closure): Built => ({ fn, type: 'number' });
  const traced = (which: 'all' | 'any'): Closure => (s) => {
    // all(): the elements that are false; any(): those that are true.
    const hits: number[] = [];
    values(s).forEach((v, i) => {
      if ((v !== 0) === (which === 'any')) hits.push(i);
    });
    (s as TracedScope)[TRACE]?.push({ fn: which, kind, indices: hits });
    return (which === 'all' ? hits.length === 0 : hits.length > 0) ? 1 : 0;
  };
  switch (name) {
    case 'all':
    case 'any':
      return { fn: traced(name), type: 'boolean' };
    case 'count':
      return num((s) => values(s).filter((v) => v !== 0).length);
    case 'sum':
      return num((s) => values(s).reduce((t, v) => t + v, 0));
    case 'mean':
      return num((s) => {
        const xs = values(s);
        if (xs.length === 0) throw new DomainFault(`mean() of an empty list of ${kind}`);
        return xs.reduce((t, v) => t + v, 0) / xs.length;
      });
    default: {
      const better = name === 'max' ? larger : smaller;
      return num((s) => {
        const xs = values(s);
        if (xs.length === 0) throw new DomainFault(`${name}() of an empty list of ${kind}`);
        // Same as the scalar max/min: a NaN element makes the result NaN.
        return xs.reduce((r, v) => (Number.isNaN(r) || Number.isNaN(v) ? NaN : better(v, r) ? v : r));
      });
    }
  }
}

function buildOperator(node: AnyNode, depth: number, ctx: Context): Built {
  const fnName = String(node.fn);
  const op = String(node.op);
  const args = nodeList(node.args);
  const isUnary = OPERATORS.unary.includes(fnName);
  const isBinary = OPERATORS.arithmetic.includes(fnName) || OPERATORS.comparison.includes(fnName) || OPERATORS.logic.includes(fnName);
  if (!isUnary && !isBinary) fail(ctx, `the operator '${op}' (${fnName}) is not allowed`, { expected: '+ - * / ^ mod, comparisons, and/or/not/xor, a ? b : c', found: `'${op}'` });
  if ((isUnary && args.length !== 1) || (isBinary && args.length < 2)) fail(ctx, `malformed use of '${op}'`);
  const built = args.map((a) => build(a, depth + 1, ctx));
  const fns = built.map((b) => b.fn);
  if (isUnary) {
    const a = fns[0] as Closure;
    switch (fnName) {
      case 'unaryMinus':
        return { fn: (s) => -a(s), type: 'number' };
      case 'unaryPlus':
        return { fn: a, type: 'number' };
      default:
        return { fn: (s) => (a(s) ? 0 : 1), type: 'boolean' };
    }
  }
  // Binary operators (mathjs's parser only makes binary ones; fold left if more arguments ever appear).
  const binary = binaryClosure(fnName);
  let acc = fns[0] as Closure;
  for (let i = 1; i < fns.length; i++) acc = binary(acc, fns[i] as Closure);
  const type: StaticType = OPERATORS.arithmetic.includes(fnName) ? 'number' : 'boolean';
  return { fn: acc, type };
}

function binaryClosure(fnName: string): (a: Closure, b: Closure) => Closure {
  switch (fnName) {
    case 'add':
      return (a, b) => (s) => a(s) + b(s);
    case 'subtract':
      return (a, b) => (s) => a(s) - b(s);
    case 'multiply':
      return (a, b) => (s) => a(s) * b(s);
    case 'divide':
      return (a, b) => (s) => a(s) / b(s);
    case 'pow':
      return (a, b) => (s) => pow(a(s), b(s));
    case 'mod':
      return (a, b) => {
        const mod = mathjs().mod;
        return (s) => delegated('mod', mod, a(s), b(s));
      };
    case 'equal':
      return (a, b) => (s) => (nearlyEqual(a(s), b(s)) ? 1 : 0);
    case 'unequal':
      return (a, b) => (s) => (nearlyEqual(a(s), b(s)) ? 0 : 1);
    case 'larger':
      return (a, b) => (s) => (larger(a(s), b(s)) ? 1 : 0);
    case 'smaller':
      return (a, b) => (s) => (smaller(a(s), b(s)) ? 1 : 0);
    case 'largerEq':
      return (a, b) => (s) => {
        const x = a(s);
        const y = b(s);
        return x >= y || nearlyEqual(x, y) ? 1 : 0;
      };
    case 'smallerEq':
      return (a, b) => (s) => {
        const x = a(s);
        const y = b(s);
        return x <= y || nearlyEqual(x, y) ? 1 : 0;
      };
    // and/or are not short-circuited, like mathjs: both sides are always evaluated.
    case 'and':
      return (a, b) => (s) => {
        const x = a(s);
        const y = b(s);
        return x && y ? 1 : 0;
      };
    case 'or':
      return (a, b) => (s) => {
        const x = a(s);
        const y = b(s);
        return x || y ? 1 : 0;
      };
    default: // xor
      return (a, b) => (s) => (!a(s) !== !b(s) ? 1 : 0);
  }
}

const COMPARATORS: Record<string, (x: number, y: number) => boolean> = {
  equal: nearlyEqual,
  unequal: (x, y) => !nearlyEqual(x, y),
  larger,
  smaller,
  largerEq: (x, y) => x >= y || nearlyEqual(x, y),
  smallerEq: (x, y) => x <= y || nearlyEqual(x, y),
};

function buildRelational(node: AnyNode, depth: number, ctx: Context): Built {
  const conditionals = Array.isArray(node.conditionals) ? node.conditionals.map(String) : [];
  const params = nodeList(node.params);
  if (params.length !== conditionals.length + 1 || params.length < 2) fail(ctx, 'malformed comparison');
  const cmps = conditionals.map((c) => {
    const f = Object.prototype.hasOwnProperty.call(COMPARATORS, c) ? COMPARATORS[c] : undefined;
    return f ?? fail(ctx, `the comparison '${c}' is not allowed`);
  });
  const fns = params.map((p) => build(p, depth + 1, ctx).fn);
  const n = fns.length;
  // Like mathjs: operands are evaluated left to right, stopping at the first comparison that fails.
  return {
    fn: (s) => {
      let left = (fns[0] as Closure)(s);
      for (let i = 1; i < n; i++) {
        const right = (fns[i] as Closure)(s);
        if (!(cmps[i - 1] as (x: number, y: number) => boolean)(left, right)) return 0;
        left = right;
      }
      return 1;
    },
    type: 'boolean',
  };
}

function buildFunction(node: AnyNode, depth: number, ctx: Context): Built {
  const callee = asNode(node.fn);
  if (callee.type !== 'SymbolNode') fail(ctx, 'only named functions can be called', { expected: `one of ${listNames(Object.keys(EXPRESSION_FUNCTIONS))}`, found: describeNode(node) });
  const name = String(callee.name);
  if (ctx.lists !== null && EXPRESSION_AGGREGATES.includes(name)) {
    const aggArgs = nodeList(node.args);
    if ((name === 'max' || name === 'min') && aggArgs.length !== 1) {
      // max(a, b, ...) of numbers: the scalar function below.
    } else {
      if (aggArgs.length !== 1) fail(ctx, `${name}() takes 1 argument (a list or a condition on one)`, { found: `${aggArgs.length}` });
      const agg = buildAggregate(name, aggArgs[0] as AnyNode, depth, ctx);
      if (agg !== undefined) return agg;
    }
  }
  const arity = Object.prototype.hasOwnProperty.call(EXPRESSION_FUNCTIONS, name) ? EXPRESSION_FUNCTIONS[name] : undefined;
  if (arity === undefined) {
    const guess = closeTo(name, Object.keys(EXPRESSION_FUNCTIONS));
    return fail(ctx, `the function '${name}' is not allowed${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
      expected: `one of ${listNames(Object.keys(EXPRESSION_FUNCTIONS))}`,
      found: `'${name}'`,
    });
  }
  const args = nodeList(node.args);
  if (args.length < arity.min || args.length > arity.max) {
    const want = arity.min === arity.max ? `${arity.min}` : arity.max >= 64 ? `at least ${arity.min}` : `${arity.min} or ${arity.max}`;
    fail(ctx, `${name}() takes ${want} argument${want === '1' ? '' : 's'}`, { found: `${args.length}` });
  }
  const fns = args.map((a) => build(a, depth + 1, ctx).fn);
  const a = fns[0] as Closure;
  const b = fns[1];
  const num = (fn: Closure): Built => ({ fn, type: 'number' });
  switch (name) {
    case 'abs':
      return num((s) => Math.abs(a(s)));
    case 'exp':
      return num((s) => Math.exp(a(s)));
    case 'sign':
      return num((s) => Math.sign(a(s)));
    case 'sin':
      return num((s) => Math.sin(a(s)));
    case 'cos':
      return num((s) => Math.cos(a(s)));
    case 'tan':
      return num((s) => Math.tan(a(s)));
    case 'sqrt':
      return num((s) => sqrt(a(s)));
    case 'log10':
      return num((s) => log10(a(s)));
    case 'log':
      return b === undefined ? num((s) => log(a(s))) : num((s) => logBase(a(s), b(s)));
    case 'min':
    case 'max':
      return num(extremum(fns, name === 'max' ? larger : smaller));
    default: {
      // round, floor, ceil: delegated to the sandbox's typed functions (mathjs's tolerance-aware rounding).
      const m = mathjs();
      const f = name === 'round' ? m.round : name === 'floor' ? m.floor : m.ceil;
      if (b === undefined) return num((s) => delegated(name, f, a(s)));
      return num((s) => {
        const x = a(s);
        const n = b(s);
        if (!Number.isInteger(n) || n < 0 || n > 15) throw new DomainFault(`${name}(x, n) needs n to be a whole number from 0 to 15; got ${n}`);
        return delegated(name, f, x, n);
      });
    }
  }
}

function extremum(fns: readonly Closure[], better: (x: number, y: number) => boolean): Closure {
  // Same as mathjs: a NaN argument makes the result NaN; otherwise the first value no other beats.
  return (s) => {
    let r = (fns[0] as Closure)(s);
    for (let i = 1; i < fns.length; i++) {
      const v = (fns[i] as Closure)(s);
      if (Number.isNaN(v)) r = v;
      else if (better(v, r)) r = v;
    }
    return r;
  };
}

function isInteger(v: number): boolean {
  return Number.isFinite(v) && v === Math.round(v);
}

function pow(x: number, y: number): number {
  if (isInteger(y) || x >= 0) {
    if ((x * x < 1 && y === Infinity) || (x * x > 1 && y === -Infinity)) return 0;
    return Math.pow(x, y);
  }
  if ((x * x < 1 && y === Infinity) || (x * x > 1 && y === -Infinity)) return 0;
  throw new DomainFault(`${x} ^ ${y} has no real value`);
}

function sqrt(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return Math.sqrt(x);
  throw new DomainFault(`sqrt(${x}) has no real value`);
}

function log(x: number): number {
  if (x >= 0) return Math.log(x);
  throw new DomainFault(`log(${x}) has no real value`);
}

function logBase(x: number, base: number): number {
  if (x >= 0 && base >= 0) return Math.log(x) / Math.log(base);
  throw new DomainFault(`log(${x}, ${base}) has no real value`);
}

function log10(x: number): number {
  if (x >= 0) return Math.log10(x);
  throw new DomainFault(`log10(${x}) has no real value`);
}

function delegated(name: string, f: NumFn, ...args: number[]): number {
  let r: unknown;
  try {
    r = f(...args);
  } catch {
    throw new DomainFault(`${name}(${args.join(', ')}) failed`);
  }
  if (typeof r !== 'number') throw new DomainFault(`${name}(${args.join(', ')}) has no real value`);
  return r;
}

function precheck(source: unknown, where: ExpressionPlace): string {
  if (typeof source !== 'string') {
    throw new InputError({ ...where, message: 'an expression must be text', expected: 'a string such as "0.5 * gdp"', found: describeValue(source) });
  }
  if (source.length > EXPRESSION_LIMITS.maxLength) {
    throw new InputError({
      ...where,
      message: `expression too long`,
      expected: `at most ${EXPRESSION_LIMITS.maxLength} characters`,
      found: `${source.length} characters`,
    });
  }
  const text = source.trim();
  if (text === '') throw new InputError({ ...where, message: 'empty expression', expected: 'an expression such as "0.5 * gdp"', found: describeValue(source) });
  let nesting = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    const printable = (c >= 0x20 && c <= 0x7e) || c === 0x09 || c === 0x0a || c === 0x0d;
    if (!printable) {
      const ch = String.fromCodePoint(source.codePointAt(i) ?? c);
      throw problem(where, source, `character ${i + 1} is not plain ASCII`, { expected: 'letters a-z, digits, spaces and + - * / ^ ( ) < > = ! ? : , .', found: codePointLabel(ch) });
    }
    if (c === 0x28 || c === 0x5b || c === 0x7b) {
      nesting += 1;
      if (nesting > EXPRESSION_LIMITS.maxBrackets) throw problem(where, source, `too deeply nested (more than ${EXPRESSION_LIMITS.maxBrackets} levels of brackets)`);
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      nesting = Math.max(0, nesting - 1);
    }
  }
  return text;
}

function parseSafely(text: string, source: string, where: ExpressionPlace): AnyNode {
  try {
    return asNode(mathjs().parse(text));
  } catch (e) {
    if (e instanceof SyntaxError) {
      const at = (e as SyntaxError & { char?: unknown }).char;
      const msg = e.message.replace(/\s*\(char \d+\)\s*$/, '');
      return fail0(where, source, `syntax error: ${msg}${typeof at === 'number' ? ` at character ${at + 1}` : ''}`);
    }
    if (e instanceof RangeError) return fail0(where, source, 'too complex to parse');
    return fail0(where, source, `cannot parse: ${e instanceof Error ? e.message : 'unknown error'}`);
  }
}

function fail0(where: ExpressionPlace, source: string, message: string): never {
  throw problem(where, source, message);
}

interface Checked {
  readonly text: string;
  readonly root: AnyNode;
  readonly built: Built;
  readonly used: readonly string[];
}

function check(source: string, where: ExpressionPlace, declared: ReadonlySet<string> | null, type: ExpressionType, lists?: Readonly<Record<string, string>>): Checked {
  const text = precheck(source, where);
  const root = parseSafely(text, source, where);
  const ctx: Context = { where, source, declared, used: [], nodes: 0, reads: 0, lists: lists === undefined ? null : new Map(Object.entries(lists)), aggregate: null };
  let built: Built;
  try {
    built = build(root, 0, ctx);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof RangeError) fail(ctx, 'too complex');
    throw e;
  }
  if (type === 'boolean' && built.type !== 'boolean') {
    fail(ctx, 'the result must be a condition', { expected: 'a true/false condition such as "gdp > 100" or "tier == 1 and enforcement >= 0.5"', found: TYPE_NAMES[built.type] });
  }
  if (type === 'number' && built.type !== 'number') {
    fail(ctx, 'the result must be a number, not a condition', { expected: 'a number expression (write "cond ? 1 : 0" for an indicator)', found: TYPE_NAMES[built.type] });
  }
  return { text, root, built, used: ctx.used };
}

/** Compiles an untrusted expression once. Throws InputError (naming `opts.where`) for anything not allowed. */
export function compileExpression(source: string, opts: CompileOptions): CompiledExpression {
  const declared = new Set([...opts.variables, ...Object.keys(opts.lists ?? {})]);
  const { text, built, used } = check(source, opts.where, declared, opts.type, opts.lists);
  const where = opts.where;
  const fn = built.fn;
  const usedVars = Object.freeze([...used]);
  const hasLists = opts.lists !== undefined;

  const report = (scope: Scope, message: string, found: string): InputError => {
    const values = usedVars.map((v) => `${v}=${describeValue(scope[v])}`).join(', ');
    return problem(where, source, `${message}${values ? ` with ${values}` : ''}`, { expected: 'a finite number', found });
  };

  const run = (scope: Scope, trace?: AggregateTrace[]): number => {
    let r: number;
    let root: TracedScope = scope;
    if (hasLists || trace !== undefined) {
      // Aggregates find their lists through LISTS even where an element scope shadows a list's name.
      const wrapped = Object.create(scope) as Record<symbol, unknown>;
      wrapped[LISTS] = scope;
      if (trace !== undefined) wrapped[TRACE] = trace;
      root = wrapped as TracedScope;
    }
    try {
      r = fn(root);
    } catch (e) {
      if (e instanceof DomainFault) throw report(scope, e.message, 'no real value');
      if (e instanceof MissingVariable) throw new Error(`internal: expression ${JSON.stringify(source)} needs variable '${e.message}' but the scope has no number for it`);
      throw e;
    }
    if (r - r !== 0) throw report(scope, `gave ${String(r)}`, String(r)); // NaN or +-Infinity
    return r;
  };
  const evaluate = (scope: Scope): number => run(scope);
  const compiled: CompiledExpression = Object.freeze({
    source,
    type: opts.type,
    variables: usedVars,
    where,
    evaluate,
    test: (scope: Scope) => evaluate(scope) !== 0,
    explain: (scope: Scope) => {
      const aggregates: AggregateTrace[] = [];
      return { value: run(scope, aggregates), aggregates };
    },
  });
  validated.set(compiled, text);
  return compiled;
}

/**
 * Checks an expression without knowing its variables: everything compileExpression checks except that free
 * symbols may be any name (not a function, not reserved). Returns the names used. For early, well-located errors
 * at load time when the variables are only known to the simulator.
 */
export function checkExpression(source: string, opts: { where: ExpressionPlace; type: ExpressionType }): readonly string[] {
  return check(source, opts.where, null, opts.type).used;
}

/** True if `name` can be used as a variable in expressions (not a parser word, function, constant or reserved). */
export function isUsableVariableName(name: string): boolean {
  return (
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
    !PARSER_WORDS.has(name) &&
    !Object.prototype.hasOwnProperty.call(EXPRESSION_FUNCTIONS, name) &&
    !Object.prototype.hasOwnProperty.call(EXPRESSION_CONSTANTS, name) &&
    !(name in Object.prototype) &&
    !name.startsWith('__')
  );
}

/** Source text of each compiled expression, as validated (only these ever reach mathjs's compile). */
const validated = new WeakMap<CompiledExpression, string>();

/**
 * Reference evaluation with the sandboxed mathjs itself: the validated text compiled by the captured `compile`,
 * evaluated with a fresh Map scope. Slow; for tests and cross-checks only. Returns mathjs's raw result (number,
 * boolean, Complex...).
 */
export function evaluateWithMathjs(expr: CompiledExpression, scope: Readonly<Record<string, number>>): unknown {
  const text = validated.get(expr);
  if (text === undefined) throw new Error('not a compiled expression');
  const map = new Map<string, number>();
  for (const v of expr.variables) {
    const value = scope[v];
    if (typeof value === 'number') map.set(v, value);
  }
  return mathjs().compile(text).evaluate(map);
}
