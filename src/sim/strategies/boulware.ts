import { timeDependentStrategy } from './time-dependent.js';

/** Holds out near its best outcome and concedes late (e < 1). */
export const boulware = timeDependentStrategy({
  name: 'boulware',
  description: 'Time-dependent tactic that holds out and concedes mostly near the deadline (e < 1).',
  e: { default: 0.2, min: 0.01, max: 1, unit: 'exponent', description: 'Concession exponent e; smaller holds out longer.' },
});
