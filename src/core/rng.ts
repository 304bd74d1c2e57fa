/**
 * Seeded randomness. One master seed per run; every consumer gets its own stream derived from the master seed
 * and a stable name ("run/0/country/IND/leakage"), never from an index or call order, so adding a country or
 * reordering the scenario file leaves every other stream's draws unchanged.
 */
import seedrandom from 'seedrandom';

export const RNG_ALGORITHM = 'seedrandom alea; stream seed = "<master seed>/<stream name>"';

export type Uniform = () => number;

/** A uniform [0,1) stream for `name` under `masterSeed`. */
export function stream(masterSeed: number | string, name: string): Uniform {
  const prng = seedrandom.alea(`${masterSeed}/${name}`);
  return () => prng();
}

/** A namespace of streams: `streams(seed).child('run/0').stream('country/IND/leakage')`. */
export interface Streams {
  readonly prefix: string;
  child(name: string): Streams;
  stream(name: string): Uniform;
}

export function streams(masterSeed: number | string, prefix = ''): Streams {
  const join = (name: string): string => (prefix ? `${prefix}/${name}` : name);
  return {
    prefix,
    child: (name) => streams(masterSeed, join(name)),
    stream: (name) => stream(masterSeed, join(name)),
  };
}

/** Standard normal draw by Box-Muller (one draw per call keeps streams simple to reason about). */
export function normal(u: Uniform): number {
  const u1 = Math.max(u(), Number.MIN_VALUE);
  const u2 = u();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
