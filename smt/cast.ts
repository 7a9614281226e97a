/**
 * Cast$Key / $Value (org.apache.kafka.connect.transforms.Cast): casts fields (`spec=f1:int32,f2:string`)
 * or the whole key/value (`spec=int64`) to int8 … int64, float32, float64, boolean or string, with
 * Java's conversions: integer narrowing keeps the low-order bits, floating values truncate,
 * strings parse strictly (Integer.parseInt / Double.parseDouble / Boolean.parseBoolean), bytes
 * become base64 strings, Date/Time/Timestamp become their ISO-8601 text or their epoch number,
 * Decimals their BigDecimal conversions. Null keys/values pass through.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { ConfigException, DataException } from '../sdk/errors.ts';
import {
  SchemaBuilder,
  type Schema,
  type SchemaType,
  Struct,
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  EpochMillis,
  type EpochValue,
} from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.ts';
import { invalid, javaList, REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey } from './util/config.ts';
import { inferSchemaType, javaClassString, javaNarrow, parseJavaFloating, parseJavaInteger } from './util/java.ts';
import { dateFormatFor, javaToString } from '../sdk/internal/java-format.ts';

const PURPOSE = 'cast types';
const ALL_TYPES: readonly SchemaType[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'array',
  'map',
  'struct',
];
const INPUT_TYPES: readonly SchemaType[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
];
const OUTPUT_TYPES: readonly SchemaType[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
];
const LOGICAL = new Set([
  Decimal.LOGICAL_NAME,
  ConnectDate.LOGICAL_NAME,
  ConnectTime.LOGICAL_NAME,
  ConnectTimestamp.LOGICAL_NAME,
]);
const upper = (types: readonly SchemaType[]) => javaList(types.map((t) => t.toUpperCase()));

/** The spec's casts; the `null` key is the whole-value cast. */
export function parseFieldTypes(mappings: readonly string[]): Map<string | null, SchemaType> {
  const m = new Map<string | null, SchemaType>();
  let whole = false;
  const typeOf = (text: string): SchemaType => {
    const t = text.trim().toLowerCase() as SchemaType;
    if (!ALL_TYPES.includes(t))
      throw new ConfigException(`Invalid type found in casting spec: ${text.trim()}`, { key: 'spec' });
    if (!OUTPUT_TYPES.includes(t))
      throw new ConfigException(
        `Cast transformation does not support casting to ${t.toUpperCase()}; supported types are ${upper(OUTPUT_TYPES)}`,
        { key: 'spec' },
      );
    return t;
  };
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length > 2 || parts.length === 0)
      throw invalid(
        'spec',
        mappings,
        `Invalid cast mapping: ${mapping} (expected field:type, or a single type for the whole key/value)`,
      );
    if (parts.length === 1) {
      m.set(null, typeOf(parts[0]));
      whole = true;
    } else {
      m.set(parts[0].trim(), typeOf(parts[1]));
    }
  }
  if (whole && mappings.length > 1)
    throw new ConfigException(
      'Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec',
      { key: 'spec' },
    );
  return m;
}

export const CAST_CONFIG = new ConfigDef()
  .define({
    name: 'spec',
    type: 'LIST',
    importance: 'HIGH',
    documentation:
      'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
    validator: {
      description: 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
      ensureValid(_name, value) {
        const list = value as string[];
        if (!list || list.length === 0)
          throw new ConfigException('Must specify at least one field to cast.', { key: 'spec' });
        parseFieldTypes(list);
      },
    },
  })
  .define(replaceNullWithDefaultKey());

function isFloating(value: unknown, schema: Schema | null): boolean {
  return schema
    ? schema.type === 'float32' || schema.type === 'float64'
    : typeof value === 'number' && !Number.isInteger(value);
}

function outOfRange(value: unknown): never {
  throw new DataException(`Value (${String(value)}) was out of range for requested data type`);
}

function unexpected(value: unknown): never {
  throw new DataException(`Unexpected type in Cast transformation: ${javaClassString(value)}`);
}

/** BigDecimal#toBigInteger (truncation toward zero). */
function truncate(d: BigDecimal): bigint {
  return d.scale <= 0 ? d.unscaled * 10n ** BigInt(-d.scale) : d.unscaled / 10n ** BigInt(d.scale);
}

function castToInteger(value: unknown, schema: Schema | null, bits: 8 | 16 | 32 | 64): number | bigint {
  if (typeof value === 'number') return javaNarrow(value, bits, isFloating(value, schema));
  if (typeof value === 'bigint') return javaNarrow(value, bits, false);
  if (value instanceof BigDecimal) return javaNarrow(truncate(value), bits, false);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseJavaInteger(value, bits) ?? outOfRange(value);
  return unexpected(value);
}

function castToFloating(value: unknown, float32: boolean): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (value instanceof BigDecimal) n = Number(value.toString());
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'string') n = parseJavaFloating(value) ?? outOfRange(value);
  else return unexpected(value);
  return float32 ? Math.fround(n) : n;
}

function castToBoolean(value: unknown, schema: Schema | null): boolean {
  if (typeof value === 'number') return javaNarrow(value, 64, isFloating(value, schema)) !== 0;
  if (typeof value === 'bigint') return BigInt.asIntN(64, value) !== 0n;
  if (value instanceof BigDecimal) return BigInt.asIntN(64, truncate(value)) !== 0n;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  return unexpected(value);
}

