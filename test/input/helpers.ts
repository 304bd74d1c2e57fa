import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/core/errors.js';
import type { InputProblem } from '../../src/core/errors.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/input/', import.meta.url));

export function fixture(name: string): string {
  return `${FIXTURES}${name}`;
}

/** Runs `f`, which must throw an InputError; returns it. */
export function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

export async function inputErrorAsync(f: () => Promise<unknown>): Promise<InputError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

/** The problem at `path` (exact match), failing clearly when missing. */
export function problemAt(e: InputError, path: string): InputProblem {
  const p = e.problems.find((x) => x.path === path);
  if (p === undefined) throw new Error(`no problem at ${path}; problems:\n${e.message}`);
  return p;
}
