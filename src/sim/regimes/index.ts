/**
 * Built-in regimes. Each is plain data validated by the same schema as a scenario's own regimes, so a
 * researcher can copy one into a scenario file and change it.
 */
import { RegimeSchema, type Regime } from '../../core/scenario/schema.js';
import { bilateral } from './bilateral.js';
import { open } from './open.js';
import { tiered2025 } from './tiered-2025.js';
import { tieredPlusDeals } from './tiered-plus-deals.js';
import type { RegimeInput } from './types.js';

const inputs: readonly RegimeInput[] = [tiered2025, bilateral, open, tieredPlusDeals];

export const builtinRegimes: Readonly<Record<string, Regime>> = Object.freeze(
  Object.fromEntries(inputs.map((r) => [r.id, RegimeSchema.parse(r)])),
);

export function builtinRegimeNames(): string[] {
  return Object.keys(builtinRegimes);
}
