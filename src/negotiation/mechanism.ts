/**
 * The stacked alternating offers protocol (SAO).
 *
 * Offer k (k = 0 .. deadline-1) is made by party (firstProposer + k) % 2. On its turn a party answers the
 * offer on the table (accept), makes the next offer (which rejects the one on the table) or ends. An
 * agreement on offer k pays each party discount^k times its utility; no agreement pays the reservation
 * values, undiscounted. After offer deadline-1 the other party may only accept: anything else is the
 * deadline's disagreement.
 *
 * Strategy misbehaviour (an infeasible offer, accepting nothing or accepting below one's own reservation)
 * is a bug in the strategy, not a negotiating move, so it throws a ProtocolError instead of being absorbed.
 */
import { utilityTableIfBuilt } from './offer-index.js';
import { assertValidSpace, feasibilityCheck, positionIn, type Enumeration } from './outcome-space.js';
import { spaceContext, type BoundedContext } from './space-context.js';
import type {
  Action,
  EndReason,
  NegotiationResult,
  NegotiationSetup,
  NegotiationView,
  Negotiator,
  OfferRecord,
  PartyIndex,
  Preferences,
  UtilityFn,
} from './types.js';

/** A strategy broke the protocol. Names the party, step and (when known) the strategy. */
export class ProtocolError extends Error {
  readonly party: PartyIndex;
  readonly step: number;
  readonly strategy: string;
  constructor(party: PartyIndex, step: number, strategy: string, problem: string) {
    super(`strategy bug: ${strategy} (party ${party}) at step ${step}: ${problem}`);
    this.name = 'ProtocolError';
    this.party = party;
    this.step = step;
    this.strategy = strategy;
  }
}

/** Relative slack when comparing a discounted payoff with a reservation value (rounding, not generosity). */
const RESERVATION_TOLERANCE = 1e-9;

/** Whether a payoff is at least the reservation value; the one test strategies and the guard share. */
export function meetsReservation(payoff: number, reservation: number): boolean {
  return payoff >= reservation - RESERVATION_TOLERANCE * Math.max(1, Math.abs(reservation));
}

/** Present value of `utility` agreed on offer `step`. */
export function discounted(prefs: Preferences, utility: number, step: number): number {
  return prefs.discount === 1 ? utility : utility * Math.pow(prefs.discount, step);
}

/** The strategy name a negotiator reports (its optional `name` field), for error messages. */
export function negotiatorName(n: Negotiator): string {
  const name: unknown = (n as { readonly name?: unknown }).name;
  return typeof name === 'string' ? name : 'unnamed negotiator';
}

function violation(n: Negotiator, party: PartyIndex, step: number, problem: string): ProtocolError {
  return new ProtocolError(party, step, negotiatorName(n), problem);
}

const NO_OFFERS: readonly OfferRecord[] = Object.freeze([]);

type MutableView = { -readonly [K in keyof NegotiationView]: NegotiationView[K] };

function validPreferences(p: Preferences): boolean {
  return p.discount > 0 && p.discount <= 1 && Number.isFinite(p.reservation);
}

function checkSetup(setup: NegotiationSetup): void {
  const { deadline, firstProposer, parties } = setup;
  const ok =
    Number.isInteger(deadline) && deadline >= 0 && (firstProposer === 0 || firstProposer === 1) && validPreferences(parties[0]) && validPreferences(parties[1]);
  if (ok) return;
  // Slow path, only to say what is wrong.
  const problems: string[] = [];
  if (!Number.isInteger(deadline) || deadline < 0) problems.push(`deadline must be a non-negative integer, got ${deadline}`);
  if (firstProposer !== 0 && firstProposer !== 1) problems.push(`firstProposer must be 0 or 1, got ${String(firstProposer)}`);
  parties.forEach((p, i) => {
    if (!(p.discount > 0 && p.discount <= 1)) problems.push(`party ${i} discount must be in (0, 1], got ${p.discount}`);
    if (!Number.isFinite(p.reservation)) problems.push(`party ${i} reservation must be finite, got ${p.reservation}`);
  });
  throw new Error(`invalid negotiation setup: ${problems.join('; ')}`);
}

/**
 * Utilities and feasibility of enumerated outcomes, read from the tables the strategies' indexes and
 * frontiers already built: the same pure functions of the same outcome objects, so the same numbers.
 */
interface Tables {
  readonly e: Enumeration;
  /** Null when the space has no upper bounds. */
  readonly mask: Uint8Array | null;
  readonly t0: Float64Array;
  readonly t1: Float64Array;
}

/** The tables of a negotiation once both utilities have been tabulated on its grid (never builds them). */
function tablesFor(ctx: BoundedContext, u0: UtilityFn, u1: UtilityFn): Tables | undefined {
  const e = ctx.grid.enumerationIfBuilt;
  if (e === undefined) return undefined;
  const t0 = utilityTableIfBuilt(e, u0);
  const t1 = utilityTableIfBuilt(e, u1);
  if (t0 === undefined || t1 === undefined) return undefined;
  return { e, mask: ctx.feasibleMask(), t0, t1 };
}

function utilityOf(prefs: Preferences, party: PartyIndex, outcome: OfferRecord['outcome']): number {
  // A mutable copy, as utilityTable passes: a utility that also sees frozen outcome arrays gets polymorphic
  // element loads that box every value, which made tabulating it afterwards twice as slow.
  const row = new Array<number>(outcome.length).fill(0);
  for (let d = 0; d < outcome.length; d++) row[d] = outcome[d] as number;
  const u = prefs.utility(row);
  if (!Number.isFinite(u)) throw new Error(`utility function of party ${party} returned ${u} for [${outcome.join(', ')}]`);
  return u;
}

