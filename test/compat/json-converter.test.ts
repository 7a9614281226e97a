/**
 * Differential: Tributary's JsonConverter.fromConnectData against Kafka's own Java JsonConverter
 * (same Kafka version as the test broker), byte for byte, with schemas.enable true/false and
 * decimal.format BASE64/NUMERIC.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { JsonConverter } from '../../runtime/converters/json-converter.ts';
import { ORACLE_CONFIGS, runOracle, type OracleResult } from './json-converter-oracle.ts';
import { buildSchema, buildSchemaless, buildValue, jsonConverterCases, type SchemalessDesc } from './json-converter-cases.ts';

const cases = jsonConverterCases();

function tributary(config: Record<string, string>, c: (typeof cases)[number]): OracleResult {
  try {
    const conv = new JsonConverter();
    conv.configure(config, false);
    const schema = c.schema === null ? null : buildSchema(c.schema);
    const value = schema === null ? buildSchemaless(c.value as SchemalessDesc | null) : buildValue(schema, c.value);
    return { ok: true, bytes: conv.fromConnectData('t', schema, value) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function show(r: OracleResult | undefined): string {
  if (!r) return '<missing>';
  if (!r.ok) return `error ${r.error}`;
  return r.bytes === null ? 'null' : r.bytes.toString('utf8');
}

describe("JsonConverter against Kafka's Java JsonConverter", () => {
  let oracle: Map<string, OracleResult[]>;
  beforeAll(() => {
    oracle = runOracle(cases);
  }, 300_000);

  it('has at least 150 distinct cases', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(ORACLE_CONFIGS.map((config, index) => ({ config, index, label: `schemas.enable=${config['schemas.enable']} decimal.format=${config['decimal.format']}` })))('writes the same bytes ($label)', ({ config, index }) => {
    const differences: string[] = [];
    let compared = 0;
    for (const c of cases) {
      const expected = oracle.get(c.id)?.[index];
      const actual = tributary(config, c);
      if (!expected) throw new Error(`the Java harness gave no result for ${c.id}`);
      compared++;
      const same = expected.ok && actual.ok ? (expected.bytes === null ? actual.bytes === null : actual.bytes !== null && expected.bytes.equals(actual.bytes)) : expected.ok === actual.ok;
      if (!same) differences.push(`${c.id}\n    kafka:     ${show(expected)}\n    tributary: ${show(actual)}`);
    }
    expect(compared).toBe(cases.length);
    expect(differences, `${differences.length} of ${cases.length} cases differ:\n${differences.join('\n')}`).toEqual([]);
  });
});
