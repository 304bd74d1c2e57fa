/**
 * What the exporter and one country bargain over, and what each side gets from a package (docs/model.md,
 * "Deals").
 *
 * A package is a set of concessions: a tariff cut, an investment pledge, a purchase commitment and a security
 * commitment. It buys the chips it pays for: the exporter grants chips up to the point where the package no
 * longer covers their opportunity cost (the scarcity price λ plus the expected leakage cost, less what keeping
 * the country off the rival is worth to it), and never beyond the pair's efficient quantity (where the
 * country's marginal value of a chip equals the list price plus that cost). So chips are continuous, a more
 * generous package buys weakly more chips, and the bargaining decides which package.
 *
 * Payoffs are in USD bn over one deal term; the engine sees them divided by a positive per-side scale, which
 * changes neither the Pareto frontier nor the Nash or Kalai-Smorodinsky solutions.
 */
import type { CompiledExpression } from '../../core/expr.js';
import type { ChipsScenario, Country } from '../../core/scenario/schema.js';
import type { Issue, Outcome, OutcomeCoding, OutcomeSpace } from '../../negotiation/types.js';
import { quantityAt, surplus, type LinearDemand } from './demand.js';

/** Concession issues, in the order they appear in an outcome (chips are derived, not an issue). */
export const CONCESSION_ISSUES = ['tariff', 'investment', 'purchases', 'security'] as const;
export type ConcessionIssue = (typeof CONCESSION_ISSUES)[number];

export interface DealSpace {
  readonly issues: readonly Issue[];
  /** Issue name -> index in an outcome, or -1 when the issue is not on the table for this country. */
  readonly index: Readonly<Record<ConcessionIssue, number>>;
  /**
   * Every concession bundle (tariff x investment x purchases on their grids), cheapest for the country first
   * (ties: most valuable to the exporter at full trust first). Fixed per country, so each negotiation only
   * scans it for the bundles worth keeping at its trust.
   */
  readonly bundles: {
    readonly tariff: Float64Array;
    readonly investment: Float64Array;
    readonly purchases: Float64Array;
    /** Tariff value (exporter and country alike), pledge value to the exporter before trust, face value, cost. */
    readonly tariffValue: Float64Array;
    readonly pledgeValue: Float64Array;
    readonly face: Float64Array;
    readonly cost: Float64Array;
  };
  /** Security levels on the table ([0] when the issue is off). */
  readonly security: readonly number[];
}

/** A package and the chips it buys. */
export interface DealTerms {
  readonly chips: number;
  readonly tariff: number;
  readonly investment: number;
  readonly purchases: number;
  readonly security: number;
}

export function dealSpace(s: ChipsScenario, c: Country): DealSpace {
  const g = s.negotiation.grid;
  const k = c.concessions;
  const candidates: readonly (Issue & { readonly on: boolean; readonly key: ConcessionIssue })[] = [
    { key: 'tariff', name: 'tariff', unit: 'percentage points', min: 0, max: k.maxTariff, steps: g.tariff, on: k.maxTariff > 0 && g.tariff > 1 },
    { key: 'investment', name: 'investment', unit: 'USD bn', min: 0, max: k.maxInvestment, steps: g.investment, on: k.maxInvestment > 0 && g.investment > 1 },
    { key: 'purchases', name: 'purchases', unit: 'USD bn', min: 0, max: k.maxPurchases, steps: g.purchases, on: k.maxPurchases > 0 && g.purchases > 1 },
    { key: 'security', name: 'security', unit: 'commitment 0-1', min: 0, max: 1, steps: g.security, on: g.security > 1 },
  ];
  const issues: Issue[] = [];
  const index = { tariff: -1, investment: -1, purchases: -1, security: -1 };
  for (const { on, key, ...issue } of candidates) {
    if (!on) continue;
    index[key] = issues.length;
    issues.push(issue);
  }
  const grid = (key: ConcessionIssue): number[] => {
    const iss = index[key] < 0 ? undefined : issues[index[key]];
    if (!iss) return [0];
    const n = iss.steps ?? 2;
    const out: number[] = [];
    for (let j = 0; j < n; j++) out.push(j === n - 1 ? iss.max : iss.min + ((iss.max - iss.min) * j) / (n - 1));
    return out;
  };
  const list: { t: number; i: number; p: number; tv: number; pv: number; face: number; cost: number }[] = [];
  for (const t of grid('tariff')) {
    for (const i of grid('investment')) {
      for (const p of grid('purchases')) {
        const tv = t * k.tariffValuePerPp;
        list.push({ t, i, p, tv, pv: i * k.investmentValue + p * k.purchaseValue, face: tv + i + p, cost: tv + i * k.investmentCost + p * k.purchaseCost });
      }
    }
  }
  list.sort((x, y) => x.cost - y.cost || y.tv + y.pv - (x.tv + x.pv));
  const col = (f: (b: (typeof list)[number]) => number): Float64Array => Float64Array.from(list, f);
  return {
    issues,
    index,
    bundles: { tariff: col((b) => b.t), investment: col((b) => b.i), purchases: col((b) => b.p), tariffValue: col((b) => b.tv), pledgeValue: col((b) => b.pv), face: col((b) => b.face), cost: col((b) => b.cost) },
    security: grid('security'),
  };
}

