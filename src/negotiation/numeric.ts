/**
 * Small one-dimensional numeric tools shared by the offer index and the bargaining solutions.
 * Deterministic: the same inputs always give the same floating-point answer, so fixed-point iterations
 * built on them settle instead of jittering.
 */

/** Bisection stops once the bracket is this narrow relative to its magnitude (well below the 1e-12 we promise). */
const BISECT_RELATIVE_WIDTH = 1e-15;
const BISECT_MAX_ITERATIONS = 200;

/**
 * The point nearest to `bad` at which `holds` is still true, given holds(good) and not holds(bad).
 * `good` may lie on either side of `bad`. Works on any predicate that switches once between them.
 */
export function bisectBoundary(holds: (x: number) => boolean, good: number, bad: number): number {
  let g = good;
  let b = bad;
  for (let i = 0; i < BISECT_MAX_ITERATIONS; i++) {
    const width = Math.abs(b - g);
    if (width <= BISECT_RELATIVE_WIDTH * Math.max(1, Math.abs(g), Math.abs(b))) break;
    const mid = g + (b - g) / 2;
    if (mid === g || mid === b) break;
    if (holds(mid)) g = mid;
    else b = mid;
  }
  return g;
}

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/** Maximiser of a unimodal `f` on [lo, hi] by golden-section search, to a bracket of `tol`. */
export function goldenSectionMax(f: (x: number) => number, lo: number, hi: number, tol = 1e-12): number {
  let a = lo;
  let b = hi;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 400 && b - a > tol; i++) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = f(d);
    }
  }
  // Compare the final interior point with the ends: a maximum on the boundary is common (one-sided IR sets).
  const mid = (a + b) / 2;
  let best = mid;
  let fBest = f(mid);
  for (const x of [lo, hi]) {
    const fx = f(x);
    if (fx > fBest) {
      best = x;
      fBest = fx;
    }
  }
  return best;
}

/**
 * Maximiser of a possibly multimodal `f` on [lo, hi]: a coarse scan picks the best cell, golden section
 * refines inside it. Robust for the smooth utilities we meet; exact for unimodal ones.
 */
export function maximise1d(f: (x: number) => number, lo: number, hi: number, cells = 1024): number {
  let bestI = 0;
  let bestF = -Infinity;
  for (let i = 0; i <= cells; i++) {
    const fx = f(lo + ((hi - lo) * i) / cells);
    if (fx > bestF) {
      bestF = fx;
      bestI = i;
    }
  }
  if (bestF === -Infinity) return Number.NaN;
  const a = lo + ((hi - lo) * Math.max(0, bestI - 1)) / cells;
  const b = lo + ((hi - lo) * Math.min(cells, bestI + 1)) / cells;
  return goldenSectionMax(f, a, b);
}

/** +1 non-decreasing, -1 non-increasing (and not constant), null when the samples go both ways. */
export type Direction = 1 | -1;

/** Direction of `f` on [lo, hi] judged on `samples` + 1 evenly spaced points; constant counts as +1. */
export function monotoneDirection(f: (x: number) => number, lo: number, hi: number, samples = 256): Direction | null {
  let up = false;
  let down = false;
  let prev = f(lo);
  for (let i = 1; i <= samples; i++) {
    const cur = f(i === samples ? hi : lo + ((hi - lo) * i) / samples);
    if (!Number.isFinite(cur)) return null;
    if (cur > prev) up = true;
    else if (cur < prev) down = true;
    if (up && down) return null;
    prev = cur;
  }
  return down ? -1 : 1;
}

/** Tolerance for comparing utilities of magnitude around `x`. */
export function utilityTolerance(x: number, relative = 1e-12): number {
  return relative * Math.max(1, Math.abs(x));
}
