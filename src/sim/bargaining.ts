/**
 * A plain two-party negotiation from a `kind: bargaining` scenario: the engine with no chip model around it.
 * Used for teaching and to check the engine against closed forms (Rubinstein, Nash, Kalai-Smorodinsky).
 */
import { compileExpression } from '../core/expr.js';
import type { NegotiationRecord } from '../core/events.js';
import { stream } from '../core/rng.js';
import type { BargainingScenario } from '../core/scenario/schema.js';
import { negotiate } from '../negotiation/mechanism.js';
import { rubinsteinFinite, rubinsteinShare } from '../negotiation/solutions.js';
import type { Issue, Outcome, Preferences, UtilityFn } from '../negotiation/types.js';
import { analyse, negotiationRecord } from './analysis.js';
import { resolveStrategy, type ResolvedStrategy } from './strategy-choice.js';

export interface PreparedBargaining {
  readonly scenario: BargainingScenario;
  readonly issues: readonly Issue[];
  readonly parties: readonly [Preferences, Preferences];
  readonly players: readonly [ResolvedStrategy, ResolvedStrategy];
}

export function prepareBargaining(s: BargainingScenario): PreparedBargaining {
  const names = s.issues.map((i) => i.name);
  const utility = (k: 0 | 1): UtilityFn => {
    const party = s.parties[k];
    const expr = compileExpression(party.utility, { where: { path: `parties[${k}].utility` }, variables: names, type: 'number' });
    const scope: Record<string, number> = {};
    return (o: Outcome) => {
      for (let i = 0; i < names.length; i++) scope[names[i] as string] = o[i] ?? 0;
      return expr.evaluate(scope);
    };
  };
  const pref = (k: 0 | 1): Preferences => ({ utility: utility(k), reservation: s.parties[k].reservation, discount: s.parties[k].discount });
  const issues: Issue[] = s.issues.map((i) => (i.steps === undefined ? { name: i.name, unit: i.unit, min: i.min, max: i.max } : { name: i.name, unit: i.unit, min: i.min, max: i.max, steps: i.steps }));
  return {
    scenario: s,
    issues,
    parties: [pref(0), pref(1)],
    players: [0, 1].map((k) =>
      resolveStrategy(s.parties[k as 0 | 1].strategy, `parties[${k}].strategy`, { complete: s.protocol.information === 'complete', path: 'protocol.information' }),
    ) as [ResolvedStrategy, ResolvedStrategy],
  };
}

/** True when the scenario is Rubinstein's unit pie: one issue, u0 rising 0 -> 1, u1 = 1 - u0, no outside options. */
function isUnitPie(p: PreparedBargaining): boolean {
  if (p.issues.length !== 1) return false;
  const iss = p.issues[0] as Issue;
  const [a, b] = p.parties;
  if (a.reservation !== 0 || b.reservation !== 0) return false;
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const x = iss.min + t * (iss.max - iss.min);
    if (Math.abs(a.utility([x]) - t) > 1e-9 || Math.abs(b.utility([x]) - (1 - t)) > 1e-9) return false;
  }
  return true;
}

export interface BargainingRun {
  readonly negotiation: NegotiationRecord;
  readonly theory: {
    readonly rubinstein: { readonly infiniteHorizon: number; readonly finiteHorizon: number; readonly deadline: number } | null;
    readonly nash: NegotiationRecord['nash'];
    readonly ks: NegotiationRecord['ks'];
  };
}

export function simulateBargaining(p: PreparedBargaining, seed: number): BargainingRun {
  const s = p.scenario;
  const { deadline, firstProposer, information } = s.protocol;
  const space = { issues: p.issues };
  const context = { round: 1, label: s.title, parties: [s.parties[0].name, s.parties[1].name] as const };
  const result = negotiate({
    space,
    parties: p.parties,
    negotiators: [p.players[0].strategy.create(p.players[0].params, context), p.players[1].strategy.create(p.players[1].params, context)],
    deadline,
    firstProposer: firstProposer === 0 ? 0 : 1,
    completeInformation: information === 'complete',
    random: [stream(seed, `bargaining/${s.parties[0].name}`), stream(seed, `bargaining/${s.parties[1].name}`)],
    record: true,
  });
  const a = analyse(space, p.parties, result, true, s.resolution);
  const [d0, d1] = [p.parties[0].discount, p.parties[1].discount];
  // Party 0's share: the proposer's share when party 0 proposes first, the rest otherwise.
  const asParty0 = (firstShare: number): number => (firstProposer === 0 ? firstShare : 1 - firstShare);
  const rubinstein = isUnitPie(p)
    ? {
        infiniteHorizon: asParty0(firstProposer === 0 ? rubinsteinShare(d0, d1) : rubinsteinShare(d1, d0)),
        finiteHorizon: rubinsteinFinite(d0, d1, deadline, firstProposer === 0 ? 0 : 1)[0],
        deadline,
      }
    : null;
  const negotiation = negotiationRecord([s.parties[0].name, s.parties[1].name], p.players, space, p.parties, deadline, result, a);
  return { negotiation, theory: { rubinstein, nash: a.nash, ks: a.ks } };
}
