/** Small chips scenarios for tests, built through the real schema so defaults match what users get. */
import type { z } from 'zod';
import { ChipsScenarioSchema, type ChipsScenario } from '../../src/core/scenario/schema.js';

type Input = z.input<typeof ChipsScenarioSchema>;
type CountryInput = Input['countries'][number];

export function country(id: string, tier: 1 | 2 | 3, over: Partial<CountryInput> = {}): CountryInput {
  return {
    id,
    name: id,
    tier,
    gdp: 1000,
    demandPerRound: 10_000,
    valuePerH100e: 60_000,
    relations: 0.6,
    diversionRisk: 0.05,
    enforcement: 0.5,
    patience: 0.95,
    concessions: { maxTariff: 10, maxInvestment: 20, maxPurchases: 10, tariffValuePerPp: 0.5, securityCost: 2 },
    rivalAccess: 0.3,
    ...over,
  };
}

export function world(over: Partial<Input> = {}): ChipsScenario {
  return ChipsScenarioSchema.parse({
    kind: 'chips',
    id: 'test-world',
    rounds: 12,
    exporter: { supplyPerRound: 100_000, price: 25_000, leakageCost: 200_000 },
    countries: [country('AAA', 1), country('BBB', 2), country('CCC', 2, { demandPerRound: 30_000 })],
    adversaries: [{ id: 'ZZZ', name: 'Adversary', domesticPerRound: 5_000, importDemandPerRound: 20_000, diversionShare: 1 }],
    rival: { capacityPerRound: 5_000 },
    regime: 'bilateral',
    ...over,
  });
}
