/**
 * Sums for the round loop and the metrics: plain loops, in list order (the same terms in the same order as
 * `xs.reduce((a, b) => a + b, 0)`, so results are bit-identical), with no intermediate arrays. Arrays built
 * per round with `map` changed element kind (small integers or doubles) from run to run, which made the JIT
 * throw away and recompile the round loop in every worker thread.
 */
export function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

/** sum(xs.map(f)) without the intermediate array. */
export function sumBy<T>(xs: readonly T[], f: (x: T) => number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += f(xs[i] as T);
  return s;
}
