/**
 * Scenario discovery, pure (no I/O): PRIM (Friedman & Fisher 1999) with peeling and pasting, as used for
 * scenario discovery by Bryant & Lempert (2010) and the EMA Workbench (Kwakkel 2017), and a CART
 * classification tree (Breiman et al. 1984) as a second view.
 *
 * - Inputs are columns: numbers (restricted to [lo, hi]) or categories (restricted to a subset of levels).
 * - y is 1 for a case of interest (the --where condition holds), 0 otherwise.
 * - Peeling: from the box of all points, each step removes the peelAlpha share of the points in the box from
 *   one side of one numeric input (or one level of a category) - the peel leaving the highest density (mean
 *   of y), ties to the one keeping more points - until the box would hold less than massMin of the points or
 *   its density is 1. The trajectory records coverage (share of all cases of interest inside), density and
 *   mass (share of all points inside) after each step.
 * - The chosen box: with a density threshold, the box of the trajectory with the highest coverage among
 *   those at least that dense (as EMA's threshold); without one, the box least likely under no structure
 *   (the smallest binomial tail P(X >= cases inside | points inside, base rate)). Then pasting: widen a
 *   restricted input by pasteAlpha of the box's points (or give back a level) while density does not fall.
 * - Quasi-p-value of each restricted input (EMA's): with that restriction dropped, the density p_j of the
 *   wider box; qp = P(X >= H | X ~ Binomial(T, p_j)), H and T the cases of interest and points in the box:
 *   small when the restriction concentrates the cases of interest beyond chance. Restrictions whose
 *   quasi-p-value is alpha or more are dropped, the weakest first, while the box stays as good by the rule
 *   that chose it (as unlikely under no structure, or as dense as the threshold).
 * - Because the box is chosen by searching, those p-values are optimistic; so the whole search (peel,
 *   choose, paste) is also repeated on permuted y (a named stream), and the box counts as significant only
 *   when its statistic (the binomial tail against the base rate) beats that of all but alpha of the
 *   permutations.
 */
import type { BoxStats, Limit, PrimResult, RestrictedLimit, TrajectoryStep, TreeNode } from '../core/events.js';
import { stream } from '../core/rng.js';

export type { BoxStats, Limit, PrimResult, RestrictedLimit, TrajectoryStep, TreeNode };

export type InputColumn =
  | { readonly name: string; readonly kind: 'number'; readonly values: Float64Array }
  | { readonly name: string; readonly kind: 'category'; readonly values: readonly string[] };

export interface PrimOptions {
  readonly peelAlpha?: number;
  readonly pasteAlpha?: number;
  readonly massMin?: number;
  /** Choose the most covering box at least this dense (default: the smallest binomial tail). */
  readonly threshold?: number;
  /** Choose this step of the peeling trajectory (as EMA's inspect/select); the last when it is shorter. */
  readonly step?: number;
  readonly alpha?: number;
  /** Permutations of y for the significance of the search (0: none). */
  readonly permutations?: number;
  readonly masterSeed?: number;
}

export const PRIM_PERMUTATION_STREAM = 'discover/prim/permutation';

// ---------------------------------------------------------------------------------------------------------
// Binomial tail
// ---------------------------------------------------------------------------------------------------------

/** log Gamma (Lanczos, g = 7). */
function logGamma(x: number): number {
  const c = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (Numerical Recipes' betacf). */
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** log of the regularized incomplete beta I_x(a, b). */
function logBetaInc(a: number, b: number, x: number): number {
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  const front = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) return front + Math.log(betaCf(a, b, x)) - Math.log(a);
  const other = Math.exp(b * Math.log1p(-x) + a * Math.log(x) - (logGamma(a) + logGamma(b) - logGamma(a + b)) + Math.log(betaCf(b, a, 1 - x)) - Math.log(b));
  return Math.log1p(-Math.min(1, other));
}

/** log P(X >= k) for X ~ Binomial(n, p): log I_p(k, n - k + 1). */
export function logBinomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (p <= 0) return -Infinity;
  if (p >= 1) return 0;
  return Math.min(0, logBetaInc(k, n - k + 1, p));
}

