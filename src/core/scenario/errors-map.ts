/**
 * zod issues -> InputProblems a person can act on: a readable path (`countries[IND].patience`), the file, line
 * and column the value came from (through `extends` and `--set`), what was expected (read from the schema:
 * "a number between 0 and 1", "one of 'complete', 'private'") and what was found; unknown keys get a
 * "did you mean ...?". Never a zod dump.
 */
import type { z } from 'zod';
import { describeValue } from '../errors.js';
import type { InputProblem } from '../errors.js';
import { levenshtein, suggest } from '../suggest.js';
import {
  allowedKeys,
  branchIndexFor,
  defOf,
  describeExpected,
  documentValueAt,
  schemaAt,
  unwrap,
} from './introspect.js';
import type { PathItem, Schema } from './introspect.js';
import { SOURCE_LIMITS, walk } from './source.js';
import type { Origin, SNode } from './source.js';

type Issue = z.core.$ZodIssue;

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A readable path: `countries[IND].patience` when the list element has a unique string id, else
 * `countries[3].patience`; keys that are not plain names are quoted: `provenance["countries.*.gdp"]`.
 */
export function renderPath(path: readonly PathItem[], document: unknown): string {
  let out = '';
  let node: unknown = document;
  for (const p of path) {
    if (typeof p === 'number') {
      let label = String(p);
      if (Array.isArray(node)) {
        const el: unknown = node[p];
        const id = typeof el === 'object' && el !== null && !Array.isArray(el) ? (el as Record<string, unknown>).id : undefined;
        if (typeof id === 'string' && IDENT.test(id)) {
          const same = node.filter((x: unknown) => typeof x === 'object' && x !== null && (x as Record<string, unknown>).id === id).length;
          if (same === 1) label = id;
        }
      }
      out += `[${label}]`;
      node = Array.isArray(node) ? node[p] : undefined;
    } else {
      out += IDENT.test(p) ? (out === '' ? p : `.${p}`) : `[${JSON.stringify(p)}]`;
      node = node !== null && typeof node === 'object' && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, p) ? (node as Record<string, unknown>)[p] : undefined;
    }
  }
  return out;
}

/** The place of an origin, for a problem: file/line/column, or a note for values from --set. */
export function placeOf(origin: Origin | undefined): { file?: string; line?: number; column?: number; note?: string } {
  if (origin === undefined) return {};
  if (origin.set !== undefined) return { note: ` (the value comes from --set ${origin.set})` };
  return {
    file: origin.file,
    ...(origin.line !== undefined ? { line: origin.line } : {}),
    ...(origin.column !== undefined ? { column: origin.column } : {}),
  };
}

export interface MapContext {
  readonly document: unknown;
  readonly tree: SNode;
  /** The schema the document was validated against (the scenario schema unless told). */
  readonly schema?: Schema;
}

function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string' && value.length > 40) return `${describeValue(value)} (${value.length} characters)`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return describeValue(value);
}

function problem(ctx: MapContext, path: readonly PathItem[], origin: Origin | undefined, message: string, extra: { expected?: string; found?: string }): InputProblem {
  const place = placeOf(origin);
  const p: InputProblem = {
    ...(place.file !== undefined ? { file: place.file } : {}),
    ...(place.line !== undefined ? { line: place.line } : {}),
    ...(place.column !== undefined ? { column: place.column } : {}),
    path: renderPath(path, ctx.document) || '(top level)',
    message: `${message}${place.note ?? ''}`,
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.found !== undefined ? { found: extra.found } : {}),
  };
  return p;
}

function valueOrigin(ctx: MapContext, path: readonly PathItem[]): Origin {
  return walk(ctx.tree, path).node.origin;
}

