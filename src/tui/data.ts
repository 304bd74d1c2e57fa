/**
 * What a replay is opened on: an artifact with its derived models. A comparison carries one chips model per
 * regime (from its example runs) for the per-run views.
 */
import type { ReplayableArtifact, ComparisonResult } from '../core/events.js';
import { safeData } from '../core/safe-text.js';
import { bargainingModel, chipsModel, type BargainingModel, type ChipsModel, type Entity } from './model.js';
import type { InitOptions, View } from './state.js';

export type ReplayData =
  | { readonly kind: 'chips'; readonly model: ChipsModel }
  | { readonly kind: 'bargaining'; readonly model: BargainingModel }
  | { readonly kind: 'comparison'; readonly result: ComparisonResult; readonly models: readonly ChipsModel[] };

export function replayData(artifact: ReplayableArtifact): ReplayData {
  // Every string the views show (titles, names, ids, labels) without control characters: one line each.
  const a = safeData(artifact);
  switch (a.kind) {
    case 'chips':
      return { kind: 'chips', model: chipsModel(a) };
    case 'bargaining':
      return { kind: 'bargaining', model: bargainingModel(a) };
    case 'comparison':
      return { kind: 'comparison', result: a, models: a.regimes.map((r) => chipsModel(a.examples[r] as NonNullable<(typeof a.examples)[string]>)) };
  }
}

/** The chips model the per-run views show: the run, or the selected regime's example run of a comparison. */
export function runModel(d: ReplayData, regime: number): ChipsModel | null {
  if (d.kind === 'chips') return d.model;
  if (d.kind === 'comparison') return d.models[regime] ?? d.models[0] ?? null;
  return null;
}

/** Reducer set-up for an artifact: how many frames, which entities, which views. */
export function initFor(d: ReplayData, opts: { atEnd?: boolean } = {}): InitOptions {
  const views: View[] = d.kind === 'bargaining' ? ['negotiation'] : d.kind === 'comparison' ? ['compare', 'gains', 'round', 'negotiation', 'report'] : ['round', 'negotiation', 'report'];
  const entities: readonly Entity[] = d.kind === 'comparison' ? (d.models[0]?.entities ?? []) : d.model.entities;
  // A bargaining replay steps through the offers (one frame per offer, plus the opening state).
  const frames = d.kind === 'bargaining' ? d.model.result.negotiation.offers.length + 1 : d.kind === 'chips' ? d.model.rounds.length : Math.max(...d.models.map((m) => m.rounds.length), 1);
  // Start on the first country that negotiates, so the negotiation view has something to show.
  const model = d.kind === 'chips' ? d.model : d.kind === 'comparison' ? d.models[0] : undefined;
  const last = model ? (model.rounds[model.rounds.length - 1]?.round ?? 0) : 0;
  const selected = model ? Math.max(0, entities.findIndex((e) => model.negotiationAt(e.id, last) !== null)) : 0;
  return { frames, entities, views, selected, regimes: d.kind === 'comparison' ? d.models.length : 1, ...(opts.atEnd ? { atEnd: true } : {}) };
}