// ---------------------------------------------------------------------------------------------------------
// Boxes
// ---------------------------------------------------------------------------------------------------------

interface Prepared {
  readonly cols: readonly InputColumn[];
  /** Numeric columns: point indices sorted by value. Categories: level of each point and the level names. */
  readonly order: readonly (Int32Array | null)[];
  readonly levelOf: readonly (Int32Array | null)[];
  readonly levels: readonly (readonly string[])[];
  readonly full: readonly Limit[];
  readonly n: number;
}

function prepare(cols: readonly InputColumn[], n: number): Prepared {
  const order: (Int32Array | null)[] = [];
  const levelOf: (Int32Array | null)[] = [];
  const levels: string[][] = [];
  const full: Limit[] = [];
  for (const c of cols) {
    if (c.kind === 'number') {
      const v = c.values;
      order.push(Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (v[a] as number) - (v[b] as number) || a - b));
      levelOf.push(null);
      levels.push([]);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, v[i] as number);
        hi = Math.max(hi, v[i] as number);
      }
      full.push({ name: c.name, kind: 'number', lo, hi });
    } else {
      const names = [...new Set(c.values)].sort();
      const at = new Map(names.map((x, i) => [x, i]));
      order.push(null);
      levelOf.push(Int32Array.from(c.values, (x) => at.get(x) as number));
      levels.push(names);
      full.push({ name: c.name, kind: 'category', levels: names });
    }
  }
  return { cols, order, levelOf, levels, full, n };
}

/** A box as per-column limits: [lo, hi] for numbers, an allowed-level mask for categories. */
interface Box {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly allowed: readonly Uint8Array[];
}

function fullBox(p: Prepared): Box {
  return {
    lo: Float64Array.from(p.full, (l) => (l.kind === 'number' ? l.lo : 0)),
    hi: Float64Array.from(p.full, (l) => (l.kind === 'number' ? l.hi : 0)),
    allowed: p.levels.map((ls) => new Uint8Array(ls.length).fill(1)),
  };
}

const copyBox = (b: Box): Box => ({ lo: Float64Array.from(b.lo), hi: Float64Array.from(b.hi), allowed: b.allowed.map((a) => Uint8Array.from(a)) });

/** Whether point i is inside box b on every column but `skip`. */
function inside(p: Prepared, b: Box, i: number, skip = -1): boolean {
  for (let j = 0; j < p.cols.length; j++) {
    if (j === skip) continue;
    const c = p.cols[j] as InputColumn;
    if (c.kind === 'number') {
      const v = c.values[i] as number;
      if (v < (b.lo[j] as number) || v > (b.hi[j] as number)) return false;
    } else if ((b.allowed[j] as Uint8Array)[(p.levelOf[j] as Int32Array)[i] as number] === 0) return false;
  }
  return true;
}

function maskOf(p: Prepared, b: Box, skip = -1): Uint8Array {
  const m = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) m[i] = inside(p, b, i, skip) ? 1 : 0;
  return m;
}

function countIn(mask: Uint8Array, y: Uint8Array): { n: number; hits: number } {
  let n = 0;
  let hits = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 1) {
      n++;
      hits += y[i] as number;
    }
  }
  return { n, hits };
}

function restrictedCount(p: Prepared, b: Box): number {
  let r = 0;
  p.full.forEach((f, j) => {
    if (f.kind === 'number' ? (b.lo[j] as number) > f.lo || (b.hi[j] as number) < f.hi : (b.allowed[j] as Uint8Array).includes(0)) r++;
  });
  return r;
}

function limitsOf(p: Prepared, b: Box, j: number): Limit {
  const f = p.full[j] as Limit;
  return f.kind === 'number' ? { name: f.name, kind: 'number', lo: b.lo[j] as number, hi: b.hi[j] as number } : { name: f.name, kind: 'category', levels: (p.levels[j] as string[]).filter((_, k) => (b.allowed[j] as Uint8Array)[k] === 1) };
}

interface Candidate {
  readonly box: Box;
  readonly n: number;
  readonly hits: number;
  readonly column: number;
}

