/**
 * `npm run fuzz`: a seeded, bounded fuzz of the CLI with hostile scenario files. Each case takes a shipped
 * scenario (merged with its extends), applies one to three mutations - extreme numbers, wrong types, deleted
 * keys, duplicated list elements, prototype names, escape sequences, hostile expressions at expression sites,
 * through `uncertain:` and `with:` - writes it as JSON or YAML and runs `tradesim run --json` (or `validate`,
 * or `check`) on it in a child process with a timeout. Every outcome must be one of:
 *
 * - exit 0 with a JSON result on stdout (`check`: 0, or 1 for a counterexample);
 * - exit 2 with one or more "tradesim: error: <place>: ..." lines, each naming where (a file or a path).
 *
 * Anything else - another exit code, a stack trace, a signal, a run over the timeout - is a defect: it is
 * listed with the case file (kept in --keep DIR) and the exit code is 1. The same --seed gives the same cases.
 *
 *   node dist/tools/fuzz.js [--cases N] [--seed S] [--jobs K] [--timeout MS] [--keep DIR] [--verbose]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { packageFile } from '../core/paths.js';
import { loadScenarioFile } from '../core/scenario/load.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Rng = () => number;

/** mulberry32: small, fast, seeded; enough to pick mutations reproducibly. */
function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const NUMBERS: readonly Json[] = [0, -1, 1, 0.5, 1.5, 2, 7, 400, 2000, 1e9, 1e308, -1e308, 5e-324, 2 ** 53, -0.000001, 1e-300, 101, 1001, 100_001];
const TEXT: readonly Json[] = [
  '',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__proto__',
  '\u001b]0;pwned\u0007\u001b[2J',
  'a\rb\u009b31m',
  '=1+2',
  '@SUM(A1)',
  'x'.repeat(600),
  '../../../../etc/passwd',
  '/dev/zero',
  'open',
  'bilateral',
  'boulware',
  '1e308',
];
/** Expressions for expression sites: forbidden functions, constants with no finite value, unknown names, junk. */
const EXPRESSIONS: readonly string[] = [
  'import({a: 1}, {override: true})',
  'evaluate("1")',
  'createUnit("x")',
  '1/0',
  'log(0)',
  'sqrt(-1)',
  'exp(1000)',
  'constructor',
  'x.constructor',
  'f(x) = 1',
  '[1, 2]',
  '"text"',
  'gdp > 0 ? 1 : 1/0',
  `${'('.repeat(40)}1${')'.repeat(40)}`,
  'gdp * 0.5',
  'tier == 1 and enforcement >= 0.5',
  'share',
];
const KEYS: readonly string[] = ['constructor', 'toString', 'valueOf', 'prototype', '__defineGetter__', 'unknownKey', 'id', 'kind'];

function any(r: Rng): Json {
  switch (Math.floor(r() * 7)) {
    case 0:
    case 1:
      return pick(r, NUMBERS);
    case 2:
    case 3:
      return pick(r, TEXT);
    case 4:
      return pick(r, EXPRESSIONS);
    case 5:
      return pick(r, [true, false, null, [], {}] as const);
    default:
      return { [pick(r, KEYS)]: pick(r, NUMBERS) };
  }
}

interface Place {
  readonly parent: Json[] | { [k: string]: Json };
  readonly key: string | number;
}

/** A random place in the document (a key of a mapping or an index of a list), walking down at random. */
function randomPlace(r: Rng, doc: { [k: string]: Json }): Place {
  let parent: Json[] | { [k: string]: Json } = doc;
  for (let depth = 0; depth < 8; depth++) {
    const keys: (string | number)[] = Array.isArray(parent) ? parent.map((_, i) => i) : Object.keys(parent);
    if (keys.length === 0) break;
    const key = pick(r, keys);
    const child: Json | undefined = Array.isArray(parent) ? parent[key as number] : parent[key as string];
    if (child === null || typeof child !== 'object' || r() < 0.3) return { parent, key };
    parent = child;
  }
  const keys: (string | number)[] = Array.isArray(parent) ? parent.map((_, i) => i) : Object.keys(parent);
  return { parent, key: keys.length > 0 ? pick(r, keys) : 0 };
}

function setAt(p: Place, v: Json): void {
  if (Array.isArray(p.parent)) p.parent[p.key as number] = v;
  else p.parent[p.key as string] = v;
}

/** Paths where expressions live, for the mutations that aim there. */
function expressionPaths(doc: { [k: string]: Json }): string[] {
  if (doc.kind === 'bargaining') return ['parties[0].utility', 'parties[1].utility'];
  const out = ['exporter.utility'];
  const countries = Array.isArray(doc.countries) ? doc.countries : [];
  countries.slice(0, 3).forEach((_, i) => out.push(`countries[${i}].utility`));
  return out;
}

