/**
 * `--vary` specs of a sweep: which scenario value to vary (a --set path) and over what.
 *
 *   path=lo:hi:steps        `steps` evenly spaced values from lo to hi, both included
 *   path=lo:hi              the continuous range (random and lhs designs only: uniform)
 *   path=a,b,c              these values (numbers, or text such as strategy or regime names)
 *   path=dist(NAME, ...)    a distribution (random and lhs designs only):
 *                             uniform(lo, hi), loguniform(lo, hi), triangular(lo, mode, hi),
 *                             normal(mean, sd[, lo, hi]), lognormal(mu, sigma[, lo, hi])
 *                           (the optional lo, hi truncate the distribution to that range)
 *
 * Values are drawn by inverse transform from a uniform u in [0, 1), so the same spec works for random and
 * Latin hypercube designs.
 */
import jStat from 'jstat';
import { InputError } from '../core/errors.js';
import { parseSetArgument } from '../core/scenario/overrides.js';

export type ParamValue = number | string | boolean;

export type VaryKind =
  | { readonly type: 'values'; readonly values: readonly ParamValue[] }
  | { readonly type: 'range'; readonly lo: number; readonly hi: number }
  | { readonly type: 'dist'; readonly name: DistName; readonly args: readonly number[] };

export interface VarySpec {
  /** The spec as given, e.g. "exporter.supplyPerRound=300000:500000:5". */
  readonly spec: string;
  /** The path exactly as given: the row column's name. */
  readonly path: string;
  readonly kind: VaryKind;
}

export const DISTRIBUTIONS = {
  uniform: { args: [2, 2], usage: 'uniform(lo, hi)' },
  loguniform: { args: [2, 2], usage: 'loguniform(lo, hi) with 0 < lo' },
  triangular: { args: [3, 3], usage: 'triangular(lo, mode, hi)' },
  normal: { args: [2, 4], usage: 'normal(mean, sd[, lo, hi])' },
  lognormal: { args: [2, 4], usage: 'lognormal(mu, sigma[, lo, hi])' },
} as const;
export type DistName = keyof typeof DISTRIBUTIONS;

const EXPECTED = 'path=lo:hi:steps, path=a,b,c or path=dist(normal, mean, sd), e.g. exporter.supplyPerRound=300000:500000:5';
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function bad(spec: string, message: string, expected = EXPECTED): InputError {
  return new InputError({ path: '--vary', message: `${message} (in --vary ${spec.length > 80 ? `${spec.slice(0, 77)}...` : spec})`, expected });
}

function num(spec: string, text: string, what: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!NUMBER.test(t) || !Number.isFinite(n)) throw bad(spec, `${what} is not a number: ${JSON.stringify(t)}`);
  return n;
}

/** A list item: a number when it reads as one, true/false, else the text (a YAML scalar for --set). */
function value(text: string): ParamValue {
  const t = text.trim();
  if (NUMBER.test(t) && Number.isFinite(Number(t))) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return t;
}

