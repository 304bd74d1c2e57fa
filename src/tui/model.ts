/**
 * What the replay shows, derived once from the artifact and nothing else: per round, a row per country and a
 * feed of plain sentences; per country, cumulative deliveries and concessions. Pure and React-free, so the
 * views stay cheap (they index into these arrays) and this derivation is tested on its own.
 */
import type { BargainingResult, ChipsResult, Route, SimEvent } from '../core/events.js';
import { fmtPct, fmtUsd } from '../report/text.js';
import { compact } from './layout.js';

export type DealStatus = 'deal' | 'in-deal' | 'no-deal' | 'denied' | 'market' | 'licensed' | 'none';

export interface Entity {
  readonly id: string;
  readonly name: string;
  /** 1-3 for importers; null for adversaries. */
  readonly tier: 1 | 2 | 3 | null;
}

export interface CountryRow {
  readonly id: string;
  readonly tier: 1 | 2 | 3 | null;
  readonly route: Route | null;
  /** Chips asked for this round. */
  readonly requested: number;
  /** Chips on the table: the last offer or the agreement this round, else the running deal's chips per round. */
  readonly offer: number | null;
  /** Concessions obtained so far (USD bn, money value over deal terms). */
  readonly concessionsUsd: number;
  readonly status: DealStatus;
  /** For a running deal, its last round. */
  readonly untilRound: number | null;
  readonly delivered: number;
  readonly deliveredTotal: number;
  readonly relations: number | null;
  readonly relationsDelta: number;
}

export interface Sentence {
  readonly text: string;
  /** Colour meaning of the sentence. */
  readonly tone: 'good' | 'bad' | 'warn' | 'info';
  readonly country: string | null;
}

export interface RoundModel {
  readonly round: number;
  readonly label: string;
  readonly rows: readonly CountryRow[];
  readonly feed: readonly Sentence[];
}

export interface ChipsModel {
  readonly kind: 'chips';
  readonly result: ChipsResult;
  readonly entities: readonly Entity[];
  readonly rounds: readonly RoundModel[];
  /** For entity i and round r: the negotiation in force (the latest at or before r), and the round it ran. */
  negotiationAt(entity: string, round: number): { readonly round: number; readonly record: NegotiationEvent } | null;
}

export interface BargainingModel {
  readonly kind: 'bargaining';
  readonly result: BargainingResult;
  readonly entities: readonly Entity[];
}

export type NegotiationEvent = Extract<SimEvent, { type: 'negotiation' }>;
type Negotiation = NegotiationEvent;

