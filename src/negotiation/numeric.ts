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

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Positions 0..n-1 of `keys` (finite numbers) sorted by key ascending, ties by position: exactly the order
 * of a sort with the comparator (a, b) => keys[a] - keys[b] || a - b (+0 and -0 count as equal), found by a
 * stable least-significant-byte radix sort on the keys' order-preserving bit patterns. Linear: on a few
 * thousand outcomes it is several times faster than a comparator sort, which matters on cold caches.
 */
export function argsortAscending(keys: Float64Array): Int32Array {
  const n = keys.length;
  const bits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = keys[i] as number;
    bits[i] = v === 0 ? 0 : v; // -0 sorts with +0
  }
  const words = new Uint32Array(bits.buffer);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const [h, l] = LITTLE_ENDIAN ? [1, 0] : [0, 1];
  for (let i = 0; i < n; i++) {
    let a = words[2 * i + h] as number;
    let b = words[2 * i + l] as number;
    // Negative numbers: flip every bit (larger magnitude sorts first); others: set the sign bit.
    if (a >>> 31 === 1) {
      a = ~a >>> 0;
      b = ~b >>> 0;
    } else {
      a = (a | 0x80000000) >>> 0;
    }
    hi[i] = a;
    lo[i] = b;
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Int32Array(n);
  const count = new Int32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const word = pass < 4 ? lo : hi;
    const shift = (pass & 3) * 8;
    count.fill(0);
    for (let i = 0; i < n; i++) (count[((word[i] as number) >>> shift) & 255] as number)++;
    if (count[((word[0] ?? 0) >>> shift) & 255] === n) continue; // one digit value: nothing to reorder
    for (let d = 0, sum = 0; d < 256; d++) {
      const c = count[d] as number;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const o = order[i] as number;
      const d = ((word[o] as number) >>> shift) & 255;
      spare[count[d] as number] = o;
      count[d] = (count[d] as number) + 1;
    }
    [order, spare] = [spare, order];
  }
  return order;
}
