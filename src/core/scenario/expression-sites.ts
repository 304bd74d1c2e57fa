/**
 * Where the scenario format holds expressions, read from the schema itself: a field is an expression site when
 * its (unwrapped) schema is `Expression` (zod keeps the definition object when `.meta()` copies a schema, so
 * identity finds every copy). The loader compiles every expression it finds this way, so a field added to the
 * schema as an Expression is checked at load even before it gets a site-specific check; a test lists the
 * sites so that a new one is noticed.
 */
import type { ExpressionType } from '../expr.js';
import { childSchema, defOf, unwrap } from './introspect.js';
import type { PathItem, Schema } from './introspect.js';
import { Expression, ScenarioSchema } from './schema.js';

export interface ExpressionSite {
  /** Keys and list indices of the expression in the document. */
  readonly path: readonly PathItem[];
  readonly source: string;
  readonly type: ExpressionType;
}

const EXPRESSION_DEF = defOf(Expression);

function isExpression(s: Schema): boolean {
  return defOf(unwrap(s).core) === EXPRESSION_DEF;
}

/** A union that takes an expression or some literal words (`invariants.NAME: "off" | expression | {...}`). */
function unionTakesExpression(core: Schema, value: string): boolean {
  const d = defOf(core);
  if (d.type !== 'union') return false;
  const options = d.options ?? [];
  const literal = options.some((o) => (defOf(unwrap(o).core).values ?? []).includes(value));
  return !literal && options.some(isExpression);
}

/** 'boolean' for conditions (eligibility rules, invariants), 'number' otherwise. */
function typeOf(s: Schema, path: readonly PathItem[]): ExpressionType {
  return unwrap(s).meta.unit === 'boolean' || path[0] === 'invariants' ? 'boolean' : 'number';
}

function visit(s: Schema, value: unknown, path: PathItem[], out: ExpressionSite[], depth: number): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    const core = unwrap(s).core;
    if (isExpression(core) || unionTakesExpression(core, value)) out.push({ path, source: value, type: typeOf(s, path) });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries: [PathItem, unknown][] = Array.isArray(value) ? value.map((v: unknown, i): [PathItem, unknown] => [i, v]) : Object.entries(value);
  for (const [key, v] of entries) {
    const child = childSchema(s, key, value);
    if (child !== undefined) visit(child, v, [...path, key], out, depth + 1);
  }
}

/** Every expression in a scenario document (plain values, before or after validation), with its path. */
export function expressionsIn(doc: unknown, root: Schema = ScenarioSchema): ExpressionSite[] {
  const out: ExpressionSite[] = [];
  visit(root, doc, [], out, 0);
  return out;
}

/**
 * The expression sites the schema defines, as patterns: `parties[].utility`, `regimes.*.tier1.capExpr`
 * (`[]` any list element, `*` any key of a record).
 */
export function expressionSitePatterns(root: Schema = ScenarioSchema): string[] {
  const out = new Set<string>();
  const walk = (s: Schema, path: string, depth: number): void => {
    if (depth > 32) return;
    const core = unwrap(s).core;
    if (isExpression(core)) {
      out.add(path);
      return;
    }
    const d = defOf(core);
    const join = (key: string): string => (path === '' ? key : `${path}.${key}`);
    switch (d.type) {
      case 'object':
        for (const [k, v] of Object.entries(d.shape ?? {})) walk(v, join(k), depth + 1);
        break;
      case 'record':
        if (d.valueType !== undefined) walk(d.valueType, join('*'), depth + 1);
        break;
      case 'array':
        if (d.element !== undefined) walk(d.element, `${path}[]`, depth + 1);
        break;
      case 'tuple':
        (d.items ?? []).forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
        break;
      case 'union':
        for (const o of d.options ?? []) walk(o, path, depth + 1);
        break;
      default:
        break;
    }
  };
  walk(root, '', 0);
  return [...out].sort();
}
