/**
 * Generates the `countries:` block of scenarios/base-2025.yaml from the shared country tables, applying the
 * calibration rules of docs/model.md (section 3.3, "Calibration of the base world"). Run it after the CSVs
 * change and paste its output over the block between the GENERATED markers in the base scenario:
 *
 *   npm run build && node dist/tools/import-countries.js ../shared/data > /tmp/countries.yaml
 *
 * Sourced columns (tier, GDP, US goods balance, alliance, tariff rates) come from the CSVs; everything else is
 * an assumption rule stated here once, with the constants the base scenario uses (price, term, intensities).
 * Each country's provenance lives in the scenario's `provenance` map, not in this tool.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------------------
// Constants shared with scenarios/base-2025.yaml (change both together)
// ---------------------------------------------------------------------------------------------------------

/** exporter.price, USD per H100e (assumption). */
export const PRICE = 25_000;
/** negotiation.term, rounds per deal (assumption: one year of quarters). */
export const TERM = 4;
/** Rounds in the run: 2025Q1-2027Q4, the Tier 2 cap period. */
export const ROUNDS = 12;
/** Taiwan has no sourced 2024 GDP; domain-facts section 3 derives ~USD 0.78T from the IMF per-capita figure. */
export const TWN_GDP_ASSUMED = 780;
/**
 * Demand intensity for countries without a sourced deal: Korea's 260,000 Blackwell GPUs [S43], spread over the
 * 12 quarters, per USD bn of Korea's 2024 GDP (1,868 [S57]): about 11.6 H100e per USD bn per quarter.
 */
export const DEMAND_PER_GDP = 260_000 / ROUNDS / 1868;

/** Demand per round taken from a sourced deal size (GPUs counted 1:1 as H100e). */
export const DEAL_DEMAND: Readonly<Record<string, { readonly perRound: number; readonly why: string }>> = {
  ARE: { perRound: 500_000 / 4, why: 'up to 500k chips/yr [S28-S30]' },
  SAU: { perRound: 600_000 / 12, why: 'Humain up to 600k over 3 yrs [S45]' },
  KOR: { perRound: 260_000 / ROUNDS, why: '260k Blackwell [S43] over 12 quarters' },
  GBR: { perRound: 120_000 / ROUNDS, why: '120k GPUs, Tech Prosperity Deal [S40], over 12 quarters' },
};

/** Value of the first H100e to the country (USD; its demand curve falls to the price at its demand): ~1.8x price; Gulf states higher (cheap power, sovereign AI push). */
const VALUE = 45_000;
const VALUE_GULF = 50_000;
const GULF = new Set(['ARE', 'SAU']);

/** Diversion risk (share leaking with no enforcement) by country: assumptions informed by S34, S35, S75-S78. */
const DIVERSION: Readonly<Record<string, number>> = {
  TWN: 0.03, JPN: 0.01, KOR: 0.02, NLD: 0.01, DEU: 0.01, FRA: 0.01, GBR: 0.01, CAN: 0.01, AUS: 0.01,
  IND: 0.03, ARE: 0.08, SAU: 0.05, ISR: 0.02, SGP: 0.15, MYS: 0.15, VNM: 0.08, BRA: 0.03, MEX: 0.03,
  IDN: 0.05, TUR: 0.06, POL: 0.02, CHE: 0.02, ZAF: 0.04, THA: 0.08,
};

/** Enforcement adjustments on top of the Wassenaar/tier rule (see enforcementOf). */
const ENFORCEMENT_ADJUST: Readonly<Record<string, number>> = {
  SGP: 0.25, // prosecutions of the 2025 AI-server diversion case [S75]
  ARE: 0.25, // security-alignment pledges and conditioned approvals [S28-S32, S45]
  ISR: 0.25, // mature defence export-control system (assumption)
  MYS: 0.1, // Strategic Trade Permit for US AI chips from Jul 2025 [S35]
  SAU: 0.1, // approvals conditioned on security and reporting [S45]
  TUR: -0.1, // assumption: weak record on re-exports of dual-use goods
};

