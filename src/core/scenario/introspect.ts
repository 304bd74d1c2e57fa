/**
 * Reading the zod scenario schema (the single source of truth) for error messages and generated docs: the
 * schema at a document path, the keys an object allows, and a human description of what a field expects.
 * Uses zod v4's `_zod.def` (the documented way to introspect schemas) and the global metadata registry.
 */
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

export type Schema = z.core.$ZodType;
export type PathItem = string | number;

interface Check {
  readonly check?: string;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly error?: unknown;
}

/** The parts of a zod definition we read. */
export interface Def {
  readonly type: string;
  readonly shape?: Record<string, Schema>;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly innerType?: Schema;
  readonly defaultValue?: unknown;
  readonly in?: Schema;
  readonly out?: Schema;
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, string | number>;
  readonly items?: readonly Schema[];
  readonly rest?: Schema | null;
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly checks?: readonly { readonly _zod: { readonly def: Check } }[];
}

export function defOf(s: Schema): Def {
  return s._zod.def as unknown as Def;
}

export interface Meta {
  readonly unit?: string;
  readonly description?: string;
}

export function metaOf(s: Schema): Meta {
  const m = z.globalRegistry.get(s) as Record<string, unknown> | undefined;
  const out: { unit?: string; description?: string } = {};
  if (typeof m?.unit === 'string') out.unit = m.unit;
  if (typeof m?.description === 'string') out.description = m.description;
  return out;
}

export interface Unwrapped {
  /** The schema with default/optional/nullable/pipe wrappers peeled off. */
  readonly core: Schema;
  readonly optional: boolean;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue?: unknown;
  /** Metadata found on the wrappers or the core (outermost wins). */
  readonly meta: Meta;
}

export function unwrap(s: Schema): Unwrapped {
  let cur = s;
  let optional = false;
  let nullable = false;
  let hasDefault = false;
  let defaultValue: unknown;
  let unit: string | undefined;
  let description: string | undefined;
  for (let i = 0; i < 20; i++) {
    const m = metaOf(cur);
    unit ??= m.unit;
    description ??= m.description;
    const d = defOf(cur);
    if (d.type === 'default' || d.type === 'prefault') {
      if (!hasDefault) {
        hasDefault = true;
        defaultValue = d.defaultValue;
      }
      optional = true;
      cur = d.innerType as Schema;
    } else if (d.type === 'optional') {
      optional = true;
      cur = d.innerType as Schema;
    } else if (d.type === 'nullable') {
      nullable = true;
      cur = d.innerType as Schema;
    } else if (d.type === 'readonly' || d.type === 'catch' || d.type === 'nonoptional') {
      cur = d.innerType as Schema;
    } else if (d.type === 'pipe' && d.in !== undefined) {
      cur = d.in;
    } else {
      break;
    }
  }
  const meta: { unit?: string; description?: string } = {};
  if (unit !== undefined) meta.unit = unit;
  if (description !== undefined) meta.description = description;
  return { core: cur, optional, nullable, hasDefault, ...(hasDefault ? { defaultValue } : {}), meta };
}

/** What kind of JSON value a schema accepts at its top (for picking a union branch). */
function accepts(s: Schema, value: unknown): boolean {
  const { core, nullable } = unwrap(s);
  if (value === null) return nullable || defOf(core).type === 'null';
  const d = defOf(core);
  switch (d.type) {
    case 'object':
    case 'record':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
    case 'tuple':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'literal':
      return (d.values ?? []).some((v) => typeof v === typeof value);
    case 'enum':
      return Object.values(d.entries ?? {}).some((v) => typeof v === typeof value);
    case 'union':
      return (d.options ?? []).some((o) => accepts(o, value));
    default:
      return true;
  }
}

/** The union branch that fits `value` (by discriminator or by value type), if any. */
export function branchFor(union: Schema, value: unknown): Schema | undefined {
  const d = defOf(union);
  const options = d.options ?? [];
  if (d.discriminator !== undefined) {
    const tag = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[d.discriminator] : undefined;
    return options.find((o) => {
      const shape = defOf(unwrap(o).core).shape;
      const field = shape?.[d.discriminator as string];
      return field !== undefined && (defOf(unwrap(field).core).values ?? []).includes(tag);
    });
  }
  return options.find((o) => accepts(o, value));
}

/** Index of the union branch that fits `value`, or -1. */
export function branchIndexFor(union: Schema, value: unknown): number {
  const b = branchFor(union, value);
  return b === undefined ? -1 : (defOf(union).options ?? []).indexOf(b);
}