/** Every single-step peel of box b (with its mask), none empty. */
function peels(p: Prepared, y: Uint8Array, b: Box, mask: Uint8Array, boxN: number, alpha: number): Candidate[] {
  const out: Candidate[] = [];
  const k = Math.max(1, Math.ceil(alpha * boxN));
  p.cols.forEach((c, j) => {
    if (c.kind === 'number') {
      const ord = p.order[j] as Int32Array;
      const v = c.values;
      // Lower side: the k-th smallest value inside the box becomes the new lower limit; every point below it
      // goes (ties at the limit stay, so a peel may remove fewer or, to move at all, more points).
      for (const side of ['lo', 'hi'] as const) {
        let seen = 0;
        let cut = Number.NaN;
        const step = side === 'lo' ? 1 : -1;
        for (let t = side === 'lo' ? 0 : p.n - 1; t >= 0 && t < p.n; t += step) {
          const i = ord[t] as number;
          if (mask[i] !== 1) continue;
          seen++;
          if (seen > k) {
            cut = v[i] as number;
            break;
          }
        }
        if (Number.isNaN(cut)) continue;
        const edge = side === 'lo' ? (b.lo[j] as number) : (b.hi[j] as number);
        if (cut === edge) {
          // The k points to remove tie with the edge: move to the next distinct value to remove them all.
          let next = Number.NaN;
          for (let t = side === 'lo' ? 0 : p.n - 1; t >= 0 && t < p.n; t += step) {
            const i = ord[t] as number;
            if (mask[i] === 1 && (v[i] as number) !== edge) {
              next = v[i] as number;
              break;
            }
          }
          if (Number.isNaN(next)) continue;
          cut = next;
        }
        let n = 0;
        let hits = 0;
        for (let i = 0; i < p.n; i++) {
          if (mask[i] !== 1) continue;
          const x = v[i] as number;
          if (side === 'lo' ? x >= cut : x <= cut) {
            n++;
            hits += y[i] as number;
          }
        }
        if (n === 0 || n === boxN) continue;
        const nb = copyBox(b);
        if (side === 'lo') nb.lo[j] = cut;
        else nb.hi[j] = cut;
        out.push({ box: nb, n, hits, column: j });
      }
    } else {
      const lv = p.levelOf[j] as Int32Array;
      const count = new Float64Array((p.levels[j] as string[]).length);
      const hitsBy = new Float64Array(count.length);
      for (let i = 0; i < p.n; i++) {
        if (mask[i] !== 1) continue;
        count[lv[i] as number] = (count[lv[i] as number] as number) + 1;
        hitsBy[lv[i] as number] = (hitsBy[lv[i] as number] as number) + (y[i] as number);
      }
      const present = Array.from(count).filter((x) => x > 0).length;
      if (present < 2) return;
      count.forEach((cnt, l) => {
        if (cnt === 0) return;
        const nb = copyBox(b);
        (nb.allowed[j] as Uint8Array)[l] = 0;
        let totalHits = 0;
        hitsBy.forEach((h) => (totalHits += h));
        out.push({ box: nb, n: boxN - cnt, hits: totalHits - (hitsBy[l] as number), column: j });
      });
    }
  });
  return out;
}

function better(a: { n: number; hits: number }, b: { n: number; hits: number }): boolean {
  const da = a.hits / a.n;
  const db = b.hits / b.n;
  return da > db + 1e-12 || (Math.abs(da - db) <= 1e-12 && a.n > b.n);
}

interface Peeled {
  readonly steps: TrajectoryStep[];
  readonly boxes: Box[];
}

