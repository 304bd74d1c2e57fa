/**
 * Reading a result artifact back from a file for `tradesim replay`: JSON syntax, schemaVersion, kind, the
 * structure the replay relies on, and the scenario hash against the parameters it carries. Each problem is
 * an InputError naming the file and the path in it (exit 2). `tradesim report` applies the same checks (so it
 * never makes a page of an artifact the replay refuses). No Ink here: `replay --help` stays light.
 */
import { contentHash } from '../core/canonical.js';
import { describeValue, InputError, type InputProblem } from '../core/errors.js';
import { MAX_ARTIFACT_BYTES, readInputText } from '../core/files.js';
import { RESULT_SCHEMA_VERSION, type ReplayableArtifact, type SimEvent } from '../core/events.js';
import { isReservedName } from '../core/scenario/source.js';

const EVENT_TYPES: ReadonlySet<SimEvent['type']> = new Set<SimEvent['type']>([
  'round-start',
  'timeline',
  'access',
  'market',
  'negotiation',
  'deal',
  'no-deal',
  'delivery',
  'leakage',
  'adversary',
  'alternative',
  'stack',
  'relations',
  'round-end',
]);

type Json = unknown;

class Checker {
  readonly problems: InputProblem[] = [];
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }
  fail(path: string, expected: string, v: Json, message = 'not a valid result artifact'): void {
    if (this.problems.length < 8) this.problems.push({ file: this.file, path, message, expected, found: describeValue(v) });
  }
  obj(v: Json, path: string): Record<string, Json> | null {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, Json>;
    this.fail(path, 'an object', v);
    return null;
  }
  arr(v: Json, path: string): Json[] | null {
    if (Array.isArray(v)) return v;
    this.fail(path, 'a list', v);
    return null;
  }
  num(v: Json, path: string): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'a number', v);
  }
  str(v: Json, path: string): void {
    if (typeof v !== 'string') this.fail(path, 'a string', v);
  }
  nums(o: Record<string, Json>, keys: readonly string[], path: string): void {
    for (const k of keys) this.num(o[k], `${path}.${k}`);
  }
}

function checkStamp(c: Checker, a: Record<string, Json>): Record<string, Json> | null {
  const sc = c.obj(a.scenario, 'scenario');
  if (sc) for (const k of ['id', 'title', 'hash']) c.str(sc[k], `scenario.${k}`);
  c.str(a.rng, 'rng');
  return sc;
}

function checkNegotiation(c: Checker, n: Record<string, Json>, path: string): void {
  const parties = c.arr(n.parties, `${path}.parties`);
  if (parties && parties.length !== 2) c.fail(`${path}.parties`, 'two parties', parties);
  c.arr(n.issues, `${path}.issues`);
  c.arr(n.frontier, `${path}.frontier`);
  c.arr(n.reservations, `${path}.reservations`);
  const offers = c.arr(n.offers, `${path}.offers`);
  offers?.forEach((o, i) => {
    const oo = c.obj(o, `${path}.offers[${i}]`);
    if (!oo) return;
    c.arr(oo.outcome, `${path}.offers[${i}].outcome`);
    const u = c.arr(oo.utilities, `${path}.offers[${i}].utilities`);
    u?.forEach((x, k) => c.num(x, `${path}.offers[${i}].utilities[${k}]`));
  });
}

function checkChips(c: Checker, a: Record<string, Json>, path: string): void {
  const rounds = c.arr(a.rounds, `${path}rounds`);
  rounds?.forEach((r, i) => {
    const ro = c.obj(r, `${path}rounds[${i}]`);
    if (!ro) return;
    c.num(ro.round, `${path}rounds[${i}].round`);
    c.str(ro.label, `${path}rounds[${i}].label`);
    c.arr(ro.events, `${path}rounds[${i}].events`)?.forEach((e, k) => {
      const p = `${path}rounds[${i}].events[${k}]`;
      const eo = c.obj(e, p);
      if (!eo) return;
      if (!EVENT_TYPES.has(eo.type as SimEvent['type'])) c.fail(`${p}.type`, `one of ${[...EVENT_TYPES].join(', ')}`, eo.type);
      if (eo.type === 'negotiation') checkNegotiation(c, eo, p);
      if (eo.type === 'round-end') c.obj(eo.metrics, `${p}.metrics`);
    });
  });
  c.arr(a.countries, `${path}countries`)?.forEach((x, i) => {
    const o = c.obj(x, `${path}countries[${i}]`);
    if (!o) return;
    c.str(o.id, `${path}countries[${i}].id`);
    c.nums(o, ['demand', 'delivered'], `${path}countries[${i}]`);
  });
  c.arr(a.adversaries, `${path}adversaries`);
  const m = c.obj(a.metrics, `${path}metrics`);
  if (m) {
    c.obj(m.final, `${path}metrics.final`);
    const per = c.arr(m.perRound, `${path}metrics.perRound`);
    if (per && rounds && per.length !== rounds.length) c.fail(`${path}metrics.perRound`, `one entry per round (${rounds.length})`, per);
  }
}

