/**
 * Linear demand curves and the surplus under them (docs/model.md, "Demand"). Every buyer in the chip world has
 * one: its marginal value of the first unit is `top`, falling linearly to the list price `price` at `atPrice`
 * units (the quantity it wants at list price) and on towards zero. A buyer facing a price P buys
 * `quantityAt(d, P)`; the surplus of units `from..to` bought at P is the area between the curve and P.
 */
export interface LinearDemand {
  /** Marginal value of the first unit (USD per unit). */
  readonly top: number;
  /** The list price at which the buyer wants `atPrice` units (USD per unit). */
  readonly price: number;
  /** Units wanted at list price. */
  readonly atPrice: number;
}

/** Marginal value of unit q (may fall below zero far beyond atPrice; callers never buy there). */
export function marginalValue(d: LinearDemand, q: number): number {
  if (d.atPrice <= 0) return -Infinity;
  if (d.top <= d.price) return q < d.atPrice ? d.top : -Infinity;
  return d.top - ((d.top - d.price) * q) / d.atPrice;
}

/** Units wanted at price P (>= 0). A curve with top <= price is a step: atPrice units up to P = top. */
export function quantityAt(d: LinearDemand, p: number): number {
  if (d.atPrice <= 0) return 0;
  if (d.top <= d.price) return p <= d.top ? d.atPrice : 0;
  const q = (d.atPrice * (d.top - p)) / (d.top - d.price);
  return q > 0 ? q : 0;
}

/** ∫ from..to (marginal value - P) dq: the buyer's surplus of units from..to bought at price P. */
export function surplus(d: LinearDemand, from: number, to: number, p: number): number {
  if (to <= from || d.atPrice <= 0) return 0;
  if (d.top <= d.price) return (d.top - p) * Math.max(0, Math.min(to, d.atPrice) - from);
  const slope = (d.top - d.price) / d.atPrice;
  return (d.top - p) * (to - from) - (slope * (to * to - from * from)) / 2;
}

/** The same curve scaled in quantity (demand growth, a switch of part of it to the rival stack). */
export function scaled(d: LinearDemand, factor: number): LinearDemand {
  return { top: d.top, price: d.price, atPrice: d.atPrice * factor };
}