function peelAll(p: Prepared, y: Uint8Array, cases: number, o: Required<Pick<PrimOptions, 'peelAlpha' | 'massMin'>>): Peeled {
  let box = fullBox(p);
  let mask: Uint8Array = new Uint8Array(p.n).fill(1);
  let { n, hits } = countIn(mask, y);
  const stats = (nn: number, hh: number): BoxStats => ({ coverage: cases > 0 ? hh / cases : 0, density: nn > 0 ? hh / nn : 0, mass: nn / p.n, n: nn, hits: hh });
  const steps: TrajectoryStep[] = [{ step: 0, ...stats(n, hits), restricted: 0, peeled: null }];
  const boxes: Box[] = [box];
  for (let step = 1; step < 10_000; step++) {
    if (hits === n) break;
    const cands = peels(p, y, box, mask, n, o.peelAlpha).filter((c) => c.n / p.n >= o.massMin);
    if (cands.length === 0) break;
    let best = cands[0] as Candidate;
    for (const c of cands) if (better(c, best)) best = c;
    box = best.box;
    mask = maskOf(p, box);
    ({ n, hits } = countIn(mask, y));
    steps.push({ step, ...stats(n, hits), restricted: restrictedCount(p, box), peeled: (p.cols[best.column] as InputColumn).name });
    boxes.push(box);
  }
  return { steps, boxes };
}

/** Widen box b while its density does not fall (and it gains points). */
function paste(p: Prepared, y: Uint8Array, b: Box, alpha: number): { box: Box; pasted: number } {
  let box = b;
  let mask: Uint8Array = maskOf(p, box);
  let cur = countIn(mask, y);
  let pasted = 0;
  for (let iter = 0; iter < 1000; iter++) {
    const k = Math.max(1, Math.ceil(alpha * cur.n));
    let best: Candidate | undefined;
    p.cols.forEach((c, j) => {
      const f = p.full[j] as Limit;
      if (c.kind === 'number' && f.kind === 'number') {
        const ord = p.order[j] as Int32Array;
        for (const side of ['lo', 'hi'] as const) {
          const edge = side === 'lo' ? (box.lo[j] as number) : (box.hi[j] as number);
          if (side === 'lo' ? edge <= f.lo : edge >= f.hi) continue;
          // The k nearest points outside this limit that are inside on every other column.
          let taken = 0;
          let cut = Number.NaN;
          const start = side === 'lo' ? p.n - 1 : 0;
          const step = side === 'lo' ? -1 : 1;
          for (let t = start; t >= 0 && t < p.n; t += step) {
            const i = ord[t] as number;
            const x = c.values[i] as number;
            if (side === 'lo' ? x >= edge : x <= edge) continue;
            if (!inside(p, box, i, j)) continue;
            taken++;
            cut = x;
            if (taken >= k) break;
          }
          if (Number.isNaN(cut)) continue;
          const nb = copyBox(box);
          if (side === 'lo') nb.lo[j] = cut;
          else nb.hi[j] = cut;
          const cnt = countIn(maskOf(p, nb), y);
          const cand = { box: nb, ...cnt, column: j };
          if (best === undefined || better(cand, best)) best = cand;
        }
      } else if (c.kind === 'category') {
        (box.allowed[j] as Uint8Array).forEach((a, l) => {
          if (a === 1) return;
          const nb = copyBox(box);
          (nb.allowed[j] as Uint8Array)[l] = 1;
          const cnt = countIn(maskOf(p, nb), y);
          const cand = { box: nb, ...cnt, column: j };
          if (best === undefined || better(cand, best)) best = cand;
        });
      }
    });
    const chosen: Candidate | undefined = best;
    if (chosen === undefined || chosen.n <= cur.n || chosen.hits / chosen.n < cur.hits / cur.n - 1e-12) break;
    box = chosen.box;
    mask = maskOf(p, box);
    cur = { n: chosen.n, hits: chosen.hits };
    pasted++;
  }
  return { box, pasted };
}

interface Search {
  readonly peeled: Peeled;
  readonly chosen: number | null;
  readonly box: Box | null;
  readonly pasted: number;
  readonly dropped: Limit[];
  readonly stat: number;
}

