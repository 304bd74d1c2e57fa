/**
 * Step 9 (docs/model.md, "Relations and stacks"): each country's rival-stack share moves towards the rival's
 * share of what it bought this round (fast when it rises, slowly when it falls: lock-in), and its relation
 * score moves with what happened to it: a deal signed, access denied, demand left unmet, purchases from the
 * rival, a random shock. Relations are the trust the exporter puts in the country's pledges next time.
 */
import { normal } from '../../../core/rng.js';
import type { CountryRound, CountryState, RoundContext, WorldState } from '../world.js';
import { growth } from './open.js';

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export function relationsStep(ctx: RoundContext, world: WorldState): void {
  const s = ctx.epoch.scenario;
  const rel = s.relations;
  const h = s.exporter.h100ePerChip;
  ctx.epoch.countries.forEach((cc, i) => {
    const st = world.countries[i] as CountryState;
    const row = ctx.countries[i] as CountryRound;
    const fromExporter = row.delivered * h;
    const bought = fromExporter + row.rivalH100e;
    const before = st.stack;
    if (bought > 0) {
      const omega = row.rivalH100e / bought;
      const rate = omega > st.stack ? s.stack.adoptRate : s.stack.releaseRate;
      st.stack = clamp01(st.stack + rate * (omega - st.stack));
    }
    if (st.stack !== before) ctx.emit?.({ type: 'stack', round: ctx.round, country: cc.c.id, before, after: st.stack });
    // Demand in H100e this round, whole (its rival-stack part included).
    const demand = cc.c.demandPerRound * growth(ctx.epoch, ctx.r) * h;
    const unmetShare = demand > 0 ? clamp01((demand - fromExporter - row.rivalH100e) / demand) : 0;
    const rivalShare = demand > 0 && s.rival ? row.rivalH100e / demand : 0;
    const r0 = st.relations;
    st.relations = clamp01(
      r0 +
        (row.signed ? rel.dealBonus + rel.concessionPenalty * row.concessionBurden : 0) +
        (st.route === 'denied' ? rel.deniedPenalty : 0) +
        rel.unmetPenalty * unmetShare -
        (s.rival ? s.rival.relationPenalty * rivalShare : 0) +
        rel.noise * normal(st.relationStream),
    );
    ctx.emit?.({ type: 'relations', round: ctx.round, country: cc.c.id, before: r0, after: st.relations });
  });
}
