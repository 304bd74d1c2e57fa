/**
 * `--set path=value` overrides, applied in order to the merged source tree (before validation).
 *
 * Path syntax: `a.b.c`, `a[2].b`, id selectors `countries[IND].patience` or `countries.IND.patience` (in a list
 * whose elements have ids), and quoted keys `provenance["countries.*.gdp"]`. The value is one YAML flow value
 * or scalar: `0.9`, `true`, `boulware`, `{name: linear}`, `[1, 2]`, `"quoted text"`.
 *
 * The parent of the path must exist; the last key may be new if the schema allows it there. Errors name
 * `--set` as the path and carry a "did you mean ...?" for unknown keys and ids.
 */
import { InputError } from '../errors.js';
import { levenshtein, suggest } from '../suggest.js';
import { allowedKeys, documentValueAt, isRecord, schemaAt } from './introspect.js';
import type { PathItem } from './introspect.js';
import { idOf, isReservedName, parseSource, toPlain } from './source.js';
import type { SMap, SNode } from './source.js';

/** One step of a --set path: `text` as written; `bracket` if written in [...]; `quoted` if a "..." string. */
export interface SetStep {
  readonly text: string;
  readonly bracket: boolean;
  readonly quoted: boolean;
}

export interface SetArgument {
  readonly arg: string;
  readonly path: readonly SetStep[];
  readonly valueText: string;
}

const MAX_SET_LENGTH = 100_000;

function setError(arg: string, message: string, extra: { expected?: string; found?: string } = {}): InputError {
  return new InputError({
    path: '--set',
    message: `${message} (in --set ${arg.length > 80 ? `${arg.slice(0, 77)}...` : arg})`,
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.found !== undefined ? { found: extra.found } : {}),
  });
}

