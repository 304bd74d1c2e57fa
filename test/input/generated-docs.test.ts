/**
 * The committed JSON Schema and scenario reference must match what the generator produces from the zod schema.
 * To regenerate: `npm run gen:schema`, or `UPDATE_GENERATED=1 npx vitest run test/input/generated-docs.test.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCS_FILE, MODEL_FILE, SCHEMA_FILE, renderJsonSchema, renderModelDoc, renderScenarioDocs, writeGenerated } from '../../src/tools/gen-schema.js';

const update = process.env.UPDATE_GENERATED === '1';
if (update) writeGenerated();

describe('generated files are up to date', () => {
  it.each([
    ['schema/scenario.schema.json', SCHEMA_FILE, renderJsonSchema],
    ['docs/scenarios.md', DOCS_FILE, renderScenarioDocs],
    ['docs/model.md (metric tables)', MODEL_FILE, () => renderModelDoc(readFileSync(MODEL_FILE, 'utf8'))],
  ] as const)('%s', (name, file, render) => {
    expect(existsSync(file), `${name} is missing: run npm run gen:schema`).toBe(true);
    const committed = readFileSync(file, 'utf8');
    // A plain equality check with a readable hint (a full diff of a 40 kB file helps no one).
    if (committed !== render()) expect.fail(`${name} is stale: run \`npm run gen:schema\` and commit the result`);
  });

  it('the JSON Schema is valid JSON with $id, title and both kinds', () => {
    const schema = JSON.parse(renderJsonSchema()) as { $id?: string; title?: string; oneOf?: unknown[] };
    expect(schema.$id).toBeTruthy();
    expect(schema.title).toBeTruthy();
    expect(schema.oneOf).toHaveLength(2);
  });

  it('the reference has a section and table for each object', () => {
    const md = renderScenarioDocs();
    for (const heading of ['Chips scenario', 'Bargaining scenario', 'Exporter', 'Country', 'Adversary', 'Rival supplier', 'Negotiation settings', 'Relations settings', 'Leakage settings', 'Regime', 'Regime rule']) {
      expect(md).toContain(`## ${heading}`);
    }
    expect(md).toContain('| field | type | unit | default | description |');
    expect(md).toContain('yaml-language-server: $schema=');
    expect(md).toMatch(/\| `patience` \| number > 0, ≤ 1 \|/);
  });
});
