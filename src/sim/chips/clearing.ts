/**
 * Clearing a scarce supply among buyers whose demand falls with a price (docs/model.md, "Scarcity price").
 * Each buyer's demand is a non-increasing function of the shadow price λ (USD per chip above list); the
 * clearing price is the least λ in [lo, hi] at which total demand fits the supply. Bisection keeps it exact
 * to floating point for any monotone demand, including the deal quantities, which are not linear in λ.
 */

/** A buyer's demand (chips) at shadow price λ; must be non-increasing in λ and finite. */
export type DemandAt = (lambda: number) => number;

const ITERATIONS = 80;

function total(demands: readonly DemandAt[], lambda: number): number {
  let s = 0;
  for (let i = 0; i < demands.length; i++) s += (demands[i] as DemandAt)(lambda);
  return s;
}

/**
 * The clearing price: `lo` when total demand at `lo` fits `supply`, otherwise the least λ <= hi (to bisection
 * precision, on the side where demand fits) at which it does. `hi` must be a price at which demand fits
 * (every buyer priced out); if it does not, `hi` is returned and the caller's demands exceed supply there.
 */
export function clearingPrice(demands: readonly DemandAt[], supply: number, lo: number, hi: number): number {
  if (total(demands, lo) <= supply) return lo;
  let a = lo;
  let b = hi;
  for (let k = 0; k < ITERATIONS && b - a > 1e-9 * Math.max(1, Math.abs(b)); k++) {
    const m = (a + b) / 2;
    if (total(demands, m) <= supply) b = m;
    else a = m;
  }
  return b;
}
