/**
 * Step 7 (docs/model.md, "Diversion"): some delivered compute leaks to adversaries. A country's diversion is
 * its deliveries × its diversion risk × (1 - effective enforcement) × the round's smuggling pressure, with a
 * uniform noise; chips shipped through the validated-end-user route are held by vetted operators and leak
 * at the VEU enforcement. Pressure is how much the adversaries would pay over list for a chip, relative to
 * its most (their demand curve at what they got last round), raised to scarcityElasticity: diversion
 * responds to scarcity and the price gap, not only to enforcement.
 */
import { effectiveEnforcement } from '../deal.js';
import type { CountryRound, CountryState, RoundContext, WorldState } from '../world.js';

export function leakageStep(ctx: RoundContext, world: WorldState): number {
  const s = ctx.epoch.scenario;
  const h = s.exporter.h100ePerChip;
  let total = 0;
  ctx.epoch.countries.forEach((cc, i) => {
    const st = world.countries[i] as CountryState;
    const row = ctx.countries[i] as CountryRound;
    // One draw per country per round, whether or not anything was delivered, so streams stay aligned.
    const u = st.leakStream();
    let security = 0;
    for (const d of st.deals) security = Math.max(security, d.security);
    const e = effectiveEnforcement(s, cc.c, security, st.relations);
    const eVeu = Math.max(e, s.leakage.veuEnforcement);
    const base = cc.c.diversionRisk * world.pressure * h;
    const expected = base * ((row.delivered - row.veu) * (1 - e) + row.veu * (1 - eVeu));
    const leak = Math.max(0, expected * (1 + s.leakage.noise * (2 * u - 1)));
    row.leaked = leak;
    total += leak;
    if (leak > 0) ctx.emit?.({ type: 'leakage', round: ctx.round, country: cc.c.id, chips: leak, draw: u });
  });
  ctx.epoch.adversaries.forEach((ca, j) => {
    const row = ctx.adversaries[j];
    if (row) row.diverted = total * ca.a.diversionShare;
  });
  return total;
}