/** Hosts data-centre operators that could qualify as validated end users (assumption). */
const VEU_ELIGIBLE = new Set(['ARE', 'SAU', 'IND', 'ISR', 'SGP', 'MYS']);

/** Big Tier 2 economies that bargain reciprocally (assumption). */
const TIT_FOR_TAT = new Set(['IND', 'BRA', 'MEX', 'IDN', 'TUR']);

/** Tariff rate (pp) used as the tariff-leverage proxy where the Annex I rate is not the right column [S52]. */
const TARIFF_OVERRIDE: Readonly<Record<string, { readonly pp: number; readonly why: string }>> = {
  CAN: { pp: 35, why: 'IEEPA fentanyl duty on non-USMCA goods from 1 Aug 2025 [S52]' },
  MEX: { pp: 25, why: 'IEEPA fentanyl duty on non-USMCA goods [S52]' },
};

// ---------------------------------------------------------------------------------------------------------
// CSV reading
// ---------------------------------------------------------------------------------------------------------

export type Row = Readonly<Record<string, string>>;

/** RFC 4180 CSV (quoted fields, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text: string): Row[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      field = '';
      if (record.some((f) => f !== '')) records.push(record);
      record = [];
    } else {
      field += ch;
    }
  }
  record.push(field);
  if (record.some((f) => f !== '')) records.push(record);
  const [header, ...rows] = records;
  if (header === undefined) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}

// ---------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------

export interface CountryRecord {
  readonly id: string;
  readonly name: string;
  readonly tier: 1 | 2 | 3;
  readonly gdp: number;
  readonly gdpNote: string;
  readonly usGoodsBalance: number | null;
  readonly demandPerRound: number;
  readonly demandNote: string;
  readonly valuePerH100e: number;
  readonly relations: number;
  readonly diversionRisk: number;
  readonly enforcement: number;
  readonly patience: number;
  readonly strategy: string;
  readonly maxTariff: number;
  readonly tariffNote: string;
  readonly maxInvestment: number;
  readonly maxPurchases: number;
  readonly tariffValuePerPp: number;
  readonly securityCost: number;
  readonly rivalAccess: number;
  readonly consignees: number;
  readonly veuEligible: boolean;
  readonly alliance: string;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

function tierOf(text: string): 1 | 2 | 3 {
  const m = /Tier (\d)/.exec(text);
  const t = m ? Number(m[1]) : NaN;
  if (t === 1 || t === 2 || t === 3) return t;
  throw new Error(`cannot read a tier from "${text}"`);
}

function usdBn(text: string): number | null {
  if (text.trim() === '') return null;
  const v = Number(text);
  if (!Number.isFinite(v)) throw new Error(`not a number: "${text}"`);
  return v / 1e9;
}

/** Leading integer of a tariff cell such as "15 all-in (EU)" or "39 (-> 15 after Nov 2025 deal)". */
function leadingNumber(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)/.exec(text);
  return m ? Number(m[1]) : null;
}

interface Alignment {
  readonly nato: boolean;
  readonly wassenaar: boolean;
  readonly mnna: boolean;
  readonly partner: boolean;
}

function alignmentOf(ext: Row): Alignment {
  const status = ext.us_alliance_status ?? '';
  return {
    nato: (ext.nato ?? '').startsWith('Y'),
    wassenaar: (ext.wassenaar ?? '').startsWith('Y'),
    // "MNNA", "MNNA (verify)", "MNNA designated Nov 2025", "treated as MNNA by statute (verify)".
    mnna: /MNNA/.test(status),
    partner: /Major Defense Partner|Major Security Cooperation Partner/.test(status),
  };
}

/** 0.5, +0.2 NATO, +0.15 MNNA, +0.1 other partner label, +0.1 Tier 1; at most 0.9. */
export function relationsOf(tier: number, a: Alignment): number {
  const r = 0.5 + (a.nato ? 0.2 : 0) + (a.mnna ? 0.15 : 0) + (!a.mnna && a.partner ? 0.1 : 0) + (tier === 1 ? 0.1 : 0);
  return round(Math.min(0.9, r), 2);
}