export function chipsModel(r: ChipsResult): ChipsModel {
  const entities: Entity[] = r.countries.map((c) => ({ id: c.id, name: c.name, tier: c.tier }));
  const known = new Set(entities.map((e) => e.id));
  // Adversaries appear when something happens to them (a licence negotiation, a delivery).
  for (const a of r.adversaries) {
    if (r.rounds.some((x) => x.events.some((e) => 'country' in e && e.country === a.id && e.type !== 'leakage'))) {
      entities.push({ id: a.id, name: a.name, tier: null });
      known.add(a.id);
    }
  }
  const total = new Map<string, number>();
  const conc = new Map<string, number>();
  const deal = new Map<string, { chips: number; until: number }>();
  const lastRel = new Map<string, number>();
  const negs = new Map<string, { round: number; record: Negotiation }[]>();
  const rounds: RoundModel[] = [];
  for (const rd of r.rounds) {
    const by = new Map<string, SimEvent[]>();
    for (const e of rd.events) {
      if (!('country' in e) || !known.has(e.country)) continue;
      const list = by.get(e.country) ?? [];
      list.push(e);
      by.set(e.country, list);
      if (e.type === 'negotiation') negs.set(e.country, [...(negs.get(e.country) ?? []), { round: rd.round, record: e }]);
    }
    const rows = entities.map((en): CountryRow => {
      const evs = by.get(en.id) ?? [];
      const find = <T extends SimEvent['type']>(t: T) => evs.find((e): e is Extract<SimEvent, { type: T }> => e.type === t);
      const access = find('access');
      const neg = find('negotiation');
      const d = find('deal');
      const nd = find('no-deal');
      const del = find('delivery');
      const rel = find('relations');
      if (d) {
        deal.set(en.id, { chips: d.chipsPerRound, until: d.untilRound });
        conc.set(en.id, (conc.get(en.id) ?? 0) + d.concessionsUsd);
      }
      const running = deal.get(en.id);
      const active = running && running.until >= rd.round ? running : null;
      const delivered = del?.total ?? 0;
      total.set(en.id, (total.get(en.id) ?? 0) + delivered);
      const before = rel?.before ?? lastRel.get(en.id) ?? null;
      const after = rel?.after ?? before;
      if (after !== null) lastRel.set(en.id, after);
      const route = access?.route ?? (en.tier === null && del ? 'licensed' : null);
      const chipsIdx = neg ? Math.max(0, neg.issues.findIndex((i) => i.name === 'chips')) : 0;
      const lastOffer = neg ? (neg.agreement ?? neg.offers[neg.offers.length - 1] ?? null) : null;
      const status: DealStatus = d
        ? 'deal'
        : nd
          ? 'no-deal'
          : active
            ? 'in-deal'
            : route === 'denied'
              ? 'denied'
              : route === 'licensed'
                ? 'licensed'
                : route === 'market' || (del?.market ?? 0) + (del?.capped ?? 0) + (del?.exempt ?? 0) > 0
                  ? 'market'
                  : 'none';
      return {
        id: en.id,
        tier: en.tier,
        route,
        requested: del?.requested ?? 0,
        offer: lastOffer ? (lastOffer.outcome[chipsIdx] ?? null) : active ? active.chips : null,
        concessionsUsd: conc.get(en.id) ?? 0,
        status,
        untilRound: active ? active.until : null,
        delivered,
        deliveredTotal: total.get(en.id) ?? 0,
        relations: after,
        relationsDelta: after !== null && before !== null ? after - before : 0,
      };
    });
    rounds.push({ round: rd.round, label: rd.label, rows, feed: roundFeed(rd.round, rd.label, rd.events, known) });
  }
  return {
    kind: 'chips',
    result: r,
    entities,
    rounds,
    negotiationAt(id, round) {
      const list = negs.get(id) ?? [];
      let best: { round: number; record: Negotiation } | null = null;
      for (const n of list) if (n.round <= round) best = n;
      return best;
    },
  };
}

export function bargainingModel(r: BargainingResult): BargainingModel {
  return { kind: 'bargaining', result: r, entities: r.negotiation.parties.map((p) => ({ id: p, name: p, tier: null })) };
}

const termWords: Readonly<Record<string, (v: number) => string>> = {
  tariff: (v) => `a ${v.toFixed(1)} pp tariff cut`,
  investment: (v) => `${fmtUsd(v)} investment`,
  purchases: (v) => `${fmtUsd(v)} purchases`,
  security: (v) => (v >= 0.999 ? 'a vendor exclusion' : `a ${fmtPct(v)} security commitment`),
  revenueShare: (v) => `a ${fmtPct(v)} revenue share`,
};

/** "ARE accepts 62.5k H100e a round to round 4 for $12.5bn investment and $6.3bn purchases" and the like. */
export function dealSentence(e: Extract<SimEvent, { type: 'deal' }>): string {
  const parts = Object.entries(e.terms)
    .filter(([k, v]) => k !== 'chips' && v > 1e-9 && termWords[k] !== undefined)
    .map(([k, v]) => (termWords[k] as (v: number) => string)(v));
  const what = parts.length === 0 ? 'no concessions' : parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  const term = e.untilRound > e.round ? ` a round to round ${e.untilRound}` : '';
  return `${e.country} accepts ${compact(e.chipsPerRound)} H100e${term} for ${what}`;
}

