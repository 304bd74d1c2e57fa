/**
 * Untrusted scenario text -> a source tree: plain values (maps, lists, scalars) where every node remembers the
 * file, line and column it came from. Merging (extends), --set and validation errors all work on this tree.
 *
 * Safety (the text is untrusted):
 * - at most 2 MB; no NUL or other control characters (binary garbage is refused, not parsed);
 * - YAML 1.2 core schema only (JSON schema for .json files): unknown tags such as !!js/function or !foo are
 *   errors, never strings or objects;
 * - duplicate keys, multi-document streams, non-mapping top levels are errors;
 * - aliases: at most 100 dereferences, at most 100 000 nodes in all (a "billion laughs" bomb is refused), an
 *   alias to its own ancestor is refused;
 * - nesting depth at most 64;
 * - keys __proto__, constructor and prototype, the names of Object.prototype's properties (toString, valueOf,
 *   hasOwnProperty...) and any key starting with __ are refused, and maps are JS Maps, so nothing can pollute a
 *   prototype, and no lookup by a key the user wrote can find an inherited property; `toPlain` defines
 *   properties as data properties.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InputError, describeValue } from '../errors.js';
import type { InputProblem } from '../errors.js';

export const SOURCE_LIMITS = Object.freeze({
  maxBytes: 2 * 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
  maxNodes: 100_000,
  maxProblems: 20,
});

/** Keys that could reach Object.prototype if a consumer copied them carelessly: refused everywhere. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Names that are refused as keys and ids: those above, every property name of Object.prototype (a lookup
 * `record[name]` on an ordinary object would find `toString` or `valueOf` without the user defining it), and
 * anything starting with __.
 */
export function isReservedName(name: string): boolean {
  return RESERVED_KEYS.has(name) || name.startsWith('__') || Object.prototype.hasOwnProperty.call(Object.prototype, name);
}

/** Where a node came from. `file` is the file label used in messages, or "--set" for values given by flags. */
export interface Origin {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** The --set argument the value came from. */
  readonly set?: string;
}

export type Scalar = string | number | boolean | null;

export interface SMap {
  readonly kind: 'map';
  readonly entries: Map<string, SEntry>;
  readonly origin: Origin;
  /**
   * Set on a list element an `extends` file added under an id its base does not have (lists are matched by
   * id): the base's ids, so that a mistyped id is explained as such rather than as missing fields.
   */
  readonly addedTo?: { readonly baseIds: readonly string[]; readonly baseNames: readonly (string | undefined)[] };
}
export interface SEntry {
  readonly keyOrigin: Origin;
  readonly value: SNode;
}
export interface SSeq {
  readonly kind: 'seq';
  readonly items: SNode[];
  readonly origin: Origin;
}
export interface SScalar {
  readonly kind: 'scalar';
  readonly value: Scalar;
  readonly origin: Origin;
}
export type SNode = SMap | SSeq | SScalar;

export type SourceFormat = 'yaml' | 'json';

export function formatOf(file: string): SourceFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/** Bytes -> text: refuses files that are too big, not UTF-8, or binary. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.length > SOURCE_LIMITS.maxBytes) throw tooBig(file, bytes.length);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError({ file, message: 'not a text file', expected: 'UTF-8 text (YAML or JSON)', found: 'bytes that are not valid UTF-8' });
  }
  return text;
}

function tooBig(file: string, size: number): InputError {
  return new InputError({
    file,
    message: 'file too large',
    expected: `at most ${SOURCE_LIMITS.maxBytes / 1024 / 1024} MB`,
    found: `${(size / 1024 / 1024).toFixed(1)} MB`,
  });
}

/** Line and column (1-based) of a character offset. */
function lineColOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function checkCharacters(text: string, file: string): void {
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/.exec(text);
  if (bad) {
    const cp = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new InputError({
      file,
      ...lineColOf(text, bad.index),
      message: 'not a text file (control character)',
      expected: 'YAML or JSON text',
      found: `U+${cp}`,
    });
  }
}

