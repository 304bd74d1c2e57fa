/** The strategy registry: every bargaining strategy by name (what `tradesim list` shows). */
import { InputError } from '../../core/errors.js';
import type { Strategy } from '../../negotiation/types.js';
import { boulware } from './boulware.js';
import { conceder } from './conceder.js';
import { equilibrium } from './equilibrium.js';
import { hardliner } from './hardliner.js';
import { linear } from './linear.js';
import { random } from './random.js';
import { titForTat } from './tit-for-tat.js';
import { zeuthen } from './zeuthen.js';

export const strategies: Readonly<Record<string, Strategy>> = Object.freeze(
  Object.fromEntries([boulware, linear, conceder, titForTat, zeuthen, hardliner, equilibrium, random].map((s) => [s.meta.name, s])),
);

export function strategyNames(): string[] {
  return Object.keys(strategies);
}

export function findStrategy(name: string): Strategy | undefined {
  return Object.hasOwn(strategies, name) ? strategies[name] : undefined;
}

/** The named strategy; an InputError listing the known names when there is none. */
export function getStrategy(name: string): Strategy {
  const s = findStrategy(name);
  if (s === undefined) {
    throw new InputError({ message: `unknown strategy "${name}"`, expected: `one of ${strategyNames().join(', ')}`, found: JSON.stringify(name) });
  }
  return s;
}