/** Peel, choose, paste; stat: log binomial tail of the final box against the base rate (0 when no box). */
function search(p: Prepared, y: Uint8Array, o: Required<Omit<PrimOptions, 'threshold' | 'step' | 'permutations' | 'masterSeed'>> & { threshold: number | undefined; step: number | undefined }): Search {
  let cases = 0;
  for (let i = 0; i < p.n; i++) cases += y[i] as number;
  const base = cases / p.n;
  const peeled = peelAll(p, y, cases, o);
  let chosen: number | null = null;
  if (o.step !== undefined) chosen = Math.min(o.step, peeled.steps.length - 1);
  else if (o.threshold !== undefined) {
    peeled.steps.forEach((s, i) => {
      if (s.density >= (o.threshold as number) && (chosen === null || s.coverage > (peeled.steps[chosen] as TrajectoryStep).coverage)) chosen = i;
    });
  } else {
    let bestTail = Infinity;
    peeled.steps.forEach((s, i) => {
      const t = logBinomialTail(s.hits, s.n, base);
      if (i > 0 && t < bestTail - 1e-12) {
        bestTail = t;
        chosen = i;
      }
    });
  }
  if (chosen === null) return { peeled, chosen, box: null, pasted: 0, dropped: [], stat: 0 };
  const pasted = paste(p, y, peeled.boxes[chosen] as Box, o.pasteAlpha);
  // Drop, one at a time and the weakest first, restrictions whose quasi-p-value is not below alpha (they do not
  // concentrate the cases of interest beyond chance; EMA leaves this to the analyst), but only while the box
  // stays as good by the rule that chose it: as unlikely under no structure, or at least as dense as the
  // threshold. A restriction that is weak alone but sharpens the box with the others stays.
  let box = pasted.box;
  const dropped: Limit[] = [];
  const good = (b: Box): number => {
    const c = countIn(maskOf(p, b), y);
    return c.n === 0 ? Infinity : logBinomialTail(c.hits, c.n, base);
  };
  const dense = (b: Box): boolean => {
    const c = countIn(maskOf(p, b), y);
    return c.n > 0 && c.hits / c.n >= (o.threshold ?? 0);
  };
  for (;;) {
    const current = good(box);
    const weak = quasiPs(p, y, box).filter((r) => r.quasiP >= o.alpha).sort((a, b) => b.quasiP - a.quasiP);
    let next: { box: Box; limit: Limit } | undefined;
    for (const w of weak) {
      const nb = copyBox(box);
      const f = p.full[w.column] as Limit;
      if (f.kind === 'number') {
        nb.lo[w.column] = f.lo;
        nb.hi[w.column] = f.hi;
      } else (nb.allowed[w.column] as Uint8Array).fill(1);
      if (o.threshold !== undefined && o.step === undefined ? dense(nb) : good(nb) <= current + 1e-9) {
        next = { box: nb, limit: w.limit };
        break;
      }
    }
    if (next === undefined) break;
    dropped.push(next.limit);
    box = next.box;
  }
  const cnt = countIn(maskOf(p, box), y);
  return { peeled, chosen, box, pasted: pasted.pasted, dropped, stat: restrictedCount(p, box) === 0 ? 0 : logBinomialTail(cnt.hits, cnt.n, base) };
}

/** Each restricted input of box b with its quasi-p-value (EMA's: the box's cases against the density without it). */
function quasiPs(p: Prepared, y: Uint8Array, b: Box): { column: number; limit: Limit; full: Limit; quasiP: number }[] {
  const cnt = countIn(maskOf(p, b), y);
  const out: { column: number; limit: Limit; full: Limit; quasiP: number }[] = [];
  p.full.forEach((f, j) => {
    const isRestricted = f.kind === 'number' ? (b.lo[j] as number) > f.lo || (b.hi[j] as number) < f.hi : (b.allowed[j] as Uint8Array).includes(0);
    if (!isRestricted) return;
    const wider = countIn(maskOf(p, b, j), y);
    out.push({ column: j, limit: limitsOf(p, b, j), full: f, quasiP: Math.exp(logBinomialTail(cnt.hits, cnt.n, wider.hits / wider.n)) });
  });
  return out;
}

