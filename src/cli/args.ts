/**
 * Flag parsing on node:util parseArgs (no dependency, fast start-up), with errors turned into InputError so
 * that a bad flag gets the same clear message and exit code 2 as a bad scenario.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags of every command that runs a scenario (run, sensitivity, ...). */
export const SCENARIO_RUN_FLAGS = {
  seed: { type: 'string' },
  regime: { type: 'string' },
  rounds: { type: 'string' },
  set: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

export function parse(argv: readonly string[], options: Options, maxPositionals: number): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    if (positionals.length > maxPositionals) {
      throw new InputError({ path: positionals[maxPositionals] ?? '', message: 'unexpected argument', expected: `at most ${maxPositionals} argument(s)`, found: JSON.stringify(positionals[maxPositionals]) });
    }
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    if (e instanceof InputError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    const flag = /'(-{1,2}[^' ]+)/.exec(msg)?.[1];
    const names = Object.keys(options).map((k) => `--${k}`);
    const hint = flag && /Unknown option/.test(msg) ? didYouMean(flag, names) : '';
    throw new InputError({ path: flag ?? 'arguments', message: `${msg.replace(/\. To specify a positional.*$/s, '')}${hint}` });
  }
}

export function intFlag(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  const n = Number(s);
  if (!/^-?\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError({ path: `--${name}`, message: 'not a valid value', expected: `a whole number from ${min} to ${max}`, found: JSON.stringify(s) });
  }
  return n;
}

export function strings(v: unknown): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** A comma-separated list flag (--factors A,B): its trimmed non-empty items, or undefined when not given. */
export function listFlag(v: unknown): string[] | undefined {
  return typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined;
}
