import { timeDependentStrategy } from './time-dependent.js';

/** Concedes at a constant rate from its best outcome to its reservation by the deadline (e = 1). */
export const linear = timeDependentStrategy({
  name: 'linear',
  description: 'Time-dependent tactic conceding at a constant rate in utility (e = 1).',
  e: 1,
});
