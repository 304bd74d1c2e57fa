/**
 * Loading an exercise pack: the exercise file (untrusted YAML/JSON, parsed with the scenario loader's safe
 * parser so problems carry file, path and line), then the scenario it names with its overrides and the
 * difficulty level's strategies, then checks across the two (every seat exists in the scenario).
 */
import { dirname, relative, resolve } from 'node:path';
import { contentHash } from '../core/canonical.js';
import { InputError, type InputProblem } from '../core/errors.js';
import { OUTSIDE_HINT, confinementFor, isInsideRoots, readInputFile } from '../core/files.js';
import { issuesToProblems, placeOf } from '../core/scenario/errors-map.js';
import { loadScenarioFile, type LoadedScenario } from '../core/scenario/load.js';
import type { ChipsScenario, StrategyChoice } from '../core/scenario/schema.js';
import { SOURCE_LIMITS, decodeText, parseSource, toPlain, walk, type SNode } from '../core/scenario/source.js';
import { didYouMean } from '../core/suggest.js';
import { ExerciseSchema, type Exercise, type Level } from './exercise-schema.js';

export interface LoadedExercise {
  readonly exercise: Exercise;
  /** The exercise file as the user named it. */
  readonly file: string;
  readonly level: string;
  readonly scenario: ChipsScenario;
  readonly loaded: LoadedScenario;
  /** sha256 of the exercise with the resolved scenario: equal hashes = the same situation for every student. */
  readonly hash: string;
  readonly seed: number;
}

/** A seat: the exporter, a country or an adversary of the scenario. */
export interface SeatInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: 'exporter' | 'country' | 'adversary';
}

export function seatsOf(s: ChipsScenario): SeatInfo[] {
  return [
    { id: s.exporter.id, name: s.exporter.name, kind: 'exporter' as const },
    ...s.countries.map((c) => ({ id: c.id, name: c.name, kind: 'country' as const })),
    ...s.adversaries.map((a) => ({ id: a.id, name: a.name, kind: 'adversary' as const })),
  ];
}

/** "exporter" or an id -> the seat's id in the scenario (undefined if there is none). */
export function seatId(s: ChipsScenario, name: string): string | undefined {
  if (name === 'exporter') return s.exporter.id;
  return seatsOf(s).find((x) => x.id === name)?.id;
}

/** The --set lines that give the computer agent in `seat` the strategy `choice`. */
export function strategySet(s: ChipsScenario, seat: string, choice: StrategyChoice): string {
  const value = JSON.stringify({ name: choice.name, params: choice.params });
  if (seat === 'exporter' || seat === s.exporter.id) return `exporter.strategy=${value}`;
  if (s.adversaries.some((a) => a.id === seat)) return `adversaries[${seat}].strategy=${value}`;
  return `countries[${seat}].strategy=${value}`;
}

function problemAt(file: string, tree: SNode, path: (string | number)[], label: string, message: string, extra: { expected?: string; found?: string } = {}): InputProblem {
  // A key (a role, a level's seat) is located at the key itself rather than at its value.
  const parent = walk(tree, path.slice(0, -1));
  const last = path[path.length - 1];
  const keyAt = parent.exact && parent.node.kind === 'map' && typeof last === 'string' ? parent.node.entries.get(last)?.keyOrigin : undefined;
  const place = placeOf(keyAt ?? walk(tree, path).node.origin);
  return {
    file: place.file ?? file,
    ...(place.line !== undefined ? { line: place.line } : {}),
    ...(place.column !== undefined ? { column: place.column } : {}),
    path: label,
    message,
    ...extra,
  };
}

/** Parse and validate the exercise file alone (no scenario). Throws InputError with file, path and line. */
export function parseExercise(text: string, file: string): { exercise: Exercise; tree: SNode } {
  const tree = parseSource(text, file);
  const document = toPlain(tree);
  const parsed = ExerciseSchema.safeParse(document);
  if (!parsed.success) {
    // The usual slip in a text list: "- Compare: who gained?" is a mapping in YAML, not a string.
    const hint = ' (text containing ": " must be put in quotes)';
    throw new InputError(
      issuesToProblems(parsed.error.issues, { document, tree, schema: ExerciseSchema }).map((p) =>
        p.found === 'an object' && p.expected?.startsWith('a string') === true ? { ...p, message: `${p.message}${hint}` } : p,
      ),
    );
  }
  const ex = parsed.data;
  if (!Object.hasOwn(ex.difficulty.levels, ex.difficulty.default)) {
    const names = Object.keys(ex.difficulty.levels);
    throw new InputError(
      problemAt(file, tree, ['difficulty', 'default'], 'difficulty.default', `no level named "${ex.difficulty.default}"${didYouMean(ex.difficulty.default, names)}`, {
        expected: `one of ${names.join(', ')}`,
        found: JSON.stringify(ex.difficulty.default),
      }),
    );
  }
  return { exercise: ex, tree };
}