function castToString(value: unknown, schema: Schema | null): string {
  if (value instanceof Date) return dateFormatFor(value).format(value);
  if (value instanceof EpochMillis)
    throw new DataException(
      `Cast cannot format ${value.millis} epoch milliseconds as a string: beyond the ±8.64e15 ms a JavaScript Date holds`,
    );
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return javaToString(value, schema);
}

function encodeLogicalType(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.fromLogical(value as EpochValue);
    case ConnectTime.LOGICAL_NAME:
      return ConnectTime.fromLogical(value as Date);
    case ConnectTimestamp.LOGICAL_NAME:
      return ConnectTimestamp.fromLogical(value as EpochValue);
  }
  return value;
}

export function castValueToType(schema: Schema | null, value: unknown, target: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  const inferred = schema ? schema.type : inferSchemaType(value);
  if (inferred === null)
    throw new DataException(
      `Cast transformation was passed a value of type ${javaClassString(value)} which is not supported by Connect's data API`,
    );
  if (!INPUT_TYPES.includes(inferred))
    throw new DataException(
      `Cast transformation does not support casting from ${inferred.toUpperCase()}; supported types are ${upper(INPUT_TYPES)}`,
    );
  // A float32 field's value may not be rounded to float32 yet; Kafka's is a Float, widened as such (0.1f → 0.10000000149011612).
  let v: unknown = schema?.type === 'float32' && typeof value === 'number' ? Math.fround(value) : value;
  let s = schema;
  if (schema && schema.name && target !== 'string' && LOGICAL.has(schema.name)) {
    v = encodeLogicalType(schema, value);
    if (v !== value) s = null;
  }
  switch (target) {
    case 'int8':
      return castToInteger(v, s, 8);
    case 'int16':
      return castToInteger(v, s, 16);
    case 'int32':
      return castToInteger(v, s, 32);
    case 'int64':
      return castToInteger(v, s, 64);
    case 'float32':
      return castToFloating(v, true);
    case 'float64':
      return castToFloating(v, false);
    case 'boolean':
      return castToBoolean(v, s);
    case 'string':
      return castToString(v, s);
  }
  throw new DataException(`${target.toUpperCase()} is not supported in the Cast transformation.`);
}

export class Cast implements Transformation {
  private casts = new Map<string | null, SchemaType>();
  private whole: SchemaType | undefined;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return CAST_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(CAST_CONFIG, props);
    this.casts = parseFieldTypes(c.getList('spec'));
    this.whole = this.casts.get(null);
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends AnyRecord>(record: R): R {
    const value = operatingValue(this.side, record);
    if (value === null || value === undefined) return record;
    const schema = operatingSchema(this.side, record);
    if (schema === null) {
      if (this.whole) return withOperating(this.side, record, null, castValueToType(null, value, this.whole));
      const map = requireMap(value, PURPOSE);
      const out: Record<string, unknown> = { ...map };
      for (const [field, type] of this.casts) out[field!] = castValueToType(null, map[field!] ?? null, type);
      return withOperating(this.side, record, null, out);
    }
    if (this.whole)
      return withOperating(
        this.side,
        record,
        this.cache.get(schema, (s) => this.buildSchema(s)),
        castValueToType(schema, value, this.whole),
      );
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.cache.get(struct.schema, (s) => this.buildSchema(s));
    return withOperating(
      this.side,
      record,
      updatedSchema,
      this.castStruct(struct, updatedSchema, this.replaceNullWithDefault),
    );
  }

  private castStruct(struct: Struct, updatedSchema: Schema, replaceNullWithDefault: boolean): Struct {
    const out = new Struct(updatedSchema);
    const fields = struct.schema.fields;
    for (let i = 0; i < fields.length; i++) {
      const orig = fieldValue(struct, i, replaceNullWithDefault);
      const target = this.casts.get(fields[i].name);
      out.put(updatedSchema.fields[i], target ? castValueToType(fields[i].schema, orig, target) : orig);
    }
    return out;
  }

  private buildSchema(valueSchema: Schema): Schema {
    let b: SchemaBuilder;
    if (this.whole) {
      // Connect's own logical types name a physical type; their name and scale cannot survive a cast.
      // (Kafka's keeps the name, and its JsonConverter then refuses the record: docs/compatibility.md.)
      b = LOGICAL.has(valueSchema.name ?? '')
        ? new SchemaBuilder(this.whole)
        : copySchemaBasics(valueSchema, new SchemaBuilder(this.whole));
    } else {
      b = copySchemaBasics(valueSchema, SchemaBuilder.struct());
      for (const f of valueSchema.fields) {
        const target = this.casts.get(f.name);
        if (!target) {
          b.field(f.name, f.schema);
          continue;
        }
        const fb = new SchemaBuilder(target);
        if (f.schema.optional) fb.optional();
        if (f.schema.defaultValue !== undefined && f.schema.defaultValue !== null)
          fb.defaultValue(castValueToType(f.schema, f.schema.defaultValue, target));
        b.field(f.name, fb.build());
      }
    }
    if (valueSchema.optional) b.optional();
    // A struct-level default (a Struct bound to the old schema) cannot be carried over; Kafka Connect fails on it.
    if (this.whole && valueSchema.defaultValue !== undefined && valueSchema.defaultValue !== null)
      b.defaultValue(castValueToType(valueSchema, valueSchema.defaultValue, this.whole));
    return b.build();
  }
}