/** Everything about one negotiation that depends on the round: scarcity, trust, the rival, what is already bought. */
export interface DealPricing {
  /** The country's demand for the exporter's chips this round (per chip). */
  readonly demand: LinearDemand;
  /** Chips per round the country gets anyway this round (licence-free purchases at λ): the deal adds to them. */
  readonly baseline: number;
  /** Most chips per round a deal may add (regime bound). */
  readonly bound: number;
  /**
   * λ, the shadow price of a chip above list (USD per chip): what the marginal licence-free buyer or the domestic
   * market would pay on top of list. Down to -w.revenue × price, where supply is slack and a chip is worth nothing.
   */
  readonly lambda: number;
  /** Expected leakage cost per chip (USD) at security commitment 0 and 1 use `leakCost(s)`. */
  readonly leakPerChip: number;
  /** Trust in pledges and commitments (the relation score). */
  readonly trust: number;
  /** No-deal payoffs (USD bn over the term). */
  readonly exporterReservation: number;
  readonly countryReservation: number;
}

/** Variables an expression payoff may use: the terms, chipCost and the country's parameters. */
export const PAYOFF_VARIABLES = [
  'chips', 'tariff', 'investment', 'purchases', 'security', 'chipCost',
  'term', 'price', 'leakageCost', 'gdp', 'demand', 'value', 'relations', 'diversionRisk', 'enforcement', 'tier',
  'maxTariff', 'maxInvestment', 'maxPurchases',
] as const;

/**
 * Effective enforcement with a security commitment: the commitment closes part of the gap between the
 * country's own enforcement and perfect enforcement, in proportion to its level, its credibility and the trust
 * the exporter puts in the country.
 */
export function effectiveEnforcement(s: ChipsScenario, c: Country, security: number, trust: number): number {
  return c.enforcement + (1 - c.enforcement) * security * s.leakage.commitmentCredibility * trust;
}

/** One package on the table: its concessions, what it is worth to each side, and the chips it buys. */
export interface Package {
  readonly tariff: number;
  readonly investment: number;
  readonly purchases: number;
  readonly security: number;
  /** Value of the concessions to the exporter (USD bn over the term): Y. */
  readonly value: number;
  /** Tariff value plus pledges at face value (USD bn). */
  readonly face: number;
  /** What the concessions, security included, cost the country (USD bn over the term): K. */
  readonly cost: number;
  /** Chips per round the package buys. */
  readonly chips: number;
}