interface Ctx {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lc: LineCounter;
  aliases: number;
  nodes: number;
  readonly resolving: Set<YamlNode>;
}

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

function originAt(ctx: Ctx, offset: number | undefined): Origin {
  if (offset === undefined) return { file: ctx.file };
  const pos = ctx.lc.linePos(offset);
  return { file: ctx.file, line: pos.line, column: pos.col };
}

function fail(ctx: Ctx, offset: number | undefined, message: string, extra: { expected?: string; found?: string; path?: string } = {}): never {
  const p: InputProblem = { ...originAt(ctx, offset), message };
  throw new InputError({
    ...p,
    ...(extra.path !== undefined ? { path: extra.path } : {}),
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.found !== undefined ? { found: extra.found } : {}),
  });
}

function pathText(path: readonly (string | number)[]): string {
  if (path.length > 12) return `${pathText(path.slice(0, 6))}...(${path.length - 12} more)...${pathText(path.slice(-6)).replace(/^(?=[A-Za-z_])/, '.')}`;
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

function convert(ctx: Ctx, node: unknown, depth: number, path: (string | number)[], fallbackOffset: number | undefined): SNode {
  if (depth > SOURCE_LIMITS.maxDepth) {
    fail(ctx, offsetOf(node) ?? fallbackOffset, `nested too deeply (more than ${SOURCE_LIMITS.maxDepth} levels)`, { path: pathText(path) });
  }
  ctx.nodes += 1;
  if (ctx.nodes > SOURCE_LIMITS.maxNodes) {
    fail(ctx, offsetOf(node) ?? fallbackOffset, `too many values (more than ${SOURCE_LIMITS.maxNodes}, counting alias expansions)`, { path: pathText(path) });
  }
  if (node === null || node === undefined) return { kind: 'scalar', value: null, origin: originAt(ctx, fallbackOffset) };
  if (isAlias(node)) {
    ctx.aliases += 1;
    if (ctx.aliases > SOURCE_LIMITS.maxAliases) {
      fail(ctx, node.range?.[0], `too many aliases (more than ${SOURCE_LIMITS.maxAliases}); alias bombs are refused`, { path: pathText(path) });
    }
    const target = node.resolve(ctx.doc);
    if (target === undefined) fail(ctx, node.range?.[0], `unknown anchor '*${node.source}'`, { path: pathText(path) });
    if (ctx.resolving.has(target)) fail(ctx, node.range?.[0], `alias '*${node.source}' refers to a value that contains it`, { path: pathText(path) });
    return convert(ctx, target, depth, path, node.range?.[0]);
  }
  const yamlNode = node as YamlNode;
  const tag = (yamlNode as { tag?: string }).tag;
  const start = offsetOf(node);
  if (tag !== undefined && !CORE_TAGS.has(tag)) {
    fail(ctx, start, `unsupported tag '${tag.replace('tag:yaml.org,2002:', '!!')}'`, { path: pathText(path), expected: 'plain YAML values (no tags)' });
  }
  const origin = originAt(ctx, start ?? fallbackOffset);
  if (isScalar(node)) {
    const v: unknown = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return { kind: 'scalar', value: v, origin };
    return fail(ctx, start, 'unsupported value', { path: pathText(path), found: typeof v });
  }
  if (isMap(node)) {
    ctx.resolving.add(yamlNode);
    const entries = new Map<string, SEntry>();
    for (const pair of node.items) {
      if (!isPair(pair)) fail(ctx, start, 'malformed mapping', { path: pathText(path) });
      const keyNode: unknown = isAlias(pair.key) ? pair.key.resolve(ctx.doc) : pair.key;
      const keyOffset = offsetOf(pair.key) ?? start;
      if (!isScalar(keyNode)) {
        fail(ctx, keyOffset, 'keys must be plain names', { path: pathText(path), expected: 'a name', found: keyNode === null || keyNode === undefined ? 'an empty key' : 'a list or mapping as a key' });
      }
      const kv: unknown = keyNode.value;
      if (kv !== null && typeof kv !== 'string' && typeof kv !== 'number' && typeof kv !== 'boolean') fail(ctx, keyOffset, 'keys must be plain names', { path: pathText(path) });
      const key = String(kv);
      if (key === '<<' && tagOf(keyNode) === undefined && (isAlias(pair.value) || isMap(pair.value))) {
        fail(ctx, keyOffset, 'YAML merge keys (<<) are not supported', { path: pathText(path), expected: 'extends: ./base.yaml, or the values written out' });
      }
      if (isReservedName(key)) {
        fail(ctx, keyOffset, `the key '${key}' is not allowed`, { path: pathText(path), expected: 'a field of the scenario format', found: `'${key}'` });
      }
      const kt = (keyNode as { tag?: string }).tag;
      if (kt !== undefined && !CORE_TAGS.has(kt)) fail(ctx, keyOffset, `unsupported tag '${kt}'`, { path: pathText(path) });
      if (entries.has(key)) fail(ctx, keyOffset, `duplicate key '${key}'`, { path: pathText(path), expected: 'each key once' });
      const value = convert(ctx, pair.value, depth + 1, [...path, key], keyOffset);
      entries.set(key, { keyOrigin: originAt(ctx, keyOffset), value });
    }
    ctx.resolving.delete(yamlNode);
    return { kind: 'map', entries, origin };
  }
  if (isSeq(node)) {
    ctx.resolving.add(yamlNode);
    const items = node.items.map((item, i) => convert(ctx, item, depth + 1, [...path, i], start));
    ctx.resolving.delete(yamlNode);
    return { kind: 'seq', items, origin };
  }
  return fail(ctx, start, 'unsupported YAML node', { path: pathText(path) });
}

function tagOf(node: unknown): string | undefined {
  return (node as { tag?: string }).tag;
}

function offsetOf(node: unknown): number | undefined {
  const r = (node as { range?: unknown } | null | undefined)?.range;
  return Array.isArray(r) && typeof r[0] === 'number' ? r[0] : undefined;
}

/**
 * Parses one untrusted YAML/JSON document into a source tree. `what: 'document'` also requires a mapping at
 * the top level; `what: 'value'` is for --set values (any single value; `origin` labels every node).
 */
export function parseSource(
  text: string,
  file: string,
  opts: { format?: SourceFormat; what?: 'document' | 'value'; origin?: Origin } = {},
): SNode {
  if (text.length > SOURCE_LIMITS.maxBytes) throw tooBig(file, text.length);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkCharacters(text, file);
  const format = opts.format ?? formatOf(file) ?? 'yaml';
  const what = opts.what ?? 'document';
  const lc = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lc,
      prettyErrors: false,
      schema: format === 'json' ? 'json' : 'core',
      resolveKnownTags: false,
      customTags: [],
      uniqueKeys: true,
      merge: false,
      version: '1.2',
      strict: true,
      intAsBigInt: false,
    });
  } catch (e) {
    const msg = e instanceof RangeError ? 'nested too deeply to parse' : `cannot parse: ${e instanceof Error ? e.message : 'unknown error'}`;
    throw new InputError({ file, message: msg });
  }
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    throw new InputError({
      file,
      message: what === 'document' ? 'the file is empty' : 'empty value',
      expected: what === 'document' ? 'a scenario (a mapping starting with kind: chips or kind: bargaining)' : 'a value',
    });
  }
  const problems: InputProblem[] = [];
  const errors = list.flatMap((doc) => [...doc.errors, ...doc.warnings]);
  if (errors.some((e) => /call stack/i.test(e.message))) {
    throw new InputError({ file, message: 'nested too deeply to parse', expected: `at most ${SOURCE_LIMITS.maxDepth} levels of nesting` });
  }
  for (const err of errors) {
    const pos = lc.linePos(err.pos[0]);
    let detail = err.message.charAt(0).toLowerCase() + err.message.slice(1);
    let found: string | undefined = text.slice(err.pos[0], Math.min(err.pos[1], err.pos[0] + 40));
    if (err.code === 'TAG_RESOLVE_FAILED') {
      detail = /plain scalar/.test(err.message) && format === 'json'
        ? `unquoted text ${err.message.replace(/^.*plain scalar /, '')} (JSON text needs double quotes)`
        : err.message.replace(/^Unresolved /, 'unsupported ').replace('tag:yaml.org,2002:', '!!');
    }
    if (err.code === 'DUPLICATE_KEY') {
      const key = /^\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:#\n]*?))\s*:/.exec(text.slice(err.pos[0], err.pos[0] + 200));
      const name = key?.[1] ?? key?.[2] ?? key?.[3];
      detail = name !== undefined ? `duplicate key '${name}'` : 'duplicate key';
      found = undefined;
    }
    problems.push({
      file,
      line: pos.line,
      column: pos.col,
      message: `${format === 'json' ? 'JSON' : 'YAML'} error: ${detail}`,
      ...(found !== undefined && found.trim() !== '' ? { found: describeValue(found) } : {}),
    });
    if (problems.length >= SOURCE_LIMITS.maxProblems) break;
  }
  if (problems.length > 0) throw new InputError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
  if (list.length > 1) {
    const second = list[1];
    const at = second?.range?.[0];
    const pos = at !== undefined ? lc.linePos(at) : undefined;
    throw new InputError({
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      message: 'more than one YAML document (---) in the file',
      expected: 'a single document',
      found: `${list.length} documents`,
    });
  }
  const doc = list[0] as Document.Parsed;
  const ctx: Ctx = { file, doc, lc, aliases: 0, nodes: 0, resolving: new Set() };
  const contents = doc.contents;
  if (contents === null) {
    throw new InputError({ file, message: what === 'document' ? 'the file is empty' : 'empty value', expected: 'a scenario (a mapping starting with kind: chips or kind: bargaining)' });
  }
  if (what === 'document' && !isMap(contents)) {
    fail(ctx, offsetOf(contents), 'the top level must be a mapping of keys to values', {
      expected: 'a scenario (a mapping starting with kind: chips or kind: bargaining)',
      found: isSeq(contents) ? 'a list' : `a single value ${describeValue(isScalar(contents) ? contents.value : contents)}`,
    });
  }
  const tree = convert(ctx, contents, 0, [], 0);
  return opts.origin !== undefined ? relabel(tree, opts.origin) : tree;
}

