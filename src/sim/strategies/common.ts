/** Pieces every strategy shares: constant actions, parameter resolution, acceptance guards. */
import { remember } from '../../negotiation/cache.js';
import { discounted, meetsReservation } from '../../negotiation/mechanism.js';
import { utilityTolerance } from '../../negotiation/numeric.js';
import type { Action, NegotiationView, OfferRecord, Preferences, StrategyMeta } from '../../negotiation/types.js';

export const ACCEPT: Action = Object.freeze({ type: 'accept' });
export const END: Action = Object.freeze({ type: 'end' });

const defaultsByMeta = new WeakMap<StrategyMeta, Readonly<Record<string, number>>>();

function defaults(meta: StrategyMeta): Readonly<Record<string, number>> {
  let d = defaultsByMeta.get(meta);
  if (d === undefined) {
    d = Object.freeze(Object.fromEntries(Object.entries(meta.params).map(([name, spec]) => [name, spec.default])));
    defaultsByMeta.set(meta, d);
  }
  return d;
}

/** Defaults filled in, every given value checked against the meta's ranges. */
export function resolveParams(meta: StrategyMeta, given: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  const keys = Object.keys(given);
  if (keys.length === 0) return defaults(meta); // the common case, once per negotiation
  const out: Record<string, number> = { ...defaults(meta) };
  for (const name of keys) {
    const value = given[name] ?? Number.NaN;
    const spec = Object.hasOwn(meta.params, name) ? meta.params[name] : undefined;
    if (spec === undefined) throw new RangeError(`strategy ${meta.name} has no parameter "${name}"`);
    if (!Number.isFinite(value) || value < spec.min || value > spec.max) {
      throw new RangeError(`strategy ${meta.name}: ${name} must be in [${spec.min}, ${spec.max}], got ${value}`);
    }
    out[name] = value;
  }
  return out;
}

/** A resolved parameter (resolveParams guarantees presence for declared names). */
export function param(params: Readonly<Record<string, number>>, name: string): number {
  const v = params[name];
  if (v === undefined) throw new Error(`parameter "${name}" missing after resolution`);
  return v;
}

/** Whether accepting `offer` keeps the acceptor at or above its reservation value once discounted. */
export function acceptable(view: NegotiationView, offer: OfferRecord): boolean {
  return meetsReservation(discounted(view.own, offer.utilities[view.self], offer.step), view.own.reservation);
}

/** The offer's utility to the viewer reaches `level` (up to rounding). */
export function reaches(view: NegotiationView, offer: OfferRecord, level: number): boolean {
  return offer.utilities[view.self] >= level - utilityTolerance(level);
}

/**
 * Lowest undiscounted utility worth proposing at `step`: below it even an immediate acceptance would pay
 * less than walking away.
 */
export function reservationFloor(prefs: Preferences, step: number): number {
  return prefs.discount === 1 ? prefs.reservation : prefs.reservation / Math.pow(prefs.discount, step);
}

/** The opponent's preferences, which complete-information strategies cannot work without. */
export function requireOpponent(view: NegotiationView, strategy: string): Preferences {
  if (view.opponent === undefined) throw new Error(`strategy ${strategy} needs complete information (the opponent's preferences)`);
  return view.opponent;
}

/** d^0, d^1, ... by discount factor d, each exactly Math.pow(d, k); grown on demand, shared by every negotiation. */
const powerTables = new Map<number, number[]>();
const POWER_TABLES = 64;

/**
 * One party's discounting with d^k tabulated: the same numbers as discounted / reservationFloor / acceptable
 * (u * d^k equals u when d = 1), without a Math.pow per call on every turn.
 */
export class Discounting {
  private readonly prefs: Preferences;
  private readonly powers: number[];

  constructor(prefs: Preferences) {
    this.prefs = prefs;
    let powers = powerTables.get(prefs.discount);
    if (powers === undefined) powers = remember(powerTables, prefs.discount, [1], POWER_TABLES);
    this.powers = powers;
  }

  /** d^step, exactly Math.pow(d, step). */
  power(step: number): number {
    const powers = this.powers;
    while (powers.length <= step) powers.push(Math.pow(this.prefs.discount, powers.length));
    return powers[step] as number;
  }

  /** Present value of `utility` agreed on offer `step` (= discounted(prefs, utility, step)). */
  present(utility: number, step: number): number {
    return utility * this.power(step);
  }

  /** = reservationFloor(prefs, step). */
  floor(step: number): number {
    return this.prefs.reservation / this.power(step);
  }

  /** Whether `utility` agreed on offer `step` is worth at least the reservation value (= acceptable). */
  worthAccepting(utility: number, step: number): boolean {
    return meetsReservation(utility * this.power(step), this.prefs.reservation);
  }
}