export interface DealEconomics {
  /**
   * The packages on the table, in order: by security commitment, then from the cheapest to the most generous.
   * Without custom payoff expressions, a package that costs the country more than another and is worth less
   * to the exporter is left out: both sides prefer the other, so no strategy would choose it.
   */
  readonly packages: readonly Package[];
  /** The engine's outcome space: one discrete issue, the package number. */
  readonly space: OutcomeSpace;
  packageOf(o: Outcome): Package;
  /** The exporter's opportunity cost of one chip at security level s (USD per chip per round). */
  chipCost(security: number): number;
  exporter(o: Outcome): number;
  country(o: Outcome): number;
  /** The same payoffs by package number (USD bn over the term). */
  readonly exporterTable: readonly number[];
  readonly countryTable: readonly number[];
  /** Most chips any package buys (what the clearing reserved). */
  readonly maxChips: number;
  /** Number of packages on the table. */
  readonly size: number;
  /** The packages as the concession issues a person types (the classroom), and back. */
  readonly coding: OutcomeCoding;
}

/** Higher exporter payoff first; then higher country payoff; then the earlier package. */
function before(ex: Float64Array, co: Float64Array, a: number, b: number): boolean {
  const da = ex[a] as number;
  const db = ex[b] as number;
  if (da !== db) return da > db;
  const ca = co[a] as number;
  const cb = co[b] as number;
  return ca !== cb ? ca > cb : a < b;
}

/**
 * The Pareto-optimal packages (in the two sides' payoffs), by exporter payoff descending. Packages come in blocks of
 * `nk`, one per security level, each from the cheapest bundle to the most generous. Within a block (built-in
 * payoffs), the packages that buy exactly what they pay for leave the exporter at its reservation, so only
 * the best of them for the country can be optimal; the rest buy the efficient quantity, so along the block
 * the exporter's payoff rises and the country's falls: each block is already a staircase, and merging the
 * blocks' staircases by exporter payoff is linear. Custom payoffs have no such shape: they are sorted.
 */
function paretoPackages(ex: Float64Array, co: Float64Array, atReservation: Uint8Array, n: number, nk: number, builtin: boolean): number[] {
  const lists: number[][] = [];
  if (builtin) {
    for (let b0 = 0; b0 < n; b0 += nk) {
      let bestA = -1;
      const list: number[] = [];
      for (let i = b0 + nk - 1; i >= b0; i--) {
        if (atReservation[i] === 1) {
          if (bestA < 0 || (co[i] as number) >= (co[bestA] as number)) bestA = i;
        } else {
          list.push(i);
        }
      }
      if (bestA >= 0) list.push(bestA);
      lists.push(list);
    }
  } else {
    lists.push(Array.from({ length: n }, (_, i) => i).sort((a, b) => (before(ex, co, a, b) ? -1 : 1)));
  }
  const heads = lists.map(() => 0);
  const out: number[] = [];
  let best = -Infinity;
  for (;;) {
    let pick = -1;
    let from = -1;
    lists.forEach((list, k) => {
      const i = list[heads[k] as number];
      if (i !== undefined && (pick < 0 || before(ex, co, i, pick))) {
        pick = i;
        from = k;
      }
    });
    if (pick < 0) break;
    heads[from] = (heads[from] as number) + 1;
    if ((co[pick] as number) > best) {
      out.push(pick);
      best = co[pick] as number;
    }
  }
  return out;
}

interface Scratch {
  readonly bundle: Int32Array;
  readonly security: Float64Array;
  readonly value: Float64Array;
  readonly chips: Float64Array;
  readonly ex: Float64Array;
  readonly co: Float64Array;
  readonly atReservation: Uint8Array;
  readonly position: Int32Array;
}
let scratch: Scratch | undefined;

/** Scratch columns of at least n rows (contents undefined). */
function scratchFor(n: number): Scratch {
  if (scratch === undefined || scratch.ex.length < n) {
    const cap = Math.max(n, 2 * (scratch?.ex.length ?? 0));
    scratch = {
      bundle: new Int32Array(cap),
      security: new Float64Array(cap),
      value: new Float64Array(cap),
      chips: new Float64Array(cap),
      ex: new Float64Array(cap),
      co: new Float64Array(cap),
      atReservation: new Uint8Array(cap),
      position: new Int32Array(cap),
    };
  }
  return scratch;
}

