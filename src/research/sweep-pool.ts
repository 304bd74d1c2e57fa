/**
 * The worker threads of a sweep. Kept apart from the rest of the sweep code so that the CLI can start the
 * threads before it imports anything heavy: they then load their code while this thread loads its own.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { packageFile } from '../core/paths.js';
import type { ChunkResult, ChunkTask } from './sweep-worker.js';

/**
 * The worker's code as one file (esbuild, src/tools/bundle.ts): a thread then compiles one module, not the
 * ~160 files (zod, yaml, jstat, mathjs, the simulator) it imports, which took ~0.25 s of wall time and ~0.35 s
 * of CPU a thread against ~0.15 s and ~0.16 s. Named from the package root, as this module may itself be part
 * of a bundle elsewhere in dist/ (see src/core/paths.ts).
 */
const WORKER = packageFile('dist/research/sweep-worker.bundle.js');

/** Chunks each worker thread holds at once (queued in its port), so it never waits for this thread. */
export const AHEAD = 3;

export interface SweepPool {
  readonly threads: number;
  run(task: ChunkTask): Promise<ChunkResult>;
  destroy(): Promise<void>;
}

/** A whole-number option of a sweep within [min, max] (undefined: not given), else an InputError naming the flag. */
export function checkCount(v: number | undefined, flag: string, min: number, max: number): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < min || v > max)) {
    throw new InputError({ path: flag, message: 'not a valid value', expected: `a whole number from ${min} to ${max}`, found: String(v) });
  }
}

/** Bytes shared with every thread rather than cloned into each message. */
export function toShared(bytes: Uint8Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(sab).set(bytes);
  return sab;
}

/**
 * The worker threads of a sweep with `workers` evaluating threads: this thread is one of them, so K workers
 * start K-1 threads. Start it as early as possible: the threads load their code meanwhile, on a core that
 * this thread leaves idle. Null for one worker. The caller destroys it.
 */
export async function startSweepPool(workers: number): Promise<SweepPool | null> {
  checkCount(workers, '--workers', 1, 256);
  if (workers === 1) return null;
  if (!existsSync(WORKER)) throw new Error(`worker threads need the built package (${fileURLToPath(WORKER)} is missing): run npm run build`);
  const { Tinypool } = await import('tinypool');
  const threads = workers - 1;
  const pool = new Tinypool({ filename: WORKER.href, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: AHEAD, idleTimeout: 60_000 });
  return { threads, run: (task) => pool.run(task) as Promise<ChunkResult>, destroy: () => pool.destroy() };
}