function setPath(doc: { [k: string]: Json }, path: string, v: Json): void {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: Json = doc;
  for (const [i, part] of parts.entries()) {
    if (node === null || typeof node !== 'object') return;
    const last = i === parts.length - 1;
    const key: string | number = Array.isArray(node) ? Number(part) : part;
    if (last) {
      if (Array.isArray(node)) node[key as number] = v;
      else node[key as string] = v;
      return;
    }
    node = Array.isArray(node) ? (node[key as number] ?? null) : (node[key as string] ?? null);
  }
}

/** A value of the same type as the one it replaces: extreme numbers that pass the schema reach the run. */
function sameType(r: Rng, old: Json | undefined): Json {
  if (typeof old === 'number') return r() < 0.5 ? pick(r, NUMBERS) : old * pick(r, [0, -1, 10, 1e6, 1e-6, 1e300]);
  if (typeof old === 'string') return r() < 0.5 ? pick(r, TEXT) : pick(r, EXPRESSIONS);
  if (typeof old === 'boolean') return !old;
  return any(r);
}

const valueAt = (p: Place): Json | undefined => (Array.isArray(p.parent) ? p.parent[p.key as number] : p.parent[p.key as string]);

const MUTATIONS: readonly ((r: Rng, doc: { [k: string]: Json }) => void)[] = [
  (r, doc) => setAt(randomPlace(r, doc), any(r)),
  (r, doc) => {
    const p = randomPlace(r, doc);
    setAt(p, sameType(r, valueAt(p)));
  },
  (r, doc) => {
    const p = randomPlace(r, doc);
    setAt(p, sameType(r, valueAt(p)));
  },
  (r, doc) => {
    const p = randomPlace(r, doc);
    if (Array.isArray(p.parent)) p.parent.splice(p.key as number, 1);
    else Reflect.deleteProperty(p.parent, p.key);
  },
  (r, doc) => {
    const lists = ['countries', 'adversaries', 'issues', 'parties'].filter((k) => Array.isArray(doc[k]));
    const list = lists.length > 0 ? (doc[pick(r, lists)] as Json[]) : undefined;
    if (list && list.length > 0) list.push(structuredClone(pick(r, list)));
  },
  (r, doc) => {
    const p = randomPlace(r, doc);
    const target = Array.isArray(p.parent) ? undefined : p.parent;
    if (target) target[pick(r, KEYS)] = any(r);
  },
  (r, doc) => setPath(doc, pick(r, expressionPaths(doc)), pick(r, EXPRESSIONS)),
  (r, doc) => {
    doc.uncertain = { ...(typeof doc.uncertain === 'object' && doc.uncertain !== null && !Array.isArray(doc.uncertain) ? doc.uncertain : {}), [pick(r, [...expressionPaths(doc), 'regime', 'seed'])]: { oneOf: [pick(r, EXPRESSIONS), pick(r, TEXT)] } };
  },
  (r, doc) => {
    doc.invariants = { fuzz: { with: { [pick(r, expressionPaths(doc))]: pick(r, EXPRESSIONS) }, expect: pick(r, ['final.delivered >= 0', 'agreed >= 0', '1/0 > 0', 'import(1) > 0']) } };
  },
  (r, doc) => {
    if (doc.kind === 'chips') doc.regime = pick(r, ['constructor', 'toString', 'open', 'nope', { id: 'inline', tier1: { market: 'unlimited', capExpr: pick(r, EXPRESSIONS), eligible: pick(r, EXPRESSIONS) } }]);
  },
  (r, doc) => {
    doc.title = pick(r, TEXT);
    const countries = Array.isArray(doc.countries) ? doc.countries : [];
    const c = countries[0];
    if (c !== undefined && c !== null && typeof c === 'object' && !Array.isArray(c)) c.name = pick(r, TEXT);
  },
];

/** Keeps a case's run short: the fuzz is about input handling, not about the largest worlds. */
function bound(doc: { [k: string]: Json }): void {
  if (typeof doc.rounds === 'number' && doc.rounds > 24) doc.rounds = 24;
  if (Array.isArray(doc.countries) && doc.countries.length > 40) doc.countries.length = 40;
}

interface Outcome {
  readonly kind: 'ok' | 'input' | 'defect';
  readonly why?: string;
}

interface Child {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function runChild(bin: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Child> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 64 * 1024 * 1024) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1024 * 1024) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, timedOut });
    });
  });
}

