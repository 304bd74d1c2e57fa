import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, isInputError } from '../../core/errors.js';
import { packageFile } from '../../core/paths.js';
import { parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';
import { table } from '../../report/text.js';

export const LIST_HELP = `Usage: tradesim list [scenarios|exercises|regimes|strategies] [--json]

List the shipped scenarios, the classroom exercises (play them with tradesim play), the built-in regimes
and the bargaining strategies with their metadata (parameters with unit, default and range).

Options:
  --json      print the lists as JSON
  -h, --help  show this help

${EXIT_TABLE}
`;

const SCENARIO_DIR = fileURLToPath(packageFile('scenarios/'));

interface ScenarioInfo {
  file: string;
  id: string;
  kind: string;
  title: string;
  regime: string | null;
}

async function scenarioFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await scenarioFiles(p)));
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * What `read` makes of each scenario-like file under `dir`, with `file` as shown (scenarios/...). A file it
 * refuses with an input error is left out: a base meant only to be extended, or a draft exercise.
 */
async function readEach<T>(dir: string, read: (path: string, file: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const path of await scenarioFiles(dir)) {
    try {
      out.push(await read(path, join('scenarios', relative(SCENARIO_DIR, path))));
    } catch (e) {
      if (!isInputError(e)) throw e;
    }
  }
  return out;
}

async function scenarios(): Promise<ScenarioInfo[]> {
  const { loadScenarioFile } = await import('../../core/scenario/load.js');
  return readEach(SCENARIO_DIR, async (path, file) => {
    const { scenario: s } = await loadScenarioFile(path);
    return { file, id: s.id, kind: s.kind, title: s.title, regime: s.kind === 'chips' ? (typeof s.regime === 'string' ? s.regime : s.regime.id) : null };
  });
}

interface ExerciseInfo {
  file: string;
  id: string;
  title: string;
  scenario: string;
  seats: string[];
  levels: string[];
  minutes: number | null;
}

async function exercises(): Promise<ExerciseInfo[]> {
  const { readExercise } = await import('../../classroom/exercise.js');
  return readEach(join(SCENARIO_DIR, 'exercises'), async (path, file) => {
    const { exercise: x } = await readExercise(path);
    return { file, id: x.id, title: x.title, scenario: x.scenario, seats: Object.keys(x.roles), levels: Object.keys(x.difficulty.levels), minutes: x.minutes ?? null };
  });
}

async function regimes() {
  const { builtinRegimes } = await import('../../sim/regimes/index.js');
  return Object.values(builtinRegimes).map((r) => ({ id: r.id, title: r.title, description: r.description }));
}

async function strategyList() {
  const { strategies } = await import('../../sim/strategies/index.js');
  return Object.values(strategies).map((s) => s.meta);
}

export async function list(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 1);
  if (values.help) {
    process.stdout.write(LIST_HELP);
    return EXIT.ok;
  }
  const what = positionals[0];
  const all = what === undefined;
  if (!all && !['scenarios', 'exercises', 'regimes', 'strategies'].includes(what)) {
    throw new InputError({ path: '<what>', message: 'unknown list', expected: 'scenarios, exercises, regimes or strategies', found: JSON.stringify(what) });
  }
  const data = {
    ...(all || what === 'scenarios' ? { scenarios: await scenarios() } : {}),
    ...(all || what === 'exercises' ? { exercises: await exercises() } : {}),
    ...(all || what === 'regimes' ? { regimes: await regimes() } : {}),
    ...(all || what === 'strategies' ? { strategies: await strategyList() } : {}),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return EXIT.ok;
  }
  const parts: string[] = [];
  if (data.scenarios) {
    parts.push('Scenarios', table(['file', 'kind', 'regime', 'title'], data.scenarios.map((s) => [s.file, s.kind, s.regime ?? '-', s.title])), '');
  }
  if (data.exercises) {
    parts.push(
      'Exercises (tradesim play <file> --as <seat>)',
      table(['file', 'seats', 'levels', 'minutes', 'title'], data.exercises.map((x) => [x.file, x.seats.join(', '), x.levels.join(', '), x.minutes === null ? '-' : String(x.minutes), x.title])),
      '',
    );
  }
  if (data.regimes) {
    parts.push('Regimes', ...data.regimes.map((r) => `  ${r.id.padEnd(18)} ${r.title}\n  ${' '.repeat(18)} ${r.description}`), '');
  }
  if (data.strategies) {
    parts.push('Strategies');
    for (const m of data.strategies) {
      parts.push(`  ${m.name.padEnd(14)} ${m.deterministic ? 'deterministic' : 'stochastic'}${m.needsOpponent ? ', needs complete information' : ''}`);
      parts.push(`  ${' '.repeat(14)} ${m.description}`);
      for (const [k, p] of Object.entries(m.params)) {
        parts.push(`  ${' '.repeat(14)}   ${k}: ${p.description} (${p.unit}; default ${p.default}, range ${p.min} to ${p.max})`);
      }
    }
    parts.push('');
  }
  process.stdout.write(`${parts.join('\n')}\n`);
  return EXIT.ok;
}