const NAME = /^[^.[\]"=\s]+$/;

/** Parses `path=value`. Throws InputError (path "--set") if malformed. */
export function parseSetArgument(arg: string): SetArgument {
  if (typeof arg !== 'string') throw setError(String(arg), 'expected text');
  if (arg.length > MAX_SET_LENGTH) throw setError(arg, 'too long', { expected: `at most ${MAX_SET_LENGTH} characters`, found: `${arg.length}` });
  const eq = arg.indexOf('=');
  if (eq < 0) throw setError(arg, "missing '='", { expected: 'path=value, e.g. countries[IND].patience=0.9', found: JSON.stringify(arg) });
  const pathText = arg.slice(0, eq).trim();
  const valueText = arg.slice(eq + 1);
  if (pathText === '') throw setError(arg, 'missing path before =', { expected: 'path=value, e.g. exporter.price=30000' });
  const steps: SetStep[] = [];
  let i = 0;
  const bad = (why: string): never => {
    throw setError(arg, `malformed path: ${why} at character ${i + 1}`, { expected: 'a.b.c, a[2].b, countries[IND].patience or provenance["key.with.dots"]', found: JSON.stringify(pathText) });
  };
  const readName = (): string => {
    let j = i;
    while (j < pathText.length && !'.[]"='.includes(pathText[j] as string) && !/\s/.test(pathText[j] as string)) j++;
    const name = pathText.slice(i, j);
    if (name === '') bad('expected a name');
    i = j;
    return name;
  };
  steps.push({ text: readName(), bracket: false, quoted: false });
  while (i < pathText.length) {
    const c = pathText[i];
    if (c === '.') {
      i++;
      steps.push({ text: readName(), bracket: false, quoted: false });
    } else if (c === '[') {
      i++;
      if (pathText[i] === '"') {
        // A JSON string: find its end, honouring escapes.
        let j = i + 1;
        while (j < pathText.length && pathText[j] !== '"') j += pathText[j] === '\\' ? 2 : 1;
        if (j >= pathText.length) bad('unterminated quoted key');
        let key: unknown;
        try {
          key = JSON.parse(pathText.slice(i, j + 1));
        } catch {
          bad('invalid quoted key');
        }
        i = j + 1;
        if (pathText[i] !== ']') bad("expected ']'");
        i++;
        steps.push({ text: String(key), bracket: true, quoted: true });
      } else {
        const name = readName();
        if (pathText[i] !== ']') bad("expected ']'");
        i++;
        steps.push({ text: name, bracket: true, quoted: false });
      }
    } else {
      bad(`unexpected ${JSON.stringify(c)}`);
    }
  }
  if (steps.length === 1 && steps[0]?.text === 'extends') {
    throw setError(arg, 'extends cannot be set with --set (bases are merged before overrides)', { expected: 'a path to a scenario value' });
  }
  for (const s of steps) {
    if (isReservedName(s.text)) throw setError(arg, `the key '${s.text}' is not allowed`, { expected: 'a key of the scenario, an id or an index (names that JavaScript objects already have are reserved)', found: `'${s.text}'` });
    if (!s.quoted && !NAME.test(s.text)) bad('bad name');
  }
  return { arg, path: steps, valueText };
}

function kindName(node: SNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  return node.value === null ? 'null' : `a ${typeof node.value}`;
}

function closest(word: string, options: readonly string[]): string | undefined {
  const g = suggest(word, options);
  if (g === undefined) return undefined;
  const d = levenshtein(word.toLowerCase(), g.toLowerCase());
  return d <= Math.max(2, Math.floor(word.length / 3)) && d < word.length ? g : undefined;
}

function showPath(steps: readonly SetStep[]): string {
  let out = '';
  for (const s of steps) {
    if (s.quoted) out += `[${JSON.stringify(s.text)}]`;
    else if (s.bracket) out += `[${s.text}]`;
    else out += out === '' ? s.text : `.${s.text}`;
  }
  return out;
}

/** Applies one --set to the tree (in place; the tree is the loader's private copy). */
export function applySet(root: SMap, set: SetArgument): void {
  const { arg, path } = set;
  let value: SNode;
  if (set.valueText.trim() === '') throw setError(arg, 'missing value after =', { expected: "a value, e.g. 0.9, true, boulware, {name: linear}, [1, 2] or '' for empty text" });
  try {
    value = parseSource(set.valueText, '--set', { what: 'value', format: 'yaml', origin: { file: '--set', set: arg } });
  } catch (e) {
    if (e instanceof InputError) {
      const first = e.problems[0];
      throw setError(arg, `invalid value: ${first?.message ?? 'cannot parse'}${first?.found !== undefined ? ` near ${first.found}` : ''}; quote text that contains ':' '#' or brackets`);
    }
    throw e;
  }
  const plainPath: PathItem[] = [];
  let cur: SNode = root;
  for (let k = 0; k < path.length; k++) {
    const step = path[k] as SetStep;
    const isLast = k === path.length - 1;
    const here = showPath(path.slice(0, k)) || '(top level)';
    if (cur.kind === 'map') {
      const existing = cur.entries.get(step.text);
      if (isLast) {
        if (existing === undefined) checkNewKey(root, plainPath, step.text, arg);
        cur.entries.set(step.text, { keyOrigin: value.origin, value });
        return;
      }
      if (existing === undefined) {
        const doc = toPlain(root);
        const s = schemaAt(plainPath, doc);
        const schemaKeys = s !== undefined ? (allowedKeys(s, documentValueAt(doc, plainPath)) ?? []) : [];
        if (schemaKeys.includes(step.text)) {
          throw setError(arg, `'${showPath(path.slice(0, k + 1))}' is not in the scenario, so nothing under it can be set; set it whole instead`, {
            expected: `e.g. --set '${showPath(path.slice(0, k + 1))}={...}'`,
          });
        }
        const options = [...new Set([...cur.entries.keys(), ...schemaKeys])];
        const guess = closest(step.text, options);
        throw setError(arg, `no key '${step.text}' under ${here}${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
          expected: options.length > 0 ? `one of ${options.join(', ')}` : 'an existing key',
          found: `'${step.text}'`,
        });
      }
      plainPath.push(step.text);
      cur = existing.value;
    } else if (cur.kind === 'seq') {
      const ids = cur.items.map(idOf);
      let index: number;
      if (!step.quoted && /^\d+$/.test(step.text)) {
        index = Number(step.text);
        if (index >= cur.items.length) {
          throw setError(arg, `index ${index} is past the end of ${here} (it has ${cur.items.length} element${cur.items.length === 1 ? '' : 's'})`, {
            expected: cur.items.length > 0 ? `an index from 0 to ${cur.items.length - 1}` : 'a list with elements',
            found: step.text,
          });
        }
      } else {
        index = ids.indexOf(step.text);
        if (index < 0) {
          const known = ids.filter((x): x is string => x !== undefined);
          const guess = closest(step.text, known);
          throw setError(arg, `no element with id '${step.text}' in ${here}${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
            expected: known.length > 0 ? `one of ${known.slice(0, 30).join(', ')}${known.length > 30 ? ', ...' : ''} or an index` : 'an index (the elements have no ids)',
            found: `'${step.text}'`,
          });
        }
      }
      if (isLast) {
        cur.items[index] = value;
        return;
      }
      plainPath.push(index);
      cur = cur.items[index] as SNode;
    } else {
      throw setError(arg, `${here} is ${kindName(cur)}, so it has no '${step.text}'`, { expected: 'a path through mappings and lists', found: kindName(cur) });
    }
  }
}