const STACK = /\n\s+at .+[(:]\d+|Error: .*\n\s+at /;

export function classify(command: string, c: Child): Outcome {
  if (c.timedOut) return { kind: 'defect', why: 'timed out' };
  if (c.signal !== null) return { kind: 'defect', why: `killed by ${c.signal}` };
  if (STACK.test(c.stderr)) return { kind: 'defect', why: `stack trace (exit ${String(c.code)})` };
  if (c.code === 2) {
    const lines = c.stderr.trim().split('\n');
    const located = lines.length > 0 && lines.every((l) => /^tradesim: error: \S.*(: |; )/.test(l) && (/ at [^:]+: /.test(l) || /^tradesim: error: [^ ]*[/.][^ ]*(:\d+)*: /.test(l) || /^tradesim: error: --?[a-z]/.test(l)));
    return located ? { kind: 'input' } : { kind: 'defect', why: `exit 2 without a located message: ${lines[0] ?? '(nothing on stderr)'}` };
  }
  if (c.code === 0 || (command === 'check' && c.code === 1)) {
    if (command === 'run') {
      try {
        JSON.parse(c.stdout);
      } catch {
        return { kind: 'defect', why: 'exit 0 without a JSON result' };
      }
      if (/\b(NaN|Infinity)\b/.test(c.stdout.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return { kind: 'defect', why: 'a non-finite number in the result' };
    }
    return { kind: 'ok' };
  }
  return { kind: 'defect', why: `exit ${String(c.code)}: ${c.stderr.trim().split('\n')[0] ?? ''}` };
}

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly keep?: string;
  readonly onCase?: (i: number, command: string, outcome: Outcome) => void;
}

export interface FuzzReport {
  readonly cases: number;
  readonly ok: number;
  readonly input: number;
  readonly defects: readonly { readonly case: number; readonly command: string; readonly file: string; readonly why: string }[];
}

async function bases(): Promise<{ name: string; doc: { [k: string]: Json } }[]> {
  const dirs = ['scenarios/', 'scenarios/teaching/'];
  const out: { name: string; doc: { [k: string]: Json } }[] = [];
  for (const d of dirs) {
    const dir = fileURLToPath(packageFile(d));
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
      const loaded = await loadScenarioFile(join(dir, f));
      out.push({ name: `${d}${f}`, doc: loaded.document as { [k: string]: Json } });
    }
  }
  return out;
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const bin = fileURLToPath(packageFile('bin/tradesim.js'));
  const work = mkdtempSync(join(tmpdir(), 'tradesim-fuzz-'));
  const all = await bases();
  let ok = 0;
  let input = 0;
  const defects: { case: number; command: string; file: string; why: string }[] = [];
  let next = 0;
  const one = async (i: number): Promise<void> => {
    const r = rng(o.seed * 1_000_003 + i);
    const base = pick(r, all);
    const doc = structuredClone(base.doc);
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) pick(r, MUTATIONS)(r, doc);
    bound(doc);
    const yaml = r() < 0.5;
    const file = join(work, `case-${i}.${yaml ? 'yaml' : 'json'}`);
    writeFileSync(file, yaml ? stringify(doc, { lineWidth: 0 }) : JSON.stringify(doc, null, 1));
    const command = pick(r, ['run', 'run', 'run', 'validate', 'check'] as const);
    const args = command === 'run' ? ['run', file, '--json'] : command === 'check' ? ['check', file, '--runs', '3', '--out-dir', join(work, 'cx')] : ['validate', file];
    const outcome = classify(command, await runChild(bin, args, work, o.timeoutMs));
    if (outcome.kind === 'ok') ok++;
    else if (outcome.kind === 'input') input++;
    else {
      let kept = file;
      if (o.keep !== undefined) {
        mkdirSync(o.keep, { recursive: true });
        kept = join(o.keep, `case-${i}.${yaml ? 'yaml' : 'json'}`);
        writeFileSync(kept, yaml ? stringify(doc, { lineWidth: 0 }) : JSON.stringify(doc, null, 1));
      }
      defects.push({ case: i, command, file: kept, why: `${outcome.why ?? 'defect'} (from ${base.name})` });
    }
    o.onCase?.(i, command, outcome);
  };
  const worker = async (): Promise<void> => {
    for (let i = next++; i < o.cases; i = next++) await one(i);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { cases: o.cases, ok, input, defects: defects.sort((a, b) => a.case - b.case) };
}

async function mainFuzz(): Promise<number> {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, seed: { type: 'string' }, jobs: { type: 'string' }, timeout: { type: 'string' }, keep: { type: 'string' }, verbose: { type: 'boolean' } },
    strict: true,
  });
  const num = (v: string | undefined, d: number): number => (v === undefined ? d : Number(v));
  const report = await fuzz({
    cases: num(values.cases, 300),
    seed: num(values.seed, 1),
    jobs: num(values.jobs, 2),
    timeoutMs: num(values.timeout, 10_000),
    ...(values.keep !== undefined ? { keep: values.keep } : {}),
    ...(values.verbose === true ? { onCase: (i: number, c: string, out: Outcome) => process.stderr.write(`case ${i} ${c}: ${out.kind}${out.why !== undefined ? ` (${out.why})` : ''}\n`) } : {}),
  });
  process.stdout.write(`fuzz: ${report.cases} cases (seed ${num(values.seed, 1)}): ${report.ok} ran, ${report.input} refused as bad input, ${report.defects.length} defects\n`);
  for (const d of report.defects) process.stdout.write(`  case ${d.case} (${d.command} ${d.file}): ${d.why}\n`);
  return report.defects.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  mainFuzz().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
