/** The final metrics in the order of the FinalMetrics interface: the column order of sweep rows. */
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

// Compile-time check that no FinalMetrics key is missing from the list.
type Missing = Exclude<keyof FinalMetrics, (typeof FINAL_METRIC_KEYS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;