/** The schema of the child `key` of a value of schema `s` (whose value is `value`), if the schema defines one. */
export function childSchema(s: Schema, key: PathItem, value: unknown): Schema | undefined {
  let { core } = unwrap(s);
  if (defOf(core).type === 'union') {
    const b = branchFor(core, value);
    if (b === undefined) return undefined;
    core = unwrap(b).core;
  }
  const d = defOf(core);
  switch (d.type) {
    case 'object':
      return typeof key === 'string' && d.shape !== undefined && Object.prototype.hasOwnProperty.call(d.shape, key) ? d.shape[key] : undefined;
    case 'record':
      return d.valueType;
    case 'array':
      return typeof key === 'number' ? d.element : undefined;
    case 'tuple':
      return typeof key === 'number' ? (d.items?.[key] ?? d.rest ?? undefined) : undefined;
    default:
      return undefined;
  }
}

function valueAt(doc: unknown, key: PathItem): unknown {
  if (doc === null || typeof doc !== 'object') return undefined;
  if (Array.isArray(doc)) return typeof key === 'number' ? doc[key] : undefined;
  return Object.prototype.hasOwnProperty.call(doc, key) ? (doc as Record<string, unknown>)[String(key)] : undefined;
}

/** The schema at `path` in a scenario document (union branches chosen by the document's values). */
export function schemaAt(path: readonly PathItem[], doc: unknown, root: Schema = ScenarioSchema): Schema | undefined {
  let s: Schema | undefined = root;
  let v = doc;
  for (const key of path) {
    if (s === undefined) return undefined;
    s = childSchema(s, key, v);
    v = valueAt(v, key);
  }
  return s;
}

/** The value at `path` in a plain document. */
export function documentValueAt(doc: unknown, path: readonly PathItem[]): unknown {
  let v = doc;
  for (const key of path) v = valueAt(v, key);
  return v;
}

/** Keys an object schema allows (after unwrapping; for a union, of the branch that fits `value`). */
export function allowedKeys(s: Schema, value?: unknown): string[] | undefined {
  let { core } = unwrap(s);
  if (defOf(core).type === 'union') {
    const b = branchFor(core, value);
    if (b === undefined) return undefined;
    core = unwrap(b).core;
  }
  const d = defOf(core);
  return d.type === 'object' && d.shape !== undefined ? Object.keys(d.shape) : undefined;
}

/** True if the schema (unwrapped) is a record: any key is allowed. */
export function isRecord(s: Schema, value?: unknown): boolean {
  let { core } = unwrap(s);
  if (defOf(core).type === 'union') {
    const b = branchFor(core, value);
    if (b === undefined) return false;
    core = unwrap(b).core;
  }
  return defOf(core).type === 'record';
}

// ---------------------------------------------------------------------------------------------------------
// Descriptions
// ---------------------------------------------------------------------------------------------------------

function checksOf(s: Schema): Check[] {
  return (defOf(s).checks ?? []).map((c) => c._zod.def);
}

export interface NumberBounds {
  readonly integer: boolean;
  readonly min?: number;
  readonly minInclusive?: boolean;
  readonly max?: number;
  readonly maxInclusive?: boolean;
}

export function numberBounds(s: Schema): NumberBounds {
  let integer = false;
  const b: { min?: number; minInclusive?: boolean; max?: number; maxInclusive?: boolean } = {};
  for (const c of checksOf(s)) {
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32')) integer = true;
    if (c.check === 'greater_than' && typeof c.value === 'number') {
      b.min = c.value;
      b.minInclusive = c.inclusive === true;
    }
    if (c.check === 'less_than' && typeof c.value === 'number') {
      b.max = c.value;
      b.maxInclusive = c.inclusive === true;
    }
  }
  // A safe integer check implies bounds of +-(2^53 - 1): not worth printing.
  if (b.max === Number.MAX_SAFE_INTEGER) delete b.max;
  if (b.min === Number.MIN_SAFE_INTEGER) delete b.min;
  return { integer, ...b };
}

function lengthBounds(s: Schema): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  for (const c of checksOf(s)) {
    if (c.check === 'min_length' && typeof c.minimum === 'number') out.min = c.minimum;
    if (c.check === 'max_length' && typeof c.maximum === 'number') out.max = c.maximum;
    if (c.check === 'length_equals' && typeof (c as { length?: unknown }).length === 'number') {
      out.min = (c as { length: number }).length;
      out.max = out.min;
    }
  }
  return out;
}

