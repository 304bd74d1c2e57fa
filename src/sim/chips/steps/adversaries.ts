/**
 * Step 7b (docs/model.md, "Adversaries"): each adversary's compute this round (domestic production, legal
 * imports, diverted chips), the share of its import demand left unmet, and what that does next round: its
 * domestic production grows with time and with that share (investment in substitutes when it is denied), and
 * the premium it would pay for more compute sets the smuggling pressure.
 */
import { marginalValue, quantityAt } from '../demand.js';
import type { AdversaryRound, AdversaryState, RoundContext, WorldState } from '../world.js';

export function adversariesStep(ctx: RoundContext, world: WorldState): void {
  const s = ctx.epoch.scenario;
  const listPerH100e = s.exporter.price / s.exporter.h100ePerChip;
  let weighted = 0;
  let weights = 0;
  ctx.epoch.adversaries.forEach((ca, j) => {
    const st = world.adversaries[j] as AdversaryState;
    const row = ctx.adversaries[j] as AdversaryRound;
    const demand = row.demand;
    const wanted = Math.max(0, quantityAt(demand, listPerH100e) - st.domestic);
    const got = row.imports + row.diverted;
    const unmet = wanted > 0 ? Math.max(0, wanted - got) / wanted : 0;
    ctx.emit?.({ type: 'adversary', round: ctx.round, adversary: ca.a.id, domestic: st.domestic, imports: row.imports, diverted: row.diverted, unmetShare: unmet });
    const span = demand.top - listPerH100e;
    const premium = span > 0 ? Math.min(1, Math.max(0, marginalValue(demand, st.domestic + got) - listPerH100e) / span) : 0;
    weighted += ca.a.diversionShare * premium;
    weights += ca.a.diversionShare;
    row.domesticThisRound = st.domestic;
    st.domesticLast = st.domestic;
    st.unmetShare = unmet;
    st.domestic = st.domestic * (1 + ca.a.domesticGrowthPerRound + ca.a.domesticScarcityResponse * unmet);
  });
  const p = weights > 0 ? weighted / weights : 0;
  world.pressure = Math.pow(p, s.leakage.scarcityElasticity);
  ctx.pressureNext = world.pressure;
}