export function dealEconomics(
  s: ChipsScenario,
  c: Country,
  space: DealSpace,
  p: DealPricing,
  exprs: { readonly country?: CompiledExpression | undefined; readonly exporter?: CompiledExpression | undefined },
  /**
   * Which packages go on the table: `efficient` (those no other package beats on both cost to the country
   * and value to the exporter), `frontier` (only the Pareto-optimal ones in the two sides' payoffs: under
   * complete information no strategy proposes another), or `every` (a person may choose any).
   */
  menu: 'efficient' | 'frontier' | 'every' = 'efficient',
): DealEconomics {
  const T = s.negotiation.term;
  const price = s.exporter.price;
  const w = s.exporter.objective;
  const k = c.concessions;
  const custom = menu === 'every' || exprs.country !== undefined || exprs.exporter !== undefined;
  const leak = (security: number): number => w.security * p.leakPerChip * (1 - effectiveEnforcement(s, c, security, p.trust));
  // A chip's alternative use is worth w.revenue × price + λ to the exporter (a domestic or licence-free sale,
  // plus the premium the marginal such buyer would pay); λ = -w.revenue × price means supply is slack and the
  // chip would go unsold. The deal earns w.revenue × price, so the opportunity cost is λ plus the leakage cost.
  const chipCost = (security: number): number => p.lambda + leak(security);
  // The bundles worth keeping at this trust: scanning from the cheapest, a bundle stays only if it is worth
  // more to the exporter than every cheaper one (custom payoffs may not be monotone: then all stay).
  const B = space.bundles;
  const kept: number[] = [];
  const keptValue: number[] = [];
  let best = -Infinity;
  for (let j = 0; j < B.cost.length; j++) {
    const value = (B.tariffValue[j] as number) + p.trust * (B.pledgeValue[j] as number);
    if (custom || value > best + 1e-15) {
      kept.push(j);
      keptValue.push(value);
      if (value > best) best = value;
    }
  }
  // Every package (bundle x security level), as columns: a negotiation reads them many times and shows few.
  const S = space.security;
  const nk = kept.length;
  const n = nk * S.length;
  // Locals for the inner loop (property reads of scenario objects are what it would otherwise spend on).
  // Scratch columns shared by every call (a negotiation keeps only the packages on its table, copied out
  // below): most packages are left out, and allocating every column per negotiation was a tenth of the run.
  const w0 = scratchFor(n);
  const { bundle: pkBundle, security: pkSecurity, value: pkValue, chips: pkChips, ex, co } = w0;
  /** Packages that buy exactly what they pay for: the exporter is at its reservation, exactly. */
  const pkAtReservation = w0.atReservation;
  const costs = B.cost;
  const wc = w.concessions;
  const dX = p.exporterReservation;
  const secCost = k.securityCost;
  const base = p.baseline;
  const demand = p.demand;
  const bound = p.bound;
  let maxChips = 0;
  let at = 0;
  for (const security of S) {
    const cost = chipCost(security);
    const top = efficientDealChips(demand, price, base, bound, cost);
    const perChip = (T * cost) / 1e9;
    const secCostHere = security * secCost;
    for (let x = 0; x < nk; x++) {
      const j = kept[x] as number;
      const value = keptValue[x] as number;
      let chips = top;
      let atReservation = false;
      if (cost > 0) {
        // The most chips the package covers at the exporter's reservation: w·Y - T q cost = reservation.
        const q = (wc * value - dX) / perChip;
        chips = q <= 0 ? 0 : q < top ? q : top;
        atReservation = q < top;
      }
      pkBundle[at] = j;
      pkSecurity[at] = security;
      pkValue[at] = value;
      pkChips[at] = chips;
      pkAtReservation[at] = atReservation ? 1 : 0;
      // Exactly the reservation where the package buys what it pays for: a rounding residue would otherwise
      // look like a gain (or a loss) to the exporter once utilities are scaled.
      ex[at] = atReservation ? dX : wc * value - chips * perChip;
      co[at] = (T * surplus(demand, base, base + chips, price)) / 1e9 - ((costs[j] as number) + secCostHere);
      if (chips > maxChips) maxChips = chips;
      at++;
    }
  }
  /** Package i of the scratch columns, bundle j at security level sec. */
  const make = (j: number, security: number, value: number, chips: number): Package => ({
    tariff: B.tariff[j] as number,
    investment: B.investment[j] as number,
    purchases: B.purchases[j] as number,
    security,
    value,
    face: B.face[j] as number,
    cost: (B.cost[j] as number) + security * k.securityCost,
    chips,
  });
  const scope = (q: Package): Record<(typeof PAYOFF_VARIABLES)[number], number> => ({
    chips: q.chips,
    tariff: q.tariff,
    investment: q.investment,
    purchases: q.purchases,
    security: q.security,
    chipCost: chipCost(q.security),
    term: T,
    price,
    leakageCost: s.exporter.leakageCost,
    gdp: c.gdp,
    demand: c.demandPerRound,
    value: c.valuePerH100e,
    relations: p.trust,
    diversionRisk: c.diversionRisk,
    enforcement: c.enforcement,
    tier: c.tier,
    maxTariff: k.maxTariff,
    maxInvestment: k.maxInvestment,
    maxPurchases: k.maxPurchases,
  });
  if (exprs.exporter !== undefined || exprs.country !== undefined) {
    for (let i = 0; i < n; i++) {
      const q = make(pkBundle[i] as number, pkSecurity[i] as number, pkValue[i] as number, pkChips[i] as number);
      if (exprs.exporter) ex[i] = exprs.exporter.evaluate(scope(q));
      if (exprs.country) co[i] = exprs.country.evaluate(scope(q));
    }
  }
  // The packages on the table, by their number in the engine's space (package order), copied out of the
  // scratch columns; on the frontier menu, also their order by exporter payoff (the engine's frontier).
  let sel: number[];
  let frontierOrder: Int32Array | undefined;
  if (menu === 'frontier') {
    const byPayoff = paretoPackages(ex, co, pkAtReservation, n, nk, exprs.exporter === undefined && exprs.country === undefined);
    // Package order by marking, linear (typed-array sorts and allocations cost more than the work here).
    const position = w0.position.fill(-1, 0, n);
    for (const i of byPayoff) position[i] = 0;
    sel = [];
    for (let i = 0; i < n; i++) {
      if (position[i] === 0) {
        position[i] = sel.length;
        sel.push(i);
      }
    }
    frontierOrder = new Int32Array(byPayoff.length);
    for (let y = 0; y < byPayoff.length; y++) frontierOrder[y] = position[byPayoff[y] as number] as number;
  } else {
    sel = [];
    for (let i = 0; i < n; i++) sel.push(i);
  }
  const m = sel.length;
  const selBundle = new Array<number>(m);
  const selSecurity = new Array<number>(m);
  const selValue = new Array<number>(m);
  const selChips = new Array<number>(m);
  const exporterTable = new Array<number>(m);
  const countryTable = new Array<number>(m);
  for (let x = 0; x < m; x++) {
    const i = sel[x] as number;
    selBundle[x] = pkBundle[i] as number;
    selSecurity[x] = pkSecurity[i] as number;
    selValue[x] = pkValue[i] as number;
    selChips[x] = pkChips[i] as number;
    exporterTable[x] = ex[i] as number;
    countryTable[x] = co[i] as number;
  }
  const makeAt = (x: number): Package => make(selBundle[x] as number, selSecurity[x] as number, selValue[x] as number, selChips[x] as number);
  const index = (o: Outcome): number => Math.min(m - 1, Math.max(0, Math.round(o[0] ?? 0)));
  const packageOf = (o: Outcome): Package => makeAt(index(o));
  let packages: Package[] | undefined;
  const lookup = (table: readonly number[]) => (o: Outcome): number => table[index(o)] as number;
  return {
    get packages(): readonly Package[] {
      packages ??= Array.from({ length: m }, (_, x) => makeAt(x));
      return packages;
    },
    space: {
      issues: [{ name: 'package', unit: 'package number', min: 0, max: Math.max(1, m - 1), steps: Math.max(2, m) }],
      ...(frontierOrder ? { frontierOrder } : {}),
    },
    packageOf,
    chipCost,
    exporter: lookup(exporterTable),
    country: lookup(countryTable),
    exporterTable,
    countryTable,
    maxChips,
    size: m,
    coding: {
      issues: space.issues,
      decode: (o) => {
        const q = packageOf(o);
        return space.issues.map((iss) => q[iss.name as ConcessionIssue]);
      },
      encode: (terms) => {
        const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
        for (let x = 0; x < m; x++) {
          const q = makeAt(x);
          if (space.issues.every((iss, y) => close(q[iss.name as ConcessionIssue], terms[y] ?? NaN))) return [x];
        }
        return undefined;
      },
      derived: (o) => {
        const q = packageOf(o);
        return { chips: q.chips, valueToExporter: q.value, costToCountry: q.cost };
      },
    },
  };
}