/** The custom message or pattern of a regex check, if any. */
export function patternOf(s: Schema): { pattern: RegExp; message?: string } | undefined {
  for (const c of checksOf(s)) {
    if (c.check === 'string_format' && c.pattern instanceof RegExp) {
      let message: string | undefined;
      if (typeof c.error === 'function') {
        try {
          const m: unknown = (c.error as (iss: unknown) => unknown)({ code: 'invalid_format', input: '' });
          if (typeof m === 'string') message = m;
          else if (typeof m === 'object' && m !== null && typeof (m as { message?: unknown }).message === 'string') message = (m as { message: string }).message;
        } catch {
          message = undefined;
        }
      }
      return { pattern: c.pattern, ...(message !== undefined ? { message } : {}) };
    }
  }
  return undefined;
}

const fmt = (n: number): string => (Math.abs(n) >= 1e6 ? n.toExponential() : String(n));

function describeNumber(s: Schema): string {
  const b = numberBounds(s);
  const noun = b.integer ? 'an integer' : 'a number';
  const lo = b.min;
  const hi = b.max;
  if (lo !== undefined && hi !== undefined) {
    if (b.minInclusive && b.maxInclusive) return `${noun} between ${fmt(lo)} and ${fmt(hi)}`;
    return `${noun} ${b.minInclusive ? 'of at least' : 'greater than'} ${fmt(lo)} and ${b.maxInclusive ? 'at most' : 'less than'} ${fmt(hi)}`;
  }
  if (lo !== undefined) return `${noun} ${b.minInclusive ? (lo === 0 ? '>= 0 (not negative)' : `of at least ${fmt(lo)}`) : `greater than ${fmt(lo)}`}`;
  if (hi !== undefined) return `${noun} ${b.maxInclusive ? 'of at most' : 'less than'} ${fmt(hi)}`;
  return noun;
}

function countPhrase(b: { min?: number; max?: number }, unit: string): string {
  if (b.min !== undefined && b.max !== undefined) return b.min === b.max ? `exactly ${b.min} ${unit}` : `${b.min} to ${b.max} ${unit}`;
  if (b.min !== undefined) return `at least ${b.min} ${unit}`;
  if (b.max !== undefined) return `at most ${b.max} ${unit}`;
  return '';
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** A phrase for what a schema expects: "a number between 0 and 1", "one of 'complete', 'private'", ... */
export function describeExpected(s: Schema, depth = 0): string {
  const u = unwrap(s);
  const d = defOf(u.core);
  let text: string;
  switch (d.type) {
    case 'number':
      text = describeNumber(u.core);
      break;
    case 'string': {
      const p = patternOf(u.core);
      const len = countPhrase(lengthBounds(u.core), 'characters');
      if (p !== undefined) text = p.message ?? (u.meta.unit !== undefined ? `a string of the form ${u.meta.unit}` : `a string matching ${String(p.pattern)}`);
      else text = len ? `a string of ${len}` : 'a string';
      break;
    }
    case 'boolean':
      text = 'true or false';
      break;
    case 'null':
      text = 'null';
      break;
    case 'literal':
      text = (d.values ?? []).map(quote).join(' or ');
      break;
    case 'enum':
      text = `one of ${Object.values(d.entries ?? {}).map(quote).join(', ')}`;
      break;
    case 'union': {
      const options = d.options ?? [];
      const literals = options.map((o) => defOf(unwrap(o).core)).filter((od) => od.type === 'literal');
      if (literals.length === options.length) {
        text = `one of ${literals.flatMap((od) => od.values ?? []).map(quote).join(', ')}`;
      } else if (depth > 1) {
        text = 'one of several forms';
      } else {
        const parts = [...new Set(options.map((o) => describeExpected(o, depth + 1)))];
        text = parts.join(', or ');
      }
      break;
    }
    case 'object': {
      const keys = Object.keys(d.shape ?? {});
      const required = keys.filter((k) => !unwrap((d.shape as Record<string, Schema>)[k] as Schema).optional);
      const shown = required.length > 0 ? required : keys;
      text = `a mapping with ${shown.length > 5 ? `${shown.slice(0, 5).join(', ')}, ...` : shown.join(', ')}`;
      break;
    }
    case 'record':
      text = 'a mapping of names to values';
      break;
    case 'array': {
      const len = countPhrase(lengthBounds(u.core), 'items');
      text = len ? `a list of ${len}` : 'a list';
      break;
    }
    case 'tuple':
      text = `a list of exactly ${(d.items ?? []).length} items`;
      break;
    default:
      text = 'a valid value';
  }
  return u.nullable ? `${text}, or null` : text;
}
