/** Check a scenario's strategy choice against the registry: the name, each parameter and its range. */
import { InputError } from '../core/errors.js';
import type { StrategyChoice } from '../core/scenario/schema.js';
import { didYouMean } from '../core/suggest.js';
import type { Strategy } from '../negotiation/types.js';
import { strategies } from './strategies/index.js';

export interface ResolvedStrategy {
  readonly strategy: Strategy;
  readonly params: Readonly<Record<string, number>>;
}

/**
 * `informationPath` names the setting that decides whether negotiators see each other's preferences; when it
 * says private, strategies that need the opponent's preferences are refused here rather than failing mid-run.
 */
export function resolveStrategy(choice: StrategyChoice, path: string, information: { complete: boolean; path: string }): ResolvedStrategy {
  const names = Object.keys(strategies);
  const strategy = Object.hasOwn(strategies, choice.name) ? strategies[choice.name] : undefined;
  if (!strategy) {
    throw new InputError({
      path: `${path}.name`,
      message: `unknown strategy "${choice.name}"${didYouMean(choice.name, names)}`,
      expected: `one of ${names.join(', ')}`,
      found: JSON.stringify(choice.name),
    });
  }
  if (strategy.meta.needsOpponent && !information.complete) {
    throw new InputError({
      path: `${path}.name`,
      message: `strategy "${choice.name}" needs complete information (the opponent's preferences), but ${information.path} is private`,
      expected: `${information.path}: complete, or a strategy that works without it`,
      found: JSON.stringify(choice.name),
    });
  }
  const specs = strategy.meta.params;
  const params: Record<string, number> = {};
  for (const [k, spec] of Object.entries(specs)) params[k] = spec.default;
  for (const [k, v] of Object.entries(choice.params)) {
    const spec = Object.hasOwn(specs, k) ? specs[k] : undefined;
    if (!spec) {
      throw new InputError({
        path: `${path}.params.${k}`,
        message: `strategy "${choice.name}" has no parameter "${k}"${didYouMean(k, Object.keys(specs))}`,
        expected: Object.keys(specs).length ? `one of ${Object.keys(specs).join(', ')}` : 'no parameters',
        found: JSON.stringify(k),
      });
    }
    if (!(v >= spec.min && v <= spec.max)) {
      throw new InputError({
        path: `${path}.params.${k}`,
        message: `${spec.description}`,
        expected: `a number from ${spec.min} to ${spec.max} (${spec.unit})`,
        found: String(v),
      });
    }
    params[k] = v;
  }
  return { strategy, params };
}