const noDealWords = { deadline: 'runs out of time: no deal', walkaway: 'walks away: no deal', empty: 'agrees on zero chips: no deal' } as const;

function roundFeed(round: number, label: string, events: readonly SimEvent[], known: ReadonlySet<string>): Sentence[] {
  // Rank orders the feed: opening, deals and refusals, denials, licences, relations, leakage, the summary.
  const out: (Sentence & { rank: number })[] = [];
  const say = (rank: number, tone: Sentence['tone'], country: string | null, text: string): void => {
    out.push({ rank, tone, country, text: `Round ${round}${text}` });
  };
  let leaked = 0;
  let topLeak: { country: string; chips: number } | null = null;
  let rival = 0;
  const denied: string[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'round-start':
        say(0, 'info', null, ` (${label}) opens with ${compact(e.supply)} H100e of supply`);
        break;
      case 'timeline':
        // What changed in the world this round, as the sources date it.
        say(0, 'warn', null, `: ${e.date}: ${e.title}${e.regime !== undefined ? ` (regime ${e.regime} from here)` : ''}`);
        break;
      case 'market':
        say(6, 'info', null, `: the domestic market takes ${compact(e.domestic)} chips at a scarcity premium of $${Math.round(e.premium).toLocaleString('en-US')} a chip${e.unsold > 0.5 ? `; ${compact(e.unsold)} chips unsold` : ''}`);
        break;
      case 'stack':
        if (e.before < 0.5 && e.after >= 0.5) say(4, 'bad', e.country, `: ${e.country} moves most of its AI compute to the rival stack`);
        break;
      case 'adversary':
        if (e.domestic + e.imports + e.diverted > 0) say(5, 'warn', e.adversary, `: ${e.adversary} adds ${compact(e.domestic)} H100e of its own, ${compact(e.imports)} imported, ${compact(e.diverted)} diverted`);
        break;
      case 'access':
        if (e.route === 'denied') denied.push(e.country);
        break;
      case 'deal':
        say(1, 'good', e.country, `: ${dealSentence(e)}`);
        break;
      case 'no-deal':
        say(1, 'bad', e.country, `: ${e.country} ${noDealWords[e.reason]}`);
        break;
      case 'delivery':
        if (e.licensed > 0) say(3, 'warn', e.country, `: ${compact(e.licensed)} licensed chips (${compact(e.h100e)} H100e) sold to ${e.country}`);
        break;
      case 'leakage':
        leaked += e.chips;
        if (!topLeak || e.chips > topLeak.chips) topLeak = { country: e.country, chips: e.chips };
        break;
      case 'alternative':
        rival += e.chips;
        break;
      case 'relations':
        if (Math.abs(e.after - e.before) >= 0.05) {
          const up = e.after > e.before;
          say(4, up ? 'good' : 'bad', e.country, `: relations with ${e.country} ${up ? 'improve' : 'worsen'} ${e.before.toFixed(2)} -> ${e.after.toFixed(2)}`);
        }
        break;
      case 'round-end': {
        const m = e.metrics;
        say(6, 'info', null, `: ${compact(m.delivered)} of ${compact(m.supply)} H100e delivered, revenue ${fmtUsd(m.revenueUsd)}, exporter share ${fmtPct(m.marketShare)}`);
        break;
      }
      case 'negotiation':
        break;
    }
  }
  const deniedKnown = denied.filter((c) => known.has(c));
  if (deniedKnown.length) say(2, 'bad', null, `: no access for ${deniedKnown.join(', ')}`);
  if (leaked > 0 && topLeak) say(5, 'warn', topLeak.country, `: ${compact(leaked)} H100e leak to adversaries (most via ${topLeak.country}, ${compact(topLeak.chips)})`);
  if (rival > 0) say(5, 'warn', null, `: the rival supplier sells ${compact(rival)} H100e`);
  return out.sort((a, b) => a.rank - b.rank).map(({ text, tone, country }) => ({ text, tone, country }));
}
