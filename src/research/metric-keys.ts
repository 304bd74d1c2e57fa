/** The keys of FinalMetrics at run time (for --metric checks and report columns), checked complete by the compiler. */
import type { FinalMetrics } from '../core/events.js';

export const FINAL_METRIC_KEYS = [
  'leakage',
  'leakageShareOfDelivered',
  'enforcementCommitments',
  'revenueUsd',
  'licensedRevenueShareUsd',
  'marketShare',
  'relationsMean',
  'relationsMin',
  'relationsFell',
  'alternativeShare',
  'countriesSwitched',
  'concessionsUsd',
  'concessionsPerChip',
  'adversaryCompute',
  'adversaryDomestic',
  'adversaryLicensed',
  'adversaryDiverted',
  'blocCompute',
  'gapToBloc',
  'agreementRate',
  'meanRoundsToAgreement',
  'giniAllocations',
  'meanDistanceToNash',
  'meanExporterUtility',
  'meanCountryUtility',
  'delivered',
  'supply',
] as const satisfies readonly (keyof FinalMetrics)[];

// Fails to compile if FinalMetrics gains a key that is not listed above.
type Missing = Exclude<keyof FinalMetrics, (typeof FINAL_METRIC_KEYS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

export function isFinalMetricKey(k: string): k is keyof FinalMetrics {
  return (FINAL_METRIC_KEYS as readonly string[]).includes(k);
}