/** Utility of enumerated outcome `at` from its table when tabulated, else by calling the utility. */
function tabulated(e: Enumeration, at: number, prefs: Preferences, party: PartyIndex, outcome: OfferRecord['outcome']): number {
  const table = utilityTableIfBuilt(e, prefs.utility);
  return table !== undefined ? (table[at] as number) : utilityOf(prefs, party, outcome);
}

/** Run one negotiation to agreement, walkaway or deadline. */
export function negotiate(setup: NegotiationSetup): NegotiationResult {
  checkSetup(setup);
  const { space, parties, negotiators, deadline, firstProposer, random } = setup;
  assertValidSpace(space);
  const ctx = spaceContext(space);
  let tables: Tables | undefined;
  const history: OfferRecord[] = [];
  const record = setup.record !== false;
  const [p0, p1] = parties;

  const noDeal = (reason: EndReason, step: number): NegotiationResult => ({
    agreement: null,
    step,
    reason,
    payoffs: [p0.reservation, p1.reservation],
    utilities: [p0.reservation, p1.reservation],
    offers: record ? history : NO_OFFERS,
  });

  let table: OfferRecord | undefined;
  // Each party's latest offer, and whether its outcome was frozen (freezing cannot be undone).
  const lastBy: [OfferRecord | undefined, OfferRecord | undefined] = [undefined, undefined];
  const frozenBy: [boolean, boolean] = [false, false];
  for (let step = 0; ; step++) {
    const mover = ((firstProposer + step) & 1) as PartyIndex;
    const negotiator = negotiators[mover];
    // A fresh small view per turn, readonly by type; the history array is shared, never copied. Not frozen:
    // a view goes to one negotiator only, so writing to it could only confuse the writer, and freezing
    // keeps V8 from eliding the allocation once act() is inlined, which halved the engine's throughput.
    const view: MutableView = {
      space,
      self: mover,
      own: parties[mover],
      step,
      deadline,
      firstProposer,
      history,
      random: random[mover],
    };
    if (setup.completeInformation) view.opponent = parties[(1 - mover) as PartyIndex];
    if (table !== undefined) view.lastOffer = table;
    const action: Action = negotiator.act(view);
    if (typeof action !== 'object' || action === null) throw violation(negotiator, mover, step, `returned ${String(action)} instead of an action`);

    switch (action.type) {
      case 'accept': {
        if (table === undefined) throw violation(negotiator, mover, step, 'accepted with no offer on the table');
        const prefs = parties[mover];
        const payoff = discounted(prefs, table.utilities[mover], table.step);
        if (!meetsReservation(payoff, prefs.reservation)) {
          throw violation(negotiator, mover, step, `accepted an offer worth ${payoff} (discounted) below its reservation value ${prefs.reservation}`);
        }
        const [u0, u1] = table.utilities;
        return {
          agreement: table.outcome,
          step: table.step,
          reason: 'agreement',
          payoffs: [discounted(p0, u0, table.step), discounted(p1, u1, table.step)],
          utilities: table.utilities,
          offers: record ? history : NO_OFFERS,
        };
      }
      case 'end':
        return noDeal(step >= deadline ? 'deadline' : 'walkaway', step);
      case 'offer': {
        // A counter-offer after the last offer only rejects it.
        if (step >= deadline) return noDeal('deadline', step);
        const outcome = action.outcome;
        const previous = lastBy[mover];
        let utilities: readonly [number, number];
        if (previous !== undefined && previous.outcome === outcome && frozenBy[mover]) {
          // The same immutable outcome again (holding firm is common): already checked, utilities are pure.
          utilities = previous.utilities;
        } else {
          tables ??= tablesFor(ctx, p0.utility, p1.utility);
          const e = tables?.e ?? ctx.grid.enumerationIfBuilt;
          const at = e === undefined ? -1 : positionIn(e, outcome);
          const mask = tables !== undefined ? tables.mask : at >= 0 ? ctx.feasibleMask() : null;
          if (tables !== undefined && at >= 0 && (mask === null || mask[at] === 1)) {
            // An enumerated outcome (frozen) within the bounds: on the grid, in range, utilities tabulated.
            utilities = [tables.t0[at] as number, tables.t1[at] as number];
            frozenBy[mover] = true;
          } else if (e !== undefined && at >= 0 && (mask === null || mask[at] === 1)) {
            // The same, before the other side has tabulated its utility (its first turn is still to come):
            // the tabulated utility where there is one, no feasibility check to compile for this space.
            utilities = [tabulated(e, at, p0, 0, outcome), tabulated(e, at, p1, 1, outcome)];
            frozenBy[mover] = true;
          } else {
            const problem = feasibilityCheck(space).problem(outcome);
            if (problem !== null) throw violation(negotiator, mover, step, `proposed an infeasible offer: ${problem}`);
            utilities = [utilityOf(p0, 0, outcome), utilityOf(p1, 1, outcome)];
            frozenBy[mover] = Object.isFrozen(outcome);
          }
        }
        // Records are shared with both strategies and readonly by type; not frozen, as that costs ~15% here.
        table = { step, by: mover, outcome, utilities };
        lastBy[mover] = table;
        history.push(table);
        break;
      }
      default:
        throw violation(negotiator, mover, step, `returned an unknown action ${JSON.stringify(action)}`);
    }
  }
}