function keyOrigin(ctx: MapContext, path: readonly PathItem[], key: string): Origin {
  const w = walk(ctx.tree, path);
  if (w.exact && w.node.kind === 'map') {
    const e = w.node.entries.get(key);
    if (e) return e.keyOrigin;
  }
  return w.node.origin;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

function expectedAt(ctx: MapContext, path: readonly PathItem[]): string | undefined {
  const s = schemaAt(path, ctx.document, ctx.schema);
  return s === undefined ? undefined : describeExpected(s);
}

/** One zod issue -> problems (an unknown-keys issue gives one problem per key; a union may be unpacked). */
function mapIssue(issue: Issue, prefix: readonly PathItem[], ctx: MapContext, out: InputProblem[], depth: number): void {
  const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number')];
  const value = documentValueAt(ctx.document, path);
  const last = path[path.length - 1];
  switch (issue.code) {
    case 'invalid_type': {
      const expected = expectedAt(ctx, path) ?? issue.expected;
      if (value === undefined && typeof last === 'string') {
        out.push(problem(ctx, path, valueOrigin(ctx, path), `missing required field '${last}'`, { expected, found: 'nothing' }));
      } else {
        out.push(problem(ctx, path, valueOrigin(ctx, path), 'wrong type of value', { expected, found: describeFound(value) }));
      }
      return;
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const what =
        issue.origin === 'array' ? (small ? 'too few items' : 'too many items') : issue.origin === 'string' ? (small ? 'too short' : 'too long') : small ? 'too small' : 'too large';
      const found = Array.isArray(value) ? `${value.length} item${value.length === 1 ? '' : 's'}` : typeof value === 'string' ? `${value.length} characters` : describeFound(value);
      out.push(problem(ctx, path, valueOrigin(ctx, path), what, { expected: expectedAt(ctx, path) ?? issue.message, found }));
      return;
    }
    case 'invalid_format':
    case 'not_multiple_of':
      out.push(problem(ctx, path, valueOrigin(ctx, path), 'invalid value', { expected: expectedAt(ctx, path) ?? issue.message, found: describeFound(value) }));
      return;
    case 'invalid_value': {
      const guess = typeof value === 'string' ? suggest(value, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
      out.push(
        problem(ctx, path, valueOrigin(ctx, path), `not an allowed value${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
          expected: issue.values.length === 1 ? quoteList(issue.values) : `one of ${quoteList(issue.values)}`,
          found: describeFound(value),
        }),
      );
      return;
    }
    case 'unrecognized_keys': {
      const s = schemaAt(path, ctx.document, ctx.schema);
      const parent = documentValueAt(ctx.document, path);
      const allowed = s !== undefined ? (allowedKeys(s, parent) ?? []) : [];
      for (const key of issue.keys) {
        const guess = closest(key, allowed);
        out.push(
          problem(ctx, [...path, key], keyOrigin(ctx, path, key), `unknown key '${key}'${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
            expected: allowed.length > 0 ? `one of the keys ${allowed.join(', ')}` : 'no other keys',
            found: `'${key}'`,
          }),
        );
      }
      return;
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        mapDiscriminator(issue, path, ctx, out);
        return;
      }
      if (value === undefined && typeof last === 'string') {
        out.push(problem(ctx, path, valueOrigin(ctx, path), `missing required field '${last}'`, { expected: expectedAt(ctx, path) ?? 'a value', found: 'nothing' }));
        return;
      }
      const s = schemaAt(path, ctx.document, ctx.schema);
      const errors = 'errors' in issue ? issue.errors : [];
      if (s !== undefined && depth < 8) {
        const core = unwrap(s).core;
        const i = defOf(core).type === 'union' ? branchIndexFor(core, value) : -1;
        const branch = i >= 0 ? errors[i] : undefined;
        // Unpack the branch that fits the value's type (an object for an object form, a string for a name...).
        if (branch !== undefined && branch.length > 0 && !branch.every((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value'))) {
          for (const b of branch) mapIssue(b, path, ctx, out, depth + 1);
          return;
        }
      }
      out.push(problem(ctx, path, valueOrigin(ctx, path), 'not an allowed value', { expected: expectedAt(ctx, path) ?? 'a valid value', found: describeFound(value) }));
      return;
    }
    case 'invalid_key': {
      const key = typeof last === 'string' ? last : String(last);
      const recordSchema = schemaAt(path.slice(0, -1), ctx.document, ctx.schema);
      const keyType = recordSchema !== undefined ? defOf(unwrap(recordSchema).core).keyType : undefined;
      out.push(
        problem(ctx, path, keyOrigin(ctx, path.slice(0, -1), key), `invalid key '${key}'`, {
          expected: keyType !== undefined ? describeExpected(keyType) : 'a valid key',
          found: `'${key}'`,
        }),
      );
      return;
    }
    default: {
      out.push(problem(ctx, path, valueOrigin(ctx, path), issue.message, { found: describeFound(value) }));
    }
  }
}

function closest(word: string, options: readonly string[]): string | undefined {
  const g = suggest(word, options);
  if (g === undefined) return undefined;
  const d = levenshtein(word.toLowerCase(), g.toLowerCase());
  return d <= Math.max(2, Math.floor(word.length / 3)) && d < word.length ? g : undefined;
}

function mapDiscriminator(issue: Issue & { code: 'invalid_union' }, path: readonly PathItem[], ctx: MapContext, out: InputProblem[]): void {
  const disc = issue.discriminator ?? 'kind';
  const key = path[path.length - 1] === disc ? path : [...path, disc];
  const options = ('options' in issue && Array.isArray(issue.options) ? issue.options : []).filter((o): o is string | number | boolean => o !== null && o !== undefined);
  const value = documentValueAt(ctx.document, key);
  const expected = `one of ${quoteList(options)}`;
  if (value === undefined) {
    out.push(problem(ctx, key, valueOrigin(ctx, key), `missing '${disc}': say which kind of scenario this is`, { expected, found: 'nothing' }));
    return;
  }
  const guess = typeof value === 'string' ? closest(value, options.filter((o): o is string => typeof o === 'string')) : undefined;
  out.push(
    problem(ctx, key, valueOrigin(ctx, key), `unknown ${disc} ${describeValue(value)}${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
      expected,
      found: describeFound(value),
    }),
  );
}

/** Sorts problems by file (in order of first appearance), line and column; problems without a line go last. */
export function sortProblems(problems: readonly InputProblem[]): InputProblem[] {
  const files = new Map<string, number>();
  for (const p of problems) if (p.file !== undefined && !files.has(p.file)) files.set(p.file, files.size);
  const rank = (p: InputProblem): number => (p.file === undefined ? 1e9 : (files.get(p.file) ?? 0));
  return [...problems].sort(
    (a, b) => rank(a) - rank(b) || (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/** Caps a problem list (the CLI should not print hundreds of lines): the first `max - 1` and a summary. */
export function capProblems(problems: readonly InputProblem[], max = SOURCE_LIMITS.maxProblems): InputProblem[] {
  if (problems.length <= max) return [...problems];
  const shown = problems.slice(0, max - 1);
  return [...shown, { message: `... and ${problems.length - shown.length} more problems` }];
}

/** All zod issues of a failed validation -> sorted, de-duplicated, capped problems. */
export function issuesToProblems(issues: readonly Issue[], ctx: MapContext): InputProblem[] {
  const out: InputProblem[] = [];
  for (const issue of issues) mapIssue(issue, [], ctx, out, 0);
  const seen = new Set<string>();
  const unique = out.filter((p) => {
    const k = `${p.file}|${p.line}|${p.column}|${p.path}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return capProblems(sortProblems(unique));
}
