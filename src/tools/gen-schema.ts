/**
 * Generates, from the zod scenario schema (src/core/scenario/schema.ts, the single source of truth):
 * - schema/scenario.schema.json: the JSON Schema editors use (`# yaml-language-server: $schema=...`);
 * - docs/scenarios.md: the scenario reference (one table per object: field, type, unit, default, description).
 *
 * Run `npm run gen:schema` (builds, then `node dist/tools/gen-schema.js`). test/input/generated-docs.test.ts fails
 * when the committed files differ from what this produces.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { FINAL_METRICS, ROUND_METRICS, type MetricDef } from '../core/metrics.js';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { defOf, describeExpected, numberBounds, patternOf, unwrap } from '../core/scenario/introspect.js';
import type { Schema } from '../core/scenario/introspect.js';
import {
  AdversarySchema,
  BargainingScenarioSchema,
  ChangePlus,
  ChangeTimes,
  InvariantObject,
  UncertainLognormal,
  UncertainNormal,
  UncertainRange,
  UncertainSet,
  UncertainTriangular,
  ChipsScenarioSchema,
  ConcessionsSchema,
  CountrySchema,
  DomesticMarketSchema,
  ExporterSchema,
  LicensedRule,
  StackSettings,
  TimelineEventSchema,
  VeuRule,
  Expression,
  IssueSchema,
  LeakageSettings,
  NegotiationSettings,
  ObjectiveWeights,
  PartySchema,
  ProtocolSchema,
  RegimeSchema,
  RelationsSettings,
  RivalSchema,
  RuleSchema,
  ScenarioSchema,
  StrategyRef,
} from '../core/scenario/schema.js';

export const SCHEMA_ID = 'urn:tradesim:schema:scenario';
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));
export const DOCS_FILE = fileURLToPath(new URL('../../docs/scenarios.md', import.meta.url));

/** The JSON Schema of scenario files (input side: fields with defaults are optional), as file text. */
export function renderJsonSchema(): string {
  const generated = z.toJSONSchema(ScenarioSchema, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  const out = {
    $schema,
    $id: SCHEMA_ID,
    title: 'tradesim scenario',
    description: 'A tradesim scenario file: kind "chips" (the chip-trade world) or kind "bargaining" (two-party bargaining). Generated from src/core/scenario/schema.ts; do not edit.',
    ...rest,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Markdown reference
// ---------------------------------------------------------------------------------------------------------

interface Section {
  readonly schema: Schema;
  /** For an anonymous object: the title and anchor of the section it belongs to. */
  readonly owner?: { readonly title: string; readonly anchor: string };
  readonly anchor: string;
  readonly title: string;
  readonly paths: string[];
}

/** Friendly names for the named schemas; anonymous objects are named by their path. */
const NAMED: readonly [Schema, string, string][] = [
  [ChipsScenarioSchema, 'chips-scenario', 'Chips scenario (top level, `kind: chips`)'],
  [BargainingScenarioSchema, 'bargaining-scenario', 'Bargaining scenario (top level, `kind: bargaining`)'],
  [ExporterSchema, 'exporter', 'Exporter'],
  [ObjectiveWeights, 'objective', 'Exporter objective weights'],
  [CountrySchema, 'country', 'Country'],
  [ConcessionsSchema, 'concessions', 'Country concessions'],
  [AdversarySchema, 'adversary', 'Adversary'],
  [DomesticMarketSchema, 'domestic', 'Exporter domestic market'],
  [RivalSchema, 'rival', 'Rival supplier'],
  [StackSettings, 'stack', 'Stack settings'],
  [TimelineEventSchema, 'timeline-event', 'Timeline event'],
  [LicensedRule, 'licensed', 'Licensed sales of a downgraded product'],
  [VeuRule, 'veu', 'Validated-end-user route'],
  [NegotiationSettings, 'negotiation', 'Negotiation settings'],
  [RelationsSettings, 'relations', 'Relations settings'],
  [LeakageSettings, 'leakage', 'Leakage settings'],
  [RegimeSchema, 'regime', 'Regime'],
  [RuleSchema, 'rule', 'Regime rule'],
  [StrategyRef, 'strategy', 'Strategy'],
  [IssueSchema, 'issue', 'Issue'],
  [PartySchema, 'party', 'Party'],
  [ProtocolSchema, 'protocol', 'Protocol'],
  [UncertainRange, 'uncertain-range', 'Uncertain value: range'],
  [UncertainSet, 'uncertain-set', 'Uncertain value: set'],
  [UncertainNormal, 'uncertain-normal', 'Uncertain value: normal distribution'],
  [UncertainLognormal, 'uncertain-lognormal', 'Uncertain value: lognormal distribution'],
  [UncertainTriangular, 'uncertain-triangular', 'Uncertain value: triangular distribution'],
  [InvariantObject, 'invariant', 'Invariant (object form)'],
  [ChangeTimes, 'change-times', 'Invariant change: times'],
  [ChangePlus, 'change-plus', 'Invariant change: plus'],
];

function esc(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const num = (n: number): string => (Math.abs(n) >= 1e6 ? n.toExponential() : String(n));

function numberType(s: Schema): string {
  const b = numberBounds(s);
  const noun = b.integer ? 'integer' : 'number';
  const lo = b.min !== undefined ? `${b.minInclusive ? '≥' : '>'} ${num(b.min)}` : undefined;
  const hi = b.max !== undefined ? `${b.maxInclusive ? '≤' : '<'} ${num(b.max)}` : undefined;
  if (lo !== undefined && hi !== undefined && b.minInclusive && b.maxInclusive) return `${noun} ${num(b.min as number)}–${num(b.max as number)}`;
  return [noun, [lo, hi].filter(Boolean).join(', ')].filter(Boolean).join(' ');
}

class DocBuilder {
  readonly sections: Section[] = [];
  private readonly bySchema = new Map<Schema, Section>();
  private anonymous = 0;

  section(schema: Schema, path: string, owner?: Section): Section {
    const known = this.bySchema.get(schema);
    if (known !== undefined) {
      if (!known.paths.includes(path)) known.paths.push(path);
      return known;
    }
    const named = NAMED.find(([s]) => s === schema);
    const anchor = named?.[1] ?? `obj-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || String(++this.anonymous)}`;
    const key = path.replace(/\[\d*\]$|\.\*$/g, '').split('.').pop() ?? path;
    const title = named?.[2] ?? (owner !== undefined ? `${owner.title.replace(/ \(.*\)$/, '')}: \`${key}\`` : `\`${path}\``);
    const sec: Section = { schema, anchor, title, paths: [path], ...(named === undefined && owner !== undefined ? { owner: { title: owner.title, anchor: owner.anchor } } : {}) };
    this.bySchema.set(schema, sec);
    this.sections.push(sec);
    return sec;
  }

  /** A compact type for the table, registering sections for nested objects. */
  typeOf(s: Schema, path: string, owner?: Section): string {
    const u = unwrap(s);
    const d = defOf(u.core);
    let t: string;
    switch (d.type) {
      case 'number':
        t = numberType(u.core);
        break;
      case 'string': {
        const p = patternOf(u.core);
        if (defOf(u.core) === defOf(Expression)) t = 'expression (≤ 500 chars)';
        else if (p !== undefined) t = p.message !== undefined ? 'identifier' : `string \`${String(p.pattern)}\``;
        else {
          const max = (d.checks ?? []).map((c) => c._zod.def).find((c) => c.check === 'max_length')?.maximum;
          t = max !== undefined ? `string (≤ ${max} chars)` : 'string';
        }
        break;
      }
      case 'boolean':
        t = 'boolean';
        break;
      case 'literal':
        t = (d.values ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
        break;
      case 'enum':
        t = Object.values(d.entries ?? {}).map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
        break;
      case 'union':
        t = (d.options ?? []).map((o) => this.typeOf(o, path, owner)).join(' \\| ');
        break;
      case 'object': {
        const sec = this.section(u.core, path, owner);
        t = `[${sec.title.replace(/ \(.*\)$/, '')}](#${sec.anchor})`;
        break;
      }
      case 'array': {
        const el = d.element as Schema;
        const lens = (d.checks ?? []).map((c) => c._zod.def);
        const min = lens.find((c) => c.check === 'min_length')?.minimum;
        const max = lens.find((c) => c.check === 'max_length')?.maximum;
        const count = min !== undefined && max !== undefined ? ` (${min}–${max})` : max !== undefined ? ` (≤ ${max})` : min !== undefined ? ` (≥ ${min})` : '';
        t = `list${count} of ${this.typeOf(el, `${path}[]`, owner)}`;
        break;
      }
      case 'tuple':
        t = `list of ${(d.items ?? []).length}: ${[...new Set((d.items ?? []).map((it, i) => this.typeOf(it, `${path}[${i}]`, owner)))].join(', ')}`;
        break;
      case 'record':
        t = `map of ${d.keyType ? this.typeOf(d.keyType, `${path}.key`, owner) : 'string'} → ${this.typeOf(d.valueType as Schema, `${path}.*`, owner)}`;
        break;
      case 'null':
        t = 'null';
        break;
      default:
        t = d.type;
    }
    return u.nullable ? `${t} \\| null` : t;
  }

  table(sec: Section): string[] {
    const shape = defOf(sec.schema).shape ?? {};
    const rows = ['| field | type | unit | default | description |', '| --- | --- | --- | --- | --- |'];
    const base = sec.paths[0] ?? '';
    for (const [key, field] of Object.entries(shape)) {
      const u = unwrap(field);
      const fieldPath = base === '' ? key : `${base}.${key}`;
      const type = this.typeOf(field, fieldPath, sec);
      const def = u.hasDefault ? `\`${truncate(JSON.stringify(u.defaultValue))}\`` : u.optional ? '(optional)' : '**required**';
      const description = u.meta.description ?? (key === 'kind' ? `Which model the scenario drives: ${describeExpected(field)}.` : '');
      rows.push(`| \`${key}\` | ${type} | ${esc(u.meta.unit ?? '')} | ${esc(def)} | ${esc(description)} |`);
    }
    return rows;
  }
}

function truncate(s: string | undefined, max = 60): string {
  if (s === undefined) return '';
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

const INTRO = `# Scenario reference

<!-- GENERATED by src/tools/gen-schema.ts from src/core/scenario/schema.ts. Do not edit: run \`npm run gen:schema\`. -->

A scenario is one YAML (\`.yaml\`, \`.yml\`) or JSON (\`.json\`) file. \`kind\` says which model it drives:
\`chips\` (the chip-trade world: an exporter, importing countries, adversaries, a rival supplier and an export
regime) or \`bargaining\` (two parties bargaining over numeric issues with expression utilities).

**Editor support.** Put this line at the top of a YAML scenario (path relative to the file) to get completion,
hover descriptions and validation from any editor using yaml-language-server (VS Code's YAML extension and others):

\`\`\`yaml
# yaml-language-server: $schema=../schema/scenario.schema.json
\`\`\`

The JSON Schema in \`schema/scenario.schema.json\` is generated from the same zod schema as this page. It
describes a complete scenario: in a file that uses \`extends\`, an editor will report required fields the base
provides as missing; \`tradesim validate\` checks the merged result.

**extends.** \`extends: ./base.yaml\` (relative to the file) loads the base first (bases may extend further, at
most 8 deep, no cycles) and merges this file over it: mappings merge key by key; lists whose elements all have an
\`id\` (countries, adversaries) merge element by element by id - a known id is updated, a new id is appended, and
\`- { id: X, remove: true }\` removes X; any other list or value replaces the base's. Errors in a base file name
the base file and line.

**--set.** \`tradesim run file.yaml --set PATH=VALUE\` overrides one value after merging, before validation;
repeat it to set several (applied in order). Paths: \`exporter.price\`, \`countries[2].gdp\`, by id
\`countries[IND].patience\` or \`countries.IND.patience\`, quoted keys \`provenance["countries.*.gdp"]\`. The value
is a YAML scalar or flow value: \`0.9\`, \`true\`, \`boulware\`, \`{name: linear, params: {beta: 0.2}}\`, \`[1, 2]\`.
The parent of the path must exist (set a missing object whole: \`--set 'rival={capacityPerRound: 5000}'\`).

**provenance.** Every number in a shipped scenario should say where it comes from: \`provenance\` maps paths
(\`*\` matches any key or id, e.g. \`"countries.*.gdp"\`) to a source key from docs/sources (e.g. \`"S55 IMF WEO"\`)
or the word \`assumption\`.

**Expressions** (\`utility\`, \`capExpr\`, \`eligible\`) are mathjs expressions of at most 500 characters run in a
locked-down sandbox: numbers, the variables listed for the field, \`pi\`, \`e\`, \`true\`, \`false\`, the operators
\`+ - * / ^ mod\`, comparisons \`== != < > <= >=\`, \`and or not xor\`, \`cond ? a : b\`, and the functions \`abs sqrt
exp log log10 min max floor ceil round sign sin cos tan\`. Nothing else (no property access, assignment, strings,
matrices or units).

Objects are strict: an unknown key is an error (with a "did you mean" suggestion). Defaults apply to omitted
fields; **required** fields have none. Units are given per field.
`;

/** The scenario reference (docs/scenarios.md) as file text. */
export function renderScenarioDocs(): string {
  const b = new DocBuilder();
  b.section(ChipsScenarioSchema, '');
  b.section(BargainingScenarioSchema, '');
  const parts: string[] = [INTRO];
  // Tables register nested sections as they are rendered; keep going until all are rendered.
  const rendered: string[][] = [];
  for (let i = 0; i < b.sections.length; i++) {
    const sec = b.sections[i] as Section;
    rendered.push(b.table(sec));
  }
  parts.push('## Contents', '');
  for (const sec of b.sections) parts.push(`- [${sec.title}](#${sec.anchor})`);
  parts.push('');
  b.sections.forEach((sec, i) => {
    parts.push(`<a id="${sec.anchor}"></a>`, '', `## ${sec.title}`, '');
    const meta = unwrap(sec.schema).meta.description;
    if (meta !== undefined) parts.push(meta, '');
    const paths = sec.paths.filter((p) => p !== '');
    if (sec.owner !== undefined) parts.push(`Part of [${sec.owner.title}](#${sec.owner.anchor}).`, '');
    else if (paths.length > 0) parts.push(`Used at: ${paths.map((p) => `\`${p}\``).join(', ')}.`, '');
    parts.push(...(rendered[i] ?? []), '');
  });
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// The metric tables of docs/model.md, from the metric catalogue (src/core/metrics.ts)
// ---------------------------------------------------------------------------------------------------------

export const MODEL_FILE = fileURLToPath(new URL('../../docs/model.md', import.meta.url));
const BEGIN = '<!-- generated from src/core/metrics.ts by npm run gen:schema: begin -->';
const END = '<!-- generated: end -->';

function variantText(m: MetricDef): string {
  const v = m.movedBy.value;
  const value = typeof v === 'object' ? `× ${v.times}` : `= ${v}`;
  return `\`${m.movedBy.path}\` ${value}${m.movedBy.scenario ? ` (${m.movedBy.scenario})` : ''}`;
}

function metricTable(list: readonly MetricDef[]): string[] {
  return [
    '| key | metric | unit | definition | claim it tests | moved by (tested) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...list.map((m) => `| \`${m.key}\` | ${esc(m.label)} | ${esc(m.unit)} | ${esc(m.description)}${m.nullable ? ' (null when undefined)' : ''} | ${esc(m.claim)} | ${variantText(m)} |`),
  ];
}

/** The metric section of docs/model.md, between its markers. */
export function renderMetricDocs(): string {
  return [
    BEGIN,
    '',
    '**Final metrics** (`metrics.final`; sweep columns `metrics.<key>`; invariant names `final.<key>`)',
    '',
    ...metricTable(FINAL_METRICS),
    '',
    '**Per-round metrics** (`metrics.perRound[]`, plus `supply`, the chips they account for; invariant lists `rounds.<key>`)',
    '',
    ...metricTable(ROUND_METRICS),
    '',
    END,
  ].join('\n');
}

/** docs/model.md with its metric section regenerated. */
export function renderModelDoc(current: string): string {
  const a = current.indexOf(BEGIN);
  const b = current.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/model.md has no metric markers (${BEGIN} ... ${END})`);
  return current.slice(0, a) + renderMetricDocs() + current.slice(b + END.length);
}

/** Writes the generated files. */
export function writeGenerated(): void {
  for (const [file, text] of [
    [SCHEMA_FILE, renderJsonSchema()],
    [DOCS_FILE, renderScenarioDocs()],
    [MODEL_FILE, renderModelDoc(readFileSync(MODEL_FILE, 'utf8'))],
  ] as const) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) writeGenerated();