/**
 * The chips a deal can add at opportunity cost `cost` per chip (USD): the efficient quantity (where the
 * country's marginal value equals list price plus the cost) on top of `baseline`, within `bound` and what
 * the country wants at list price. Deals, the clearing's reservation and its demand curve all use it.
 */
export function efficientDealChips(demand: LinearDemand, price: number, baseline: number, bound: number, cost: number): number {
  const want = quantityAt(demand, price) - baseline;
  return Math.max(0, Math.min(bound, quantityAt(demand, price + Math.max(0, cost)) - baseline, want));
}

/** Of `top` efficient chips, those a package worth `pays` (USD, net of the exporter's reservation) covers over `term` rounds at `cost` per chip. */
export function coveredDealChips(top: number, pays: number, term: number, cost: number): number {
  if (cost <= 0) return top;
  const q = pays / (term * cost);
  return q <= 0 ? 0 : q < top ? q : top;
}

/**
 * The most chips per round any package could buy at shadow price λ (the clearing reserves this much for the
 * country): the efficient quantity at the most secure commitment, capped by what the largest package pays for.
 */
export function maxDealChips(s: ChipsScenario, c: Country, space: DealSpace, p: DealPricing): number {
  const w = s.exporter.objective;
  const B = space.bundles;
  const last = B.cost.length - 1;
  // The most expensive bundle is worth the most (every issue raises the value), so it is always kept.
  let value = -Infinity;
  for (let j = 0; j <= last; j++) value = Math.max(value, (B.tariffValue[j] as number) + p.trust * (B.pledgeValue[j] as number));
  const security = space.security[space.security.length - 1] ?? 0;
  const cost = p.lambda + w.security * p.leakPerChip * (1 - effectiveEnforcement(s, c, security, p.trust));
  const top = efficientDealChips(p.demand, s.exporter.price, p.baseline, p.bound, cost);
  return coveredDealChips(top, (w.concessions * value - p.exporterReservation) * 1e9, s.negotiation.term, cost);
}