function checkOptions(o: PrimOptions): void {
  const frac = (x: number | undefined, name: string, lo: number, hi: number): void => {
    if (x !== undefined && !(x > lo && x < hi)) throw new RangeError(`${name} must be between ${lo} and ${hi}`);
  };
  frac(o.peelAlpha, 'peelAlpha', 0, 0.5);
  frac(o.pasteAlpha, 'pasteAlpha', 0, 0.5);
  frac(o.massMin, 'massMin', 0, 1);
  frac(o.alpha, 'alpha', 0, 1);
  if (o.threshold !== undefined && !(o.threshold > 0 && o.threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  if (o.step !== undefined && !(Number.isSafeInteger(o.step) && o.step >= 1)) throw new RangeError('step must be a whole number >= 1');
}

/** PRIM on columns `cols` (each of length y.length) and y (1: a case of interest). */
export function prim(cols: readonly InputColumn[], y: Uint8Array, opts: PrimOptions = {}): PrimResult {
  checkOptions(opts);
  const alpha = opts.alpha ?? 0.05;
  const o = { peelAlpha: opts.peelAlpha ?? 0.05, pasteAlpha: opts.pasteAlpha ?? 0.05, massMin: opts.massMin ?? 0.05, threshold: opts.threshold, step: opts.step, alpha };
  const permutations = opts.permutations ?? 200;
  const n = y.length;
  const p = prepare(cols, n);
  let cases = 0;
  for (let i = 0; i < n; i++) cases += y[i] as number;
  const base = n > 0 ? cases / n : 0;
  const rule = o.step !== undefined ? `step ${o.step} of the trajectory` : o.threshold !== undefined ? `the most covering box with density >= ${o.threshold}` : 'the box least likely under no structure (smallest binomial tail against the base rate)';
  if (n === 0 || cases === 0 || cases === n || cols.length === 0) {
    const peeled = { steps: [{ step: 0, coverage: cases > 0 ? 1 : 0, density: base, mass: 1, n, hits: cases, restricted: 0, peeled: null }] };
    return { n, cases, baseRate: base, trajectory: peeled.steps, chosenStep: null, rule, box: null, permutation: null, alpha, significant: false };
  }
  const found = search(p, y, o);
  let box: PrimResult['box'] = null;
  if (found.box !== null) {
    const b = found.box;
    const cnt = countIn(maskOf(p, b), y);
    const restricted: RestrictedLimit[] = quasiPs(p, y, b).map(({ limit, full, quasiP }) => ({ limit, full, quasiP }));
    box = { coverage: cnt.hits / cases, density: cnt.hits / cnt.n, mass: cnt.n / n, n: cnt.n, hits: cnt.hits, pasted: found.pasted, dropped: found.dropped, restricted, logTail: found.stat };
  }
  let permutation: PrimResult['permutation'] = null;
  if (permutations > 0 && box !== null) {
    const u = stream(opts.masterSeed ?? 1, PRIM_PERMUTATION_STREAM);
    const perm = Uint8Array.from(y);
    let asExtreme = 0;
    for (let r = 0; r < permutations; r++) {
      for (let i = n - 1; i > 0; i--) {
        const k = Math.floor(u() * (i + 1));
        const t = perm[i] as number;
        perm[i] = perm[k] as number;
        perm[k] = t;
      }
      if (search(p, perm, o).stat <= found.stat + 1e-9) asExtreme++;
    }
    permutation = { permutations, p: (1 + asExtreme) / (1 + permutations), stream: PRIM_PERMUTATION_STREAM };
  }
  const significant = box !== null && box.restricted.length > 0 && (permutation === null ? box.restricted.every((r) => r.quasiP < alpha) : permutation.p < alpha);
  return { n, cases, baseRate: base, trajectory: found.peeled.steps, chosenStep: found.chosen, rule, box, permutation, alpha, significant };
}

// ---------------------------------------------------------------------------------------------------------
// CART
// ---------------------------------------------------------------------------------------------------------

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString());

/** A binary classification tree (Gini impurity), at most `depth` deep, leaves of at least `minLeaf` points. */
export function cart(cols: readonly InputColumn[], y: Uint8Array, opts: { depth?: number; minLeaf?: number } = {}): TreeNode {
  const depth = opts.depth ?? 3;
  const n = y.length;
  const minLeaf = Math.max(1, opts.minLeaf ?? Math.ceil(0.05 * n));
  const p = prepare(cols, n);
  const gini = (cnt: number, h: number): number => (cnt === 0 ? 0 : 2 * (h / cnt) * (1 - h / cnt) * cnt);
  const grow = (mask: Uint8Array, condition: string, level: number): TreeNode => {
    const { n: cnt, hits } = countIn(mask, y);
    const node = { condition, n: cnt, hits, density: cnt > 0 ? hits / cnt : 0 };
    if (level >= depth || hits === 0 || hits === cnt || cnt < 2 * minLeaf) return { ...node, children: [] };
    const parent = gini(cnt, hits);
    let best: { gain: number; left: Uint8Array; right: Uint8Array; lc: string; rc: string } | undefined;
    p.cols.forEach((c, j) => {
      if (c.kind === 'number') {
        const ord = p.order[j] as Int32Array;
        let ln = 0;
        let lh = 0;
        let prev = Number.NaN;
        for (let t = 0; t < n; t++) {
          const i = ord[t] as number;
          if (mask[i] !== 1) continue;
          const x = c.values[i] as number;
          if (ln >= minLeaf && cnt - ln >= minLeaf && x !== prev) {
            const gain = parent - gini(ln, lh) - gini(cnt - ln, hits - lh);
            if (best === undefined || gain > best.gain + 1e-12) {
              const cut = (prev + x) / 2;
              const left = new Uint8Array(n);
              const right = new Uint8Array(n);
              for (let q = 0; q < n; q++) if (mask[q] === 1) (((c.values[q] as number) <= cut) ? left : right)[q] = 1;
              best = { gain, left, right, lc: `${c.name} <= ${fmt(cut)}`, rc: `${c.name} > ${fmt(cut)}` };
            }
          }
          ln++;
          lh += y[i] as number;
          prev = x;
        }
      } else {
        // Binary outcome: the best subset split is among the levels ordered by their share of cases (Breiman).
        const lv = p.levelOf[j] as Int32Array;
        const names = p.levels[j] as string[];
        const cn = new Float64Array(names.length);
        const ch = new Float64Array(names.length);
        for (let i = 0; i < n; i++) {
          if (mask[i] !== 1) continue;
          cn[lv[i] as number] = (cn[lv[i] as number] as number) + 1;
          ch[lv[i] as number] = (ch[lv[i] as number] as number) + (y[i] as number);
        }
        const present = names.map((_, l) => l).filter((l) => (cn[l] as number) > 0).sort((a, b) => (ch[a] as number) / (cn[a] as number) - (ch[b] as number) / (cn[b] as number) || a - b);
        let ln = 0;
        let lh = 0;
        for (let s = 0; s < present.length - 1; s++) {
          const l = present[s] as number;
          ln += cn[l] as number;
          lh += ch[l] as number;
          if (ln < minLeaf || cnt - ln < minLeaf) continue;
          const gain = parent - gini(ln, lh) - gini(cnt - ln, hits - lh);
          if (best === undefined || gain > best.gain + 1e-12) {
            const leftSet = new Set(present.slice(0, s + 1));
            const left = new Uint8Array(n);
            const right = new Uint8Array(n);
            for (let q = 0; q < n; q++) if (mask[q] === 1) (leftSet.has(lv[q] as number) ? left : right)[q] = 1;
            const set = (ls: number[]): string => `{${ls.map((x) => names[x]).sort().join(', ')}}`;
            best = { gain, left, right, lc: `${c.name} in ${set(present.slice(0, s + 1))}`, rc: `${c.name} in ${set(present.slice(s + 1))}` };
          }
        }
      }
    });
    const split = best as { gain: number; left: Uint8Array; right: Uint8Array; lc: string; rc: string } | undefined;
    if (split === undefined || split.gain <= 1e-12) return { ...node, children: [] };
    return { ...node, children: [grow(split.left, split.lc, level + 1), grow(split.right, split.rc, level + 1)] };
  };
  return grow(new Uint8Array(n).fill(1), 'all', 0);
}
