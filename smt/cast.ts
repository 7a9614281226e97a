/** Cast$Key / $Value: cast fields (or the whole key/value) to another primitive type, with Java's conversions. */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../runtime/errors.ts';
import { SchemaBuilder, type Schema, type SchemaType } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { BigDecimal } from '../runtime/data/logical.ts';
import { javaDoubleToString, javaFloatToString } from '../runtime/converters/java-number-format.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, SchemaCache } from './util/schema-util.ts';

const TARGETS: readonly SchemaType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'];
const WHOLE = '\u0000whole';

export const CAST_CONFIG = new ConfigDef()
  .define({ name: 'spec', type: 'LIST', importance: 'HIGH', documentation: 'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string.' })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

function wrap(n: number, bits: number): number {
  const m = 2 ** bits;
  let v = Math.trunc(n) % m;
  if (v >= m / 2) v -= m;
  if (v < -m / 2) v += m;
  return v;
}

function toNumber(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof BigDecimal) return value.toNumber();
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const n = Number(value.trim());
    if (value.trim() === '' || Number.isNaN(n)) throw new DataException(`Unexpected type in Cast transformation: cannot parse "${value}" as a number`);
    return /^-?\d{16,}$/.test(value.trim()) ? BigInt(value.trim()) : n;
  }
  throw new DataException(`Unexpected type in Cast transformation: ${typeof value}`);
}

export function castValue(value: unknown, target: SchemaType, sourceType?: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  switch (target) {
    case 'int8': return wrap(Number(toNumber(value)), 8);
    case 'int16': return wrap(Number(toNumber(value)), 16);
    case 'int32': return wrap(Number(toNumber(value)), 32);
    case 'int64': {
      const n = toNumber(value);
      if (typeof n === 'bigint') return BigInt.asIntN(64, n);
      const t = Math.trunc(n);
      return Number.isSafeInteger(t) ? t : BigInt.asIntN(64, BigInt(t));
    }
    case 'float32': return Math.fround(Number(toNumber(value)));
    case 'float64': return Number(toNumber(value));
    case 'boolean':
      if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
      return Number(toNumber(value)) !== 0;
    case 'string':
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (typeof value === 'number') {
        if (sourceType === 'float32') return javaFloatToString(value);
        if (sourceType === 'float64' || !Number.isInteger(value)) return javaDoubleToString(value);
        return String(value);
      }
      if (value instanceof Date) return value.toISOString();
      return String(value);
  }
  throw new DataException(`Cast to ${target} is not supported`);
}

export class Cast implements Transformation {
  private spec = new Map<string, SchemaType>();
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return CAST_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(CAST_CONFIG, props);
    const entries = c.getList('spec');
    if (entries.length === 0) throw new ConfigException('Must specify at least one field to cast.', { key: 'spec' });
    this.spec = new Map();
    for (const e of entries) {
      const parts = e.split(':');
      const [field, type] = parts.length === 1 ? [WHOLE, parts[0]] : parts;
      if (parts.length > 2 || !TARGETS.includes(type as SchemaType)) {
        throw new ConfigException(`Invalid value ${e} for configuration spec: Cast transformations only support casting to ${TARGETS.join(', ')} (e.g. price:float64)`, { key: 'spec' });
      }
      if (field === WHOLE && entries.length > 1) throw new ConfigException('Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec', { key: 'spec' });
      this.spec.set(field, type as SchemaType);
    }
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record);
    const whole = this.spec.get(WHOLE);
    if (whole) {
      if (schema && !['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes'].includes(schema.type)) {
        throw new DataException(`Cast transformation does not support casting to/from ${schema.type}; only primitive types are supported`);
      }
      const newSchema = schema ? this.cache.get(schema, (s) => copySchemaBasics({ ...s, name: undefined, parameters: undefined } as Schema, new SchemaBuilder(whole)).build()) : null;
      return withOperating(this.side, record, newSchema, castValue(value, whole, schema?.type));
    }
    if (value === null || value === undefined) return record;
    if (schema === null) {
      const out = { ...requireMap(value, 'cast types') };
      for (const [f, t] of this.spec) if (f in out) out[f] = castValue(out[f], t);
      return withOperating(this.side, record, null, out);
    }
    const struct = requireStruct(value, 'cast types');
    const updatedSchema = this.cache.get(schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      for (const f of s.fields) {
        const t = this.spec.get(f.name);
        if (!t) b.field(f.name, f.schema);
        else {
          const fb = new SchemaBuilder(t);
          if (f.schema.optional) fb.optional();
          if (f.schema.defaultValue !== undefined && f.schema.defaultValue !== null) fb.defaultValue(castValue(f.schema.defaultValue, t));
          b.field(f.name, fb.build());
        }
      }
      return b.build();
    });
    const out = new Struct(updatedSchema);
    for (const f of schema.fields) {
      const v = this.replaceNullWithDefault ? struct.get(f) : struct.getWithoutDefault(f.name);
      const t = this.spec.get(f.name);
      out.put(f.name, t ? castValue(v, t, f.schema.type) : v);
    }
    return withOperating(this.side, record, updatedSchema, out);
  }
}

