/** The two engine hooks the classroom uses: NegotiationContext at create, and RunOptions.players. */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import type { NegotiationContext, Strategy } from '../../src/negotiation/types.js';
import { runChips } from '../../src/sim/run.js';
import { ROOT } from './helpers.js';

describe('engine hooks', () => {
  it('every negotiation\'s strategies are created with its round, label and parties; substitution changes nothing else', async () => {
    const s = (await loadScenarioFile(`${ROOT}scenarios/teaching/three-country.yaml`, { sets: ['rounds=4'] })).scenario as ChipsScenario;
    const seen: NegotiationContext[] = [];
    const spy = (inner: Strategy): Strategy => ({
      meta: inner.meta,
      create(params, context) {
        if (context) seen.push(context);
        return inner.create(params, context);
      },
    });
    const plain = runChips(s, { seed: 3 });
    const watched = runChips(s, { seed: 3, players: (id, own) => (id === s.exporter.id ? { ...own, strategy: spy(own.strategy) } : own) });
    expect(JSON.stringify(watched.rounds)).toBe(JSON.stringify(plain.rounds));
    const negs = plain.rounds.flatMap((r) => r.events).filter((e) => e.type === 'negotiation');
    expect(seen.map((c) => [c.round, c.parties[1]])).toEqual(negs.map((e) => [e.round, e.country]));
    expect(seen.every((c) => c.parties[0] === 'EXP' && /^2025Q[1-4]$/.test(c.label))).toBe(true);
  });
});
