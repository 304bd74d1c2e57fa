/** Pieces several commands share: loading and checking a scenario with --set, and emitting a result. */
import { InputError, type InputProblem } from '../../core/errors.js';
import type { Result } from '../../core/events.js';
import { jsonText, safeData } from '../../core/safe-text.js';
import { loadScenarioFile, sourceLoader, type ScenarioSource } from '../../core/scenario/load.js';
import { textReport } from '../../report/text.js';
import { prepareBargaining } from '../../sim/bargaining.js';
import { compileChips } from '../../sim/chips/compile.js';
import { strings } from '../args.js';
import { layoutFor, styleFor, writeAtomic } from '../io.js';

type Loaded = Awaited<ReturnType<typeof loadScenarioFile>>;

/**
 * Load, validate and compile (regime, strategies, expressions): everything short of running. Compile-time
 * problems carry a document path; this adds the file and line. `source` is the file as already read
 * (readScenarioSource), for a command that goes on to use it (sweep).
 */
export async function loadChecked(file: string, setValues: unknown, regime?: string, source?: ScenarioSource): Promise<Loaded> {
  const sets = strings(setValues);
  const loaded = source !== undefined ? sourceLoader(source)({ sets }) : await loadScenarioFile(file, { sets });
  const s = loaded.scenario;
  located(loaded, file, () => (s.kind === 'chips' ? compileChips(s, regime !== undefined ? { regime } : {}) : prepareBargaining(s)));
  if (s.invariants !== undefined || s.uncertain !== undefined) {
    // Invariants and uncertain values are input too: a bad one is reported by every command, with its line.
    const { checkDeclarations } = await import('../../check/check.js');
    checkDeclarations(loaded);
  }
  return loaded;
}

/**
 * Run `fn`, adding file and line to any input problem it reports by document path (a bad expression value
 * found while compiling or while running, an unknown strategy, ...).
 */
export function located<T>(loaded: Loaded, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => locateProblem(loaded, file, p)));
    throw e;
  }
}

function locateProblem(loaded: Loaded, file: string, p: InputProblem): InputProblem {
  if (p.file !== undefined || p.path === undefined || p.path.startsWith('-')) return p;
  // `where` names the file a value came from, which may be a base file reached through `extends`.
  return { ...p, file, ...loaded.where(pathParts(loaded.document, p.path)) };
}

/** "countries[IND].strategy.name" -> ["countries", 4, "strategy", "name"], resolving ids in arrays. */
export function pathParts(doc: unknown, path: string): (string | number)[] {
  const out: (string | number)[] = [];
  let node: unknown = doc;
  for (const raw of path.split(/[.[\]]/).filter(Boolean)) {
    let key: string | number = /^\d+$/.test(raw) ? Number(raw) : raw;
    if (Array.isArray(node) && typeof key === 'string') {
      const idx = node.findIndex((x: unknown) => typeof x === 'object' && x !== null && (x as { id?: unknown }).id === key);
      if (idx >= 0) key = idx;
    }
    out.push(key);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return out;
}

/** --json: JSON only on stdout. Otherwise the text report. --out: also write the JSON artifact to a file. */
export async function emitResult(result: Result, opts: { json: boolean; out?: string | undefined; wide?: boolean }): Promise<void> {
  const json = jsonText(result);
  if (opts.out !== undefined) await writeAtomic(opts.out, json);
  if (opts.json) process.stdout.write(json);
  // The text report shows titles and names from the scenario: control characters made harmless first.
  else process.stdout.write(textReport(safeData(result, { multiline: true }), styleFor(process.stdout), layoutFor(process.stdout, opts.wide === true)));
}
