import { timeDependentStrategy } from './time-dependent.js';

/** Concedes quickly early on (e > 1). */
export const conceder = timeDependentStrategy({
  name: 'conceder',
  description: 'Time-dependent tactic that concedes early and quickly (e > 1).',
  e: { default: 2, min: 1, max: 50, unit: 'exponent', description: 'Concession exponent e; larger concedes sooner.' },
});