function relabel(node: SNode, origin: Origin): SNode {
  switch (node.kind) {
    case 'scalar':
      return { kind: 'scalar', value: node.value, origin };
    case 'seq':
      return { kind: 'seq', items: node.items.map((n) => relabel(n, origin)), origin };
    default: {
      const entries = new Map<string, SEntry>();
      for (const [k, e] of node.entries) entries.set(k, { keyOrigin: origin, value: relabel(e.value, origin) });
      return { kind: 'map', entries, origin };
    }
  }
}

/** The plain value of a source tree (objects have data properties only; lists are arrays). */
export function toPlain(node: SNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    default: {
      const out: Record<string, unknown> = {};
      for (const [k, e] of node.entries) Object.defineProperty(out, k, { value: toPlain(e.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
  }
}

/** A map's entry value, or undefined. */
export function entry(node: SNode | undefined, key: string): SNode | undefined {
  return node?.kind === 'map' ? node.entries.get(key)?.value : undefined;
}

/** The `id` of a list element, if it is a mapping with a string id. */
export function idOf(node: SNode): string | undefined {
  const id = entry(node, 'id');
  return id?.kind === 'scalar' && typeof id.value === 'string' ? id.value : undefined;
}

/** Walks a path (keys and list indices) in a source tree: the node at the path, or the deepest existing ancestor. */
export function walk(root: SNode, path: readonly (string | number)[]): { node: SNode; exact: boolean } {
  let node = root;
  for (const p of path) {
    let next: SNode | undefined;
    if (node.kind === 'map') next = node.entries.get(String(p))?.value;
    else if (node.kind === 'seq' && typeof p === 'number') next = node.items[p];
    if (next === undefined) return { node, exact: false };
    node = next;
  }
  return { node, exact: true };
}
