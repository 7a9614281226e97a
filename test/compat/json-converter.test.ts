/**
 * Differential: Tributary's JsonConverter.fromConnectData against Kafka's own Java JsonConverter
 * (same Kafka version as the test broker), byte for byte, with schemas.enable true/false and
 * decimal.format BASE64/NUMERIC, replace.null.with.default true/false; and toConnectData of every
 * output back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { JsonConverter } from '../../runtime/converters/json-converter.ts';
import {
  ORACLE_CONFIGS,
  runOracle,
  runReverseOracle,
  type OracleResult,
  type ReadResult,
} from './json-converter-oracle.ts';
import { canonical, dumpSchema, dumpSchemaless, dumpValue } from './connect-dump.ts';
import {
  buildSchema,
  buildSchemaless,
  buildValue,
  jsonConverterCases,
  type SchemalessDesc,
} from './json-converter-cases.ts';

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

  it.each(
    ORACLE_CONFIGS.map((config, index) => ({
      config,
      index,
      label: `schemas.enable=${config['schemas.enable']} decimal.format=${config['decimal.format']} replace.null.with.default=${config['replace.null.with.default']}`,
    })),
  )('writes the same bytes ($label)', ({ config, index }) => {
    const differences: string[] = [];
    let compared = 0;
    for (const c of cases) {
      const expected = oracle.get(c.id)?.[index];
      const actual = tributary(config, c);
      if (!expected) throw new Error(`the Java harness gave no result for ${c.id}`);
      compared++;
      const same =
        expected.ok && actual.ok
          ? expected.bytes === null
            ? actual.bytes === null
            : actual.bytes !== null && expected.bytes.equals(actual.bytes)
          : expected.ok === actual.ok;
      if (!same) differences.push(`${c.id}\n    kafka:     ${show(expected)}\n    tributary: ${show(actual)}`);
    }
    expect(compared).toBe(cases.length);
    expect(differences, `${differences.length} of ${cases.length} cases differ:\n${differences.join('\n')}`).toEqual(
      [],
    );
  });
});

/** Plain JSON documents read schemaless (and in a schema:null envelope): number typing, big integers, nesting. */
const SCHEMALESS_TEXTS = [
  '1',
  '1.0',
  '-0.0',
  '0.1',
  '1e400',
  '1.0E-10',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '12345678901234567890.5',
  '"\\ud83d\\ude00 \\u0001"',
  'true',
  'null',
  '[]',
  '{}',
  '[1,2.5,"x",null,false]',
  '{"a":1,"b":{"c":[1.5e300]},"10":"numeric key"}',
  ' 7 ',
  '"NaN"',
];

describe("JsonConverter.toConnectData against Kafka's Java JsonConverter", () => {
  const inputs: Array<{ label: string; config: number; bytes: Buffer }> = [];
  let expected: ReadResult[];
  beforeAll(() => {
    // Everything Kafka wrote in the forward direction, read back under the same configuration.
    const written = runOracle(cases);
    for (const c of cases) {
      written.get(c.id)?.forEach((r, config) => {
        if (r.ok && r.bytes !== null)
          inputs.push({ label: `${c.id} [${JSON.stringify(ORACLE_CONFIGS[config])}]`, config, bytes: r.bytes });
      });
    }
    for (const text of SCHEMALESS_TEXTS) {
      inputs.push({ label: `schemaless ${text}`, config: 2, bytes: Buffer.from(text) });
      inputs.push({ label: `envelope ${text}`, config: 0, bytes: Buffer.from(`{"schema":null,"payload":${text}}`) });
    }
    expected = runReverseOracle(inputs);
  }, 300_000);

  it('reads the same Connect schemas and values', () => {
    const differences: string[] = [];
    inputs.forEach((input, i) => {
      const kafka = expected[i];
      if (!kafka) throw new Error(`the Java harness gave no result for ${input.label}`);
      let actual: ReadResult;
      try {
        const conv = new JsonConverter();
        conv.configure({ ...ORACLE_CONFIGS[input.config] }, false);
        const sv = conv.toConnectData('t', input.bytes);
        actual = {
          ok: true,
          dump: {
            schema: sv.schema === null ? null : dumpSchema(sv.schema),
            value: sv.schema === null ? dumpSchemaless(sv.value) : dumpValue(sv.schema, sv.value),
          },
        };
      } catch (err) {
        actual = { ok: false, error: (err as Error).message };
      }
      const a = actual.ok ? JSON.stringify(canonical(actual.dump)) : 'error';
      const k = kafka.ok ? JSON.stringify(canonical(kafka.dump)) : 'error';
      if (a !== k)
        differences.push(
          `${input.label}\n    kafka:     ${kafka.ok ? k : `error ${kafka.error}`}\n    tributary: ${actual.ok ? a : `error ${actual.error}`}`,
        );
    });
    expect(inputs.length).toBeGreaterThan(800);
    expect(
      differences,
      `${differences.length} of ${inputs.length} inputs read differently:\n${differences.join('\n')}`,
    ).toEqual([]);
  });
});