export interface ExerciseOptions {
  /** Difficulty level (default: the exercise's). */
  readonly level?: string;
  /** Seed (default: the exercise's, else the scenario's). */
  readonly seed?: number;
}

/** Read (untrusted bytes, decoded with the scenario loader's limits) and parse an exercise file, no scenario. */
export async function readExercise(file: string): Promise<{ exercise: Exercise; tree: SNode }> {
  const bytes = await readInputFile(file, { what: 'exercise file', maxBytes: SOURCE_LIMITS.maxBytes });
  return parseExercise(decodeText(bytes, file), file);
}

export async function loadExercise(file: string, opts: ExerciseOptions = {}): Promise<LoadedExercise> {
  const { exercise: ex, tree } = await readExercise(file);
  const levelName = opts.level ?? ex.difficulty.default;
  const level: Level | undefined = Object.hasOwn(ex.difficulty.levels, levelName) ? ex.difficulty.levels[levelName] : undefined;
  if (level === undefined) {
    const names = Object.keys(ex.difficulty.levels);
    throw new InputError({ path: '--level', message: `exercise ${ex.id} has no level "${levelName}"${didYouMean(levelName, names)}`, expected: `one of ${names.join(', ')}`, found: JSON.stringify(levelName) });
  }
  if (!isInsideRoots(resolve(dirname(file), ex.scenario), confinementFor(file))) {
    throw new InputError(problemAt(file, tree, ['scenario'], 'scenario', `the scenario ${JSON.stringify(ex.scenario)} is outside the folders an exercise may read`, { expected: OUTSIDE_HINT, found: JSON.stringify(ex.scenario) }));
  }
  const scenarioFile = relative(process.cwd(), resolve(dirname(file), ex.scenario)) || ex.scenario;
  // Load once without the level to learn the seats (strategy overrides need to know who is a country).
  const bare = await withScenarioPlace(file, tree, () => loadScenarioFile(scenarioFile, { sets: ex.set }));
  if (bare.scenario.kind !== 'chips') {
    throw new InputError(problemAt(file, tree, ['scenario'], 'scenario', 'classroom exercises play a chips world', { expected: 'a scenario with kind: chips', found: `kind: ${bare.scenario.kind}` }));
  }
  const world = bare.scenario;
  const problems: InputProblem[] = [];
  const known = seatsOf(world).map((x) => x.id);
  const checkSeat = (seat: string, path: (string | number)[], label: string): void => {
    if (seatId(world, seat) === undefined) {
      problems.push(problemAt(file, tree, path, label, `no seat "${seat}" in ${ex.scenario}${didYouMean(seat, known)}`, { expected: `"exporter" or one of ${known.join(', ')}`, found: JSON.stringify(seat) }));
    }
  };
  for (const seat of Object.keys(ex.roles)) checkSeat(seat, ['roles', seat], `roles.${seat}`);
  for (const [name, lv] of Object.entries(ex.difficulty.levels)) {
    for (const seat of Object.keys(lv.strategies)) checkSeat(seat, ['difficulty', 'levels', name, 'strategies', seat], `difficulty.levels.${name}.strategies.${seat}`);
  }
  if (problems.length > 0) throw new InputError(problems);
  const sets = [...ex.set, ...Object.entries(level.strategies).map(([seat, choice]) => strategySet(world, seat, choice)), ...level.set];
  const loaded = await withScenarioPlace(file, tree, () => loadScenarioFile(scenarioFile, { sets }));
  const scenario = loaded.scenario as ChipsScenario;
  const seed = opts.seed ?? ex.seed ?? scenario.seed;
  return { exercise: ex, file, level: levelName, scenario, loaded, seed, hash: contentHash({ exercise: ex, level: levelName, scenario: loaded.hash, seed }) };
}

/** Problems in the scenario or its overrides also say which exercise asked for them. */
async function withScenarioPlace<T>(file: string, tree: SNode, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const at = problemAt(file, tree, ['scenario'], 'scenario', '');
    throw new InputError(
      e.problems.map((p) => (p.file === undefined ? { ...p, file, ...(at.line !== undefined ? { line: at.line } : {}), message: `${p.message} (in the scenario or the overrides of ${file})` } : p)),
    );
  }
}