/**
 * Tier 1 Wassenaar 0.85, Tier 1 other 0.7, Tier 2 Wassenaar 0.55, Tier 2 other 0.4; plus adjustments. No value
 * sits exactly on the 0.6 validated-end-user threshold of the tiered-2025 regime, so qualification is a choice.
 */
export function enforcementOf(id: string, tier: number, a: Alignment): number {
  const base = tier === 1 ? (a.wassenaar ? 0.85 : 0.7) : a.wassenaar ? 0.55 : 0.4;
  return round(Math.min(1, Math.max(0, base + (ENFORCEMENT_ADJUST[id] ?? 0))), 2);
}

/** Tier 1 or NATO 0.05; MNNA or partner 0.15; others 0.3. */
export function rivalAccessOf(tier: number, a: Alignment): number {
  if (tier === 1 || a.nato) return 0.05;
  if (a.mnna || a.partner) return 0.15;
  return 0.3;
}

/** Security-commitment cost as a share of the chip value of a full-demand term. */
export function securityShareOf(tier: number, a: Alignment): number {
  if (tier === 1) return 0.005;
  if (a.nato || a.mnna || a.partner) return 0.0075;
  return 0.01;
}

export function countryRecord(base: Row, ext: Row): CountryRecord {
  const id = base.iso3 ?? '';
  const tier = tierOf(base.tier_2025_rule ?? '');
  const a = alignmentOf(ext);
  const gdpSourced = usdBn(base.gdp_usd_2024 ?? '');
  const gdp = gdpSourced ?? (id === 'TWN' ? TWN_GDP_ASSUMED : NaN);
  if (!Number.isFinite(gdp)) throw new Error(`${id}: no GDP and no assumption for it`);
  const deal = DEAL_DEMAND[id];
  const demand = deal ? Math.round(deal.perRound) : Math.round((DEMAND_PER_GDP * gdp) / 100) * 100;
  const chipValueBn = (demand * TERM * PRICE) / 1e9;
  const override = TARIFF_OVERRIDE[id];
  const aug = leadingNumber(ext.recip_tariff_2025_08_07_pct ?? '');
  const maxTariff = override?.pp ?? aug;
  if (maxTariff === null) throw new Error(`${id}: no tariff rate`);
  const diversion = DIVERSION[id];
  if (diversion === undefined) throw new Error(`${id}: no diversion risk`);
  const patience = GULF.has(id) ? 0.98 : tier === 1 ? (gdp >= 1500 ? 0.995 : 0.99) : 0.99;
  const strategy = tier === 1 ? 'boulware' : GULF.has(id) ? 'conceder' : TIT_FOR_TAT.has(id) ? 'tit-for-tat' : 'linear';
  const status = (ext.us_alliance_status ?? '').replace(/^Tier 1; /, '').replace(/^(-|NATO)$/, '');
  const labels = [`Tier ${tier}`, a.nato ? 'NATO' : '', a.wassenaar ? 'Wassenaar' : '', status];
  return {
    id,
    name: base.name ?? id,
    tier,
    gdp: round(gdp, 1),
    gdpNote: gdpSourced === null ? 'GDP assumed (derived)' : '',
    usGoodsBalance: (() => {
      const b = usdBn(base.us_goods_balance_usd_2024 ?? '');
      return b === null ? null : round(b, 2);
    })(),
    demandPerRound: demand,
    demandNote: deal ? deal.why : 'GDP x Korea intensity',
    valuePerH100e: GULF.has(id) ? VALUE_GULF : VALUE,
    relations: relationsOf(tier, a),
    diversionRisk: diversion,
    enforcement: enforcementOf(id, tier, a),
    patience,
    strategy,
    maxTariff,
    tariffNote: override ? override.why : `Aug 2025 rate ${ext.recip_tariff_2025_08_07_pct ?? ''}`.trim(),
    maxInvestment: round(chipValueBn, 2),
    maxPurchases: round(chipValueBn / 2, 2),
    tariffValuePerPp: round(0.00005 * gdp, 4),
    securityCost: round(securityShareOf(tier, a) * chipValueBn, 3),
    rivalAccess: rivalAccessOf(tier, a),
    consignees: tier === 2 ? 5 : 0,
    veuEligible: VEU_ELIGIBLE.has(id),
    alliance: labels.filter((l) => l !== '').join('; '),
  };
}

