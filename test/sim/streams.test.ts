import { describe, expect, it } from 'vitest';
import type { ChipsResult } from '../../src/core/events.js';
import { stream, streams } from '../../src/core/rng.js';
import { runChips } from '../../src/sim/run.js';
import { country, world } from '../helpers/world.js';

const draws = (r: ChipsResult, id: string) =>
  r.rounds.flatMap((x) => x.events.filter((e) => e.type === 'leakage' && e.country === id).map((e) => (e.type === 'leakage' ? [x.round, e.draw] : [])));

describe('named random streams', () => {
  it('derive the same sequence from the same seed and name, and different ones otherwise', () => {
    const take = (u: () => number) => Array.from({ length: 5 }, () => u());
    expect(take(stream(7, 'a/b'))).toEqual(take(stream(7, 'a/b')));
    expect(take(stream(7, 'a/b'))).not.toEqual(take(stream(8, 'a/b')));
    expect(take(stream(7, 'a/b'))).not.toEqual(take(stream(7, 'a/c')));
    expect(take(streams(7).child('a').stream('b'))).toEqual(take(stream(7, 'a/b')));
  });

  it('leave a country\'s draws unchanged when another country is added', () => {
    const exporter = { supplyPerRound: 50_000, price: 25_000, leakageCost: 200_000 };
    const cs = [country('AAA', 1), country('BBB', 2), country('CCC', 2, { demandPerRound: 30_000 })];
    const base = world({ exporter, countries: cs });
    const bigger = world({ exporter, countries: [...cs, country('ABC', 2, { diversionRisk: 0.3 })] });
    const a = runChips(base, { seed: 11 });
    const b = runChips(bigger, { seed: 11 });
    for (const c of base.countries) {
      const da = draws(a, c.id);
      expect(da.length).toBeGreaterThan(0);
      const db = new Map(draws(b, c.id).map(([round, d]) => [round, d]));
      for (const [round, d] of da) if (db.has(round)) expect(db.get(round)).toBe(d);
    }
  });
});
