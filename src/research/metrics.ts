/** The final metrics in catalogue order (src/core/metrics.ts): the column order of sweep rows. */
export { FINAL_METRIC_KEYS } from '../core/metrics.js';
