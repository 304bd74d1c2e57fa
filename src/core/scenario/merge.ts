/**
 * `extends` merging on source trees (so every merged value keeps the file and line it came from):
 * - mappings merge key by key (the extending file wins; the base's key order is kept, new keys follow);
 * - lists whose elements (in both files) are all mappings with an `id` merge element by element by id: an
 *   element with a known id is merged into the base's element, a new id is appended, and `{ id: X, remove: true }`
 *   removes X;
 * - anything else (scalars, other lists, a type change) is replaced by the extending file's value.
 */
import { InputError } from '../errors.js';
import { suggest } from '../suggest.js';
import { idOf } from './source.js';
import type { Origin, SEntry, SMap, SNode, SSeq } from './source.js';

function isIdList(node: SSeq): boolean {
  return node.items.every((item) => idOf(item) !== undefined);
}

function isRemoval(node: SNode): boolean {
  if (node.kind !== 'map') return false;
  const r = node.entries.get('remove');
  return r !== undefined && r.value.kind === 'scalar' && r.value.value === true;
}

function where(origin: Origin): { file: string; line?: number; column?: number } {
  return {
    file: origin.file,
    ...(origin.line !== undefined ? { line: origin.line } : {}),
    ...(origin.column !== undefined ? { column: origin.column } : {}),
  };
}

function mergeMaps(base: SMap, child: SMap, path: string): SMap {
  const entries = new Map<string, SEntry>();
  for (const [k, e] of base.entries) entries.set(k, e);
  for (const [k, e] of child.entries) {
    const prev = entries.get(k);
    entries.set(k, prev ? { keyOrigin: e.keyOrigin, value: mergeNodes(prev.value, e.value, path === '' ? k : `${path}.${k}`) } : e);
  }
  return { kind: 'map', entries, origin: child.origin };
}

function mergeIdLists(base: SSeq, child: SSeq, path: string): SSeq {
  const items: (SNode | undefined)[] = [...base.items];
  const index = new Map<string, number>();
  base.items.forEach((item, i) => {
    const id = idOf(item);
    if (id !== undefined && !index.has(id)) index.set(id, i);
  });
  const seen = new Set<string>();
  for (const item of child.items) {
    const id = idOf(item) as string;
    if (seen.has(id)) {
      throw new InputError({ ...where(item.origin), path: `${path}[${id}]`, message: `the id '${id}' appears twice in this list`, expected: 'each id once' });
    }
    seen.add(id);
    const at = index.get(id);
    if (isRemoval(item)) {
      if (at === undefined) {
        const guess = suggest(id, [...index.keys()]);
        throw new InputError({
          ...where(item.origin),
          path: `${path}[${id}]`,
          message: `cannot remove '${id}': the base has no element with that id${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`,
          expected: `one of ${[...index.keys()].join(', ') || '(no ids)'}`,
          found: `'${id}'`,
        });
      }
      items[at] = undefined;
      index.delete(id);
      continue;
    }
    if (at !== undefined) {
      items[at] = mergeNodes(items[at] as SNode, item, `${path}[${id}]`);
    } else {
      index.set(id, items.length);
      // A new element: marked with the base's ids, so a wrong id reads as one (see explainAddedIds in load.ts).
      const nameOf = (n: SNode): string | undefined => {
        const v = n.kind === 'map' ? n.entries.get('name')?.value : undefined;
        return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
      };
      items.push(item.kind === 'map' ? { ...item, addedTo: { baseIds: base.items.map((b) => idOf(b) ?? ''), baseNames: base.items.map(nameOf) } } : item);
    }
  }
  return { kind: 'seq', items: items.filter((x): x is SNode => x !== undefined), origin: child.origin };
}

/** Merges `child` (the extending file) over `base`. `path` is only for messages. */
export function mergeNodes(base: SNode, child: SNode, path = ''): SNode {
  if (base.kind === 'map' && child.kind === 'map') return mergeMaps(base, child, path);
  if (base.kind === 'seq' && child.kind === 'seq' && child.items.length > 0 && isIdList(base) && isIdList(child)) {
    return mergeIdLists(base, child, path);
  }
  return child;
}

/** A copy of a mapping without `key` (used to drop `extends`). */
export function withoutKey(node: SMap, key: string): SMap {
  const entries = new Map(node.entries);
  entries.delete(key);
  return { kind: 'map', entries, origin: node.origin };
}