/** All non-exporter, non-Tier-3 rows, in the CSV's order. */
export function countryRecords(base: readonly Row[], ext: readonly Row[]): CountryRecord[] {
  const extById = new Map(ext.map((r) => [r.iso3 ?? '', r]));
  return base
    .filter((r) => r.iso3 !== 'USA' && tierOf(r.tier_2025_rule ?? '') !== 3)
    .map((r) => {
      const e = extById.get(r.iso3 ?? '');
      if (e === undefined) throw new Error(`${r.iso3 ?? '?'}: missing from countries_extended.csv`);
      return countryRecord(r, e);
    });
}

const STRATEGY_YAML: Readonly<Record<string, string>> = {
  boulware: '{ name: boulware, params: { e: 0.3 } }',
  conceder: '{ name: conceder, params: { e: 2 } }',
  'tit-for-tat': '{ name: tit-for-tat, params: { window: 1 } }',
  linear: 'linear',
};

export function toYaml(records: readonly CountryRecord[]): string {
  const lines: string[] = ['countries:'];
  for (const c of records) {
    const notes = [c.alliance, `demand: ${c.demandNote}`, `tariff proxy: ${c.tariffNote}`, c.gdpNote].filter((x) => x !== '');
    lines.push(`  - id: ${c.id}   # ${notes.join(' | ')}`);
    lines.push(`    name: ${c.name}`);
    lines.push(`    tier: ${c.tier}`);
    lines.push(`    gdp: ${c.gdp}`);
    lines.push(`    usGoodsBalance: ${c.usGoodsBalance === null ? 'null' : c.usGoodsBalance}`);
    lines.push(`    demandPerRound: ${c.demandPerRound}`);
    lines.push(`    valuePerH100e: ${c.valuePerH100e}`);
    lines.push(`    relations: ${c.relations}`);
    lines.push(`    diversionRisk: ${c.diversionRisk}`);
    lines.push(`    enforcement: ${c.enforcement}`);
    lines.push(`    patience: ${c.patience}`);
    lines.push(`    strategy: ${STRATEGY_YAML[c.strategy] ?? c.strategy}`);
    lines.push(
      `    concessions: { maxTariff: ${c.maxTariff}, tariffValuePerPp: ${c.tariffValuePerPp}, maxInvestment: ${c.maxInvestment}, ` +
        `maxPurchases: ${c.maxPurchases}, investmentCost: 0.25, investmentValue: 0.2, purchaseCost: 0.15, purchaseValue: 0.1, securityCost: ${c.securityCost} }`,
    );
    lines.push(`    rivalAccess: ${c.rivalAccess}`);
    if (c.consignees > 0) lines.push(`    consignees: ${c.consignees}`);
    if (c.veuEligible) lines.push('    veuEligible: true');
  }
  return `${lines.join('\n')}\n`;
}

export function main(args: readonly string[]): number {
  const dir = resolve(args[0] ?? '../shared/data');
  const base = parseCsv(readFileSync(join(dir, 'countries.csv'), 'utf8'));
  const ext = parseCsv(readFileSync(join(dir, 'countries_extended.csv'), 'utf8'));
  const records = countryRecords(base, ext);
  process.stdout.write(toYaml(records));
  const total = records.reduce((a, c) => a + c.demandPerRound, 0);
  process.stderr.write(`${records.length} countries, total demand ${total} H100e per round\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
