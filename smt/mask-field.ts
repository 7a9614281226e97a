/**
 * MaskField$Key / $Value (org.apache.kafka.connect.transforms.MaskField): replaces the listed
 * fields with their type's "null" value (0, false, "", epoch Date, empty list/map, BigDecimal 0) or,
 * with `replacement`, with that literal for numeric and string fields. Masking a type that has no
 * null value (bytes, structs) or a custom replacement for a non-numeric/non-string type fails, with
 * Kafka Connect's messages. As in Kafka, a Decimal field is masked with BigDecimal 0 (scale 0) or the
 * replacement's own scale (`1.5e3` has scale -2), and Struct validation refuses a scale other than
 * the schema's: masking a Decimal field of another scale fails (test/compat/transforms-cases-fields.ts).
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { DataException } from '../sdk/errors.ts';
import { type Schema, Struct, BigDecimal, Decimal } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { fieldValue } from './util/schema-util.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey, SmtValidators } from './util/config.ts';
import { isMapValue, javaCanonicalName, javaClassString, javaNarrow, parseJavaFloating } from './util/java.ts';

const PURPOSE = 'mask fields';

export const MASK_FIELD_CONFIG = new ConfigDef()
  .define({
    name: 'fields',
    type: 'LIST',
    importance: 'HIGH',
    validator: SmtValidators.nonEmptyList(),
    documentation: 'Names of fields to mask.',
  })
  .define({
    name: 'replacement',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    validator: SmtValidators.nonEmptyString(),
    documentation:
      "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
  })
  .define(replaceNullWithDefaultKey());

/** The Java class of a value: by its schema when there is one, else by the JS value. */
function classOf(value: unknown, schema?: Schema): string {
  if (schema && schema.name === Decimal.LOGICAL_NAME) return 'java.math.BigDecimal';
  if (schema && schema.name && value instanceof Date) return 'java.util.Date';
  if (typeof value === 'bigint' && !schema) return 'java.math.BigInteger';
  return javaCanonicalName(value, schema);
}

/** ConnectSchema.validateValue's check of a Decimal value against its schema's scale. */
function requireSchemaScale(scale: number, schema?: Schema): void {
  if (schema?.name !== Decimal.LOGICAL_NAME) return;
  const expected = Decimal.scaleOf(schema);
  if (scale !== expected)
    throw new DataException(
      `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${expected}, value has scale ${scale}.`,
    );
}

/** The scale Java's `new BigDecimal(text)` gives: fraction digits minus the exponent. */
function javaDecimalScale(text: string): number | null {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  return (m[2] ?? '').length - Number(m[3] ?? '0');
}

function maskWithNullValue(value: unknown, schema?: Schema): unknown {
  switch (classOf(value, schema)) {
    case 'java.lang.Boolean':
      return false;
    case 'java.lang.Byte':
    case 'java.lang.Short':
    case 'java.lang.Integer':
    case 'java.lang.Float':
    case 'java.lang.Double':
      return 0;
    case 'java.lang.Long':
      return typeof value === 'bigint' ? 0n : 0;
    case 'java.math.BigInteger':
      return 0n;
    case 'java.math.BigDecimal':
      requireSchemaScale(0, schema);
      return new BigDecimal(0n, 0);
    case 'java.util.Date':
      return new Date(0);
    case 'java.lang.String':
      return '';
  }
  if (Array.isArray(value)) return [];
  if (value instanceof Map) return new Map();
  if (isMapValue(value)) return {};
  throw new DataException(`Cannot mask value of type: ${javaClassString(value, schema)}`);
}

function maskWithReplacement(value: unknown, replacement: string, schema?: Schema): unknown {
  const cls = classOf(value, schema);
  const nfe = (): never => {
    throw new DataException(`Unable to convert ${replacement} (class java.lang.String) to number`);
  };
  const number = (): number => parseJavaFloating(replacement) ?? nfe();
  switch (cls) {
    case 'java.lang.String':
      return replacement;
    case 'java.lang.Byte':
      return javaNarrow(number(), 8, true);
    case 'java.lang.Short':
      return javaNarrow(number(), 16, true);
    case 'java.lang.Integer':
      return javaNarrow(number(), 32, true);
    case 'java.lang.Long': {
      const v = /^[+-]?\d+$/.test(replacement.trim()) ? BigInt(replacement.trim()) : number();
      const out = javaNarrow(v, 64, typeof v === 'number');
      return typeof value === 'bigint' ? BigInt(out) : out;
    }
    case 'java.lang.Float':
      return Math.fround(number());
    case 'java.lang.Double':
      return number();
    case 'java.math.BigInteger':
      if (!/^[+-]?\d+$/.test(replacement)) nfe();
      return BigInt(replacement);
    case 'java.math.BigDecimal': {
      const scale = javaDecimalScale(replacement);
      if (scale === null) return nfe();
      requireSchemaScale(scale, schema);
      const d = BigDecimal.parse(replacement);
      return scale >= 0 ? d.setScale(scale) : d;
    }
  }
  throw new DataException(`Cannot mask value of type ${javaClassString(value, schema)} with custom replacement.`);
}

export class MaskField implements Transformation {
  private fields = new Set<string>();
  private replacement: string | null = null;
  private replaceNullWithDefault = true;

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return MASK_FIELD_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(MASK_FIELD_CONFIG, props);
    this.fields = new Set(c.getList('fields'));
    this.replacement = c.getOptionalString('replacement');
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  private masked(value: unknown, schema?: Schema): unknown {
    if (value === null || value === undefined) return null;
    return this.replacement === null
      ? maskWithNullValue(value, schema)
      : maskWithReplacement(value, this.replacement, schema);
  }

  apply<R extends AnyRecord>(record: R): R {
    // No tombstone pass-through: Kafka's MaskField requires a Struct (or Map) and fails on null.
    const value = operatingValue(this.side, record);
    if (operatingSchema(this.side, record) === null) {
      const map = requireMap(value, PURPOSE);
      const out: Record<string, unknown> = { ...map };
      for (const f of this.fields) out[f] = this.masked(map[f]);
      return withOperating(this.side, record, null, out);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    const fields = struct.schema.fields;
    for (let i = 0; i < fields.length; i++) {
      const v = fieldValue(struct, i, this.replaceNullWithDefault);
      updated.put(fields[i], this.fields.has(fields[i].name) ? this.masked(v, fields[i].schema) : v);
    }
    return withOperating(this.side, record, struct.schema, updated);
  }
}