function checkNewKey(root: SMap, plainPath: readonly PathItem[], key: string, arg: string): void {
  const doc = toPlain(root);
  const s = schemaAt(plainPath, doc);
  if (s === undefined) return; // not a place the schema knows; validation will report it
  const parentValue = documentValueAt(doc, plainPath);
  if (isRecord(s, parentValue)) return;
  const keys = allowedKeys(s, parentValue);
  if (keys === undefined || keys.includes(key)) return;
  const guess = closest(key, keys);
  throw setError(arg, `unknown key '${key}'${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, {
    expected: `one of ${keys.join(', ')}`,
    found: `'${key}'`,
  });
}

/** Parses and applies all --set arguments in order. */
export function applySets(root: SMap, sets: readonly string[]): void {
  for (const arg of sets) applySet(root, parseSetArgument(arg));
}

/**
 * Sets `value` at a --set style path in a plain document (a validated scenario, copied by the caller): what a
 * timeline event does to the scenario from its date on. Lists are entered by id or index; the parent must
 * exist. Throws InputError at `where` (e.g. `timeline[3].set["countries[MYS].enforcement"]`).
 */
export function setPlainPath(doc: Record<string, unknown>, pathText: string, value: unknown, where: string): void {
  let steps: readonly SetStep[];
  try {
    steps = parseSetArgument(`${pathText}=x`).path;
  } catch (e) {
    if (e instanceof InputError) throw new InputError({ path: where, message: `malformed path '${pathText}'`, expected: 'a path as for --set, e.g. countries[MYS].enforcement' });
    throw e;
  }
  let cur: unknown = doc;
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k] as SetStep;
    const last = k === steps.length - 1;
    const here = showPath(steps.slice(0, k)) || '(top level)';
    if (Array.isArray(cur)) {
      const list: unknown[] = cur;
      let index = !step.quoted && /^\d+$/.test(step.text) ? Number(step.text) : list.findIndex((x) => isPlainObject(x) && x.id === step.text);
      if (index < 0 || index >= list.length) {
        const ids = list.map((x) => (isPlainObject(x) && typeof x.id === 'string' ? x.id : undefined)).filter((x): x is string => x !== undefined);
        const guess = closest(step.text, ids);
        throw new InputError({ path: where, message: `no element '${step.text}' in ${here}${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, expected: ids.length ? `one of ${ids.slice(0, 30).join(', ')}` : 'an index', found: `'${step.text}'` });
      }
      if (last) {
        list[index] = value;
        return;
      }
      cur = list[index];
      index = -1;
    } else if (isPlainObject(cur)) {
      if (last) {
        cur[step.text] = value;
        return;
      }
      if (!Object.hasOwn(cur, step.text) || cur[step.text] === undefined) {
        const guess = closest(step.text, Object.keys(cur));
        throw new InputError({ path: where, message: `no key '${step.text}' under ${here}${guess !== undefined ? ` — did you mean '${guess}'?` : ''}`, expected: `one of ${Object.keys(cur).join(', ')}`, found: `'${step.text}'` });
      }
      cur = cur[step.text];
    } else {
      throw new InputError({ path: where, message: `${here} is not a mapping or list, so it has no '${step.text}'` });
    }
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
