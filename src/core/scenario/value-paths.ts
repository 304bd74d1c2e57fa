/**
 * Value paths in a loaded scenario, as `uncertain:`, `with:` and the uncertainty analyses use them: a `--set`
 * style path (`countries[IND].patience`, `parties[0].discount`, `countries[*].enforcement`) resolved to the
 * concrete places it names, read and written on a plain copy of the validated scenario, and named back in
 * readable form (ids for list elements). Shared by `tradesim check` (src/check) and the research workflow.
 */
import { InputError, describeValue } from '../errors.js';
import type { PathItem } from './introspect.js';
import { parseSetArgument } from './overrides.js';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function readable(items: readonly PathItem[], root: unknown): string {
  let out = '';
  let node: unknown = root;
  for (const p of items) {
    if (typeof p === 'number') {
      const el: unknown = Array.isArray(node) ? node[p] : undefined;
      const id = isRecord(el) && typeof el.id === 'string' ? el.id : undefined;
      out += `[${id ?? p}]`;
      node = el;
    } else {
      out += out === '' ? p : `.${p}`;
      node = isRecord(node) ? node[p] : undefined;
    }
  }
  return out;
}

/** Top-level sections that `uncertain:` and `with:` cannot reach. */
export const NOT_VARIABLE: ReadonlySet<string> = new Set(['kind', 'extends', 'uncertain', 'invariants']);

/**
 * Resolves a --set style path in `root` to concrete item lists (several with [*]). Throws a plain message (the
 * caller adds the place).
 */
export function resolvePath(path: string, root: unknown): PathItem[][] {
  let steps;
  try {
    steps = parseSetArgument(`${path}=0`).path;
  } catch (e) {
    throw new Error(e instanceof InputError ? (e.problems[0]?.message ?? 'malformed path').replace(/ \(in --set .*\)$/, '') : 'malformed path');
  }
  const section = steps[0]?.text ?? '';
  if (NOT_VARIABLE.has(section)) throw new Error(`'${section}' is not a value of the model: the check's own declarations and the file's structure cannot vary`);
  let paths: { items: PathItem[]; node: unknown }[] = [{ items: [], node: root }];
  for (const step of steps) {
    const next: { items: PathItem[]; node: unknown }[] = [];
    for (const { items, node } of paths) {
      const here = readable(items, root) || '(top level)';
      if (Array.isArray(node)) {
        if (step.text === '*' && !step.quoted) {
          node.forEach((el: unknown, i) => next.push({ items: [...items, i], node: el }));
          continue;
        }
        let index = !step.quoted && /^\d+$/.test(step.text) ? Number(step.text) : node.findIndex((el: unknown) => isRecord(el) && el.id === step.text);
        if (index < 0 || index >= node.length) {
          const ids = node.map((el: unknown) => (isRecord(el) && typeof el.id === 'string' ? el.id : undefined)).filter((x) => x !== undefined);
          throw new Error(`${here} has no element '${step.text}' (${ids.length > 0 ? `ids: ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', ...' : ''}; ` : ''}indices 0 to ${node.length - 1}, or *)`);
        }
        index = Math.trunc(index);
        next.push({ items: [...items, index], node: node[index] });
      } else if (isRecord(node)) {
        if (!Object.prototype.hasOwnProperty.call(node, step.text)) {
          throw new Error(`${here} has no value '${step.text}'${Object.keys(node).length > 0 ? ` (it has ${Object.keys(node).slice(0, 16).join(', ')})` : ''}`);
        }
        next.push({ items: [...items, step.text], node: node[step.text] });
      } else {
        throw new Error(`${here} is ${describeValue(node)}, so it has no '${step.text}'`);
      }
    }
    paths = next;
  }
  return paths.map((p) => p.items);
}

export function valueAt(root: unknown, items: readonly PathItem[]): unknown {
  let node = root;
  for (const p of items) node = Array.isArray(node) ? (node as unknown[])[p as number] : isRecord(node) ? node[String(p)] : undefined;
  return node;
}

export function setAt(root: unknown, items: readonly PathItem[], value: unknown): void {
  let node = root;
  items.forEach((p, k) => {
    if (k === items.length - 1) (node as Record<string | number, unknown>)[p] = value;
    else node = (node as Record<string | number, unknown>)[p];
  });
}