/** Licensed sales of a downgraded product: the exporter's gain per chip (USD) at shadow price λ. */
export function licenceGainPerChip(s: ChipsScenario, lic: { price: number; h100ePerChip: number; revenueShare: number; supplyPerRound: number | null }, lambda: number): number {
  const w = s.exporter.objective;
  const own = lic.supplyPerRound !== null;
  const alternative = own ? 0 : w.revenue * s.exporter.price + lambda;
  return w.revenue * lic.price + (w.fees - w.revenue) * lic.revenueShare * lic.price - w.security * s.exporter.leakageCost * lic.h100ePerChip - alternative;
}

/** The licence issue: licensed chips per round, 0 .. bound, on the chips grid. */
export function licenceIssue(s: ChipsScenario, bound: number, product: string): Issue {
  return { name: 'chips', unit: `${product} chips per round`, min: 0, max: Math.max(bound, 1e-9), steps: s.negotiation.grid.chips };
}

/** The adversary's surplus (USD bn over the term) of q licensed chips on top of compute `base` (H100e). */
export function licenceSurplus(s: ChipsScenario, demand: LinearDemand, base: number, q: number, lic: { price: number; h100ePerChip: number }): number {
  const T = s.negotiation.term;
  return (T * surplus(demand, base, base + q * lic.h100ePerChip, lic.price / lic.h100ePerChip)) / 1e9;
}