export function parseVary(spec: string): VarySpec {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw bad(spec, eq < 0 ? "missing '='" : 'missing path before =');
  const path = spec.slice(0, eq).trim();
  const rhs = spec.slice(eq + 1).trim();
  if (rhs === '') throw bad(spec, 'missing values after =');
  // The path must be one --set accepts: same parser, same messages, relabelled to --vary.
  try {
    parseSetArgument(`${path}=0`);
  } catch (e) {
    if (e instanceof InputError) throw relabel(e, `${path}=0`, spec);
    throw e;
  }
  const dist = /^dist\s*\((.*)\)$/s.exec(rhs);
  if (dist) {
    const parts = (dist[1] ?? '').split(',').map((x) => x.trim());
    const name = parts[0] ?? '';
    if (!Object.hasOwn(DISTRIBUTIONS, name)) {
      throw bad(spec, `unknown distribution ${JSON.stringify(name)}`, `one of ${Object.values(DISTRIBUTIONS).map((d) => `dist(${d.usage.replace('(', ', ')}`).join(', ')}`);
    }
    const d = DISTRIBUTIONS[name as DistName];
    const args = parts.slice(1).map((x, i) => num(spec, x, `argument ${i + 1} of ${name}`));
    if (args.length < d.args[0] || args.length > d.args[1] || args.length === 3 && d.args[1] === 4) {
      throw bad(spec, `wrong number of arguments for ${name}`, `dist(${d.usage.replace('(', ', ')}`);
    }
    checkDist(spec, name as DistName, args);
    return { spec, path, kind: { type: 'dist', name: name as DistName, args } };
  }
  if (rhs.includes(':') && !rhs.includes(',')) {
    const parts = rhs.split(':');
    if (parts.length > 3) throw bad(spec, 'too many colons in a range');
    const lo = num(spec, parts[0] ?? '', 'lo');
    const hi = num(spec, parts[1] ?? '', 'hi');
    if (!(hi > lo)) throw bad(spec, `the range is empty: hi (${hi}) must be greater than lo (${lo})`);
    if (parts.length === 2) return { spec, path, kind: { type: 'range', lo, hi } };
    const stepsText = (parts[2] ?? '').trim();
    const steps = Number(stepsText);
    if (!/^\d+$/.test(stepsText) || steps < 2 || steps > 100_000) throw bad(spec, `steps must be a whole number from 2 to 100000, found ${JSON.stringify(stepsText)}`);
    // Rounded to 12 significant digits so that 0.1 steps read 0.3, not 0.30000000000000004.
    const values = Array.from({ length: steps }, (_, i) => (i === steps - 1 ? hi : Number((lo + ((hi - lo) * i) / (steps - 1)).toPrecision(12))));
    return { spec, path, kind: { type: 'values', values } };
  }
  const items = rhs.split(',').map((x) => x.trim());
  if (items.some((x) => x === '')) throw bad(spec, 'empty item in the list of values');
  return { spec, path, kind: { type: 'values', values: items.map(value) } };
}

function checkDist(spec: string, name: DistName, a: readonly number[]): void {
  const [p, q, r, s] = a as [number, number, number?, number?];
  const fail = (why: string): never => {
    throw bad(spec, why, `dist(${DISTRIBUTIONS[name].usage.replace('(', ', ')}`);
  };
  if (name === 'uniform' && !(q > p)) fail('hi must be greater than lo');
  if (name === 'loguniform' && !(p > 0 && q > p)) fail('need 0 < lo < hi');
  if (name === 'triangular' && !(r !== undefined && p <= q && q <= r && r > p)) fail('need lo <= mode <= hi and lo < hi');
  if ((name === 'normal' || name === 'lognormal') && !(q > 0)) fail(`${name === 'normal' ? 'sd' : 'sigma'} must be positive`);
  if (name === 'lognormal' && r !== undefined && !(r >= 0)) fail('the lower bound of a lognormal must be at least 0');
  if (r !== undefined && s !== undefined && !(s > r)) fail('the truncation range is empty: hi must be greater than lo');
}

/** Whether the spec has a finite list of values (grid designs need one). */
export function isDiscrete(v: VarySpec): v is VarySpec & { kind: { type: 'values' } } {
  return v.kind.type === 'values';
}

/** The value at quantile u in [0, 1) of the spec (random and lhs designs). */
export function quantile(v: VarySpec, u: number): ParamValue {
  const k = v.kind;
  if (k.type === 'values') return k.values[Math.min(k.values.length - 1, Math.floor(u * k.values.length))] as ParamValue;
  if (k.type === 'range') return k.lo + u * (k.hi - k.lo);
  const [p, q, r, s] = k.args as [number, number, number?, number?];
  switch (k.name) {
    case 'uniform':
      return p + u * (q - p);
    case 'loguniform':
      return Math.exp(Math.log(p) + u * (Math.log(q) - Math.log(p)));
    case 'triangular': {
      const hi = r as number;
      const c = (q - p) / (hi - p);
      return u < c ? p + Math.sqrt(u * (hi - p) * (q - p)) : hi - Math.sqrt((1 - u) * (hi - p) * (hi - q));
    }
    case 'normal':
    case 'lognormal': {
      const log = k.name === 'lognormal';
      const t = (x: number | undefined, inf: number): number => (x === undefined ? inf : log ? (x <= 0 ? -Infinity : Math.log(x)) : x);
      const fLo = jStat.normal.cdf(t(r, -Infinity), p, q);
      const fHi = jStat.normal.cdf(t(s, Infinity), p, q);
      // Keep strictly inside (0, 1): the inverse normal is infinite at the ends.
      const w = Math.min(Math.max(fLo + u * (fHi - fLo), 1e-15), 1 - 1e-15);
      const x = jStat.normal.inv(w, p, q);
      return log ? Math.exp(x) : x;
    }
  }
}

/** The --set text of a value. */
export function setText(v: ParamValue): string {
  return typeof v === 'string' ? v : String(v);
}

/** An InputError raised for a --set the sweep built, reworded to name the --vary spec it came from. */
export function relabel(e: InputError, setArg: string, spec: string): InputError {
  return new InputError(
    e.problems.map((p) => ({
      ...p,
      ...(p.path === '--set' ? { path: '--vary' } : {}),
      ...(p.file === '--set' ? { file: '--vary' } : {}),
      message: p.message.replaceAll(`--set ${setArg}`, `--vary ${spec} (value ${setArg.slice(setArg.indexOf('=') + 1)})`),
    })),
  );
}