function checkHash(c: Checker, a: Record<string, Json>, path: string): void {
  const sc = a.scenario as Record<string, Json> | undefined;
  if (!sc || typeof sc.hash !== 'string' || !('parameters' in a)) return;
  const actual = contentHash(a.parameters);
  if (actual !== sc.hash) {
    c.problems.push({
      file: c.file,
      path: `${path}scenario.hash`,
      message: 'the scenario hash does not match the parameters in the file (edited or corrupted)',
      expected: `sha256 of the canonical parameters, ${actual.slice(0, 16)}...`,
      found: `${sc.hash.slice(0, 16)}...`,
    });
  }
}

/** Check a parsed artifact; throws one InputError with every problem found (up to a few). */
export function checkArtifact(v: Json, file: string): ReplayableArtifact {
  const c = new Checker(file);
  const a = c.obj(v, '(top level)');
  if (!a) throw new InputError(c.problems);
  if (a.schemaVersion !== RESULT_SCHEMA_VERSION) {
    throw new InputError({
      file,
      path: 'schemaVersion',
      message: 'this artifact was written by a different version of tradesim',
      expected: `schemaVersion ${RESULT_SCHEMA_VERSION}`,
      found: describeValue(a.schemaVersion),
    });
  }
  if (a.kind === 'sensitivity') {
    throw new InputError({ file, path: 'kind', message: 'a sensitivity artifact has no runs to replay (tradesim report makes a page of it)', expected: 'chips, bargaining or comparison', found: "'sensitivity'" });
  }
  if (a.kind !== 'chips' && a.kind !== 'bargaining' && a.kind !== 'comparison') {
    throw new InputError({ file, path: 'kind', message: 'unknown artifact kind', expected: 'chips, bargaining or comparison', found: describeValue(a.kind) });
  }
  checkStamp(c, a);
  if (a.kind === 'chips') checkChips(c, a, '');
  else if (a.kind === 'bargaining') {
    const n = c.obj(a.negotiation, 'negotiation');
    if (n) checkNegotiation(c, n, 'negotiation');
  } else {
    const regimes = c.arr(a.regimes, 'regimes');
    c.arr(a.seeds, 'seeds');
    c.obj(a.summaries, 'summaries');
    c.obj(a.interval, 'interval');
    const ex = c.obj(a.examples, 'examples');
    // Optional (artifacts before scenario variants have none): one arm per label, in the same order.
    const arms = a.arms === undefined ? null : c.arr(a.arms, 'arms');
    if (arms && regimes) {
      if (arms.length !== regimes.length) c.fail('arms', `one arm per label in regimes (${regimes.length})`, arms);
      arms.forEach((x, i) => {
        const o = c.obj(x, `arms[${i}]`);
        if (!o) return;
        for (const k of ['label', 'file', 'scenarioId', 'hash', 'regime']) c.str(o[k], `arms[${i}].${k}`);
        if (o.label !== regimes[i]) c.fail(`arms[${i}].label`, `the label regimes[${i}] gives (${describeValue(regimes[i])})`, o.label);
      });
    }
    if (regimes && ex) {
      regimes.forEach((r, i) => {
        if (typeof r !== 'string' || isReservedName(r)) return c.fail(`regimes[${i}]`, 'an arm label (a regime name or a scenario id)', r);
        const e = c.obj(Object.hasOwn(ex, r) ? ex[r] : undefined, `examples.${r}`);
        if (!e) return;
        if (e.kind !== 'chips') c.fail(`examples.${r}.kind`, 'chips', e.kind);
        checkChips(c, e, `examples.${r}.`);
        checkHash(c, e, `examples.${r}.`);
      });
    }
  }
  if (a.kind !== 'comparison') checkHash(c, a, '');
  if (c.problems.length) throw new InputError(c.problems);
  // Checked above to the depth the replay reads.
  return a as unknown as ReplayableArtifact;
}

export async function readArtifact(file: string): Promise<ReplayableArtifact> {
  const text = await readInputText(file, { what: 'result file', maxBytes: MAX_ARTIFACT_BYTES, expected: 'a result artifact written by tradesim run --out or --json' });
  return parseArtifact(text, file);
}

export function parseArtifact(text: string, file: string): ReplayableArtifact {
  let v: Json;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg)?.[1];
    const at = pos !== undefined ? lineCol(text, Number(pos)) : {};
    throw new InputError({ file, ...at, message: `not valid JSON (${msg.replace(/^.*?: /, '')})`, expected: 'a result artifact written by tradesim run --out or --json' });
  }
  return checkArtifact(v, file);
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}
