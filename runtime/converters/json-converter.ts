/**
 * Kafka Connect's JsonConverter (`org.apache.kafka.connect.json.JsonConverter`), byte-compatible:
 * `{"schema":…,"payload":…}` envelopes with `schemas.enable=true`, Jackson-compact output, schema
 * attributes in JsonSchema order, `float`/`double` type names, Java number formatting, base64 bytes
 * and Decimal as BASE64 or NUMERIC.
 */
import { ConfigDef, ParsedConfig, Validators } from '../config/config-def.ts';
import { DataException } from '../errors.ts';
import { type Schema, type SchemaType, SchemaBuilder, mapEntries } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal, Decimal, ConnectDate, ConnectTime, ConnectTimestamp, EpochMillis } from '../data/logical.ts';
import type { Converter, SchemaAndValue } from '../spi/converter.ts';
import { javaBigDecimalToString, javaDoubleToString, javaFloatToString } from './java-number-format.ts';
import { JsonNumberText, parseJsonPrecise } from './json-text.ts';
import { JsonBytes, jacksonQuote } from './json-bytes.ts';
import { EnvelopeSchemaCache } from './json-envelope.ts';

export const JSON_CONVERTER_CONFIG = new ConfigDef()
  .define({
    name: 'schemas.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'HIGH',
    documentation: 'Include schemas within each of the serialized values and keys.',
    group: 'Schemas',
    orderInGroup: 0,
    width: 'MEDIUM',
    displayName: 'Enable Schemas',
  })
  .define({
    name: 'schemas.cache.size',
    type: 'INT',
    defaultValue: 1000,
    importance: 'HIGH',
    documentation: 'The maximum number of schemas that can be cached in this converter instance.',
    group: 'Schemas',
    orderInGroup: 1,
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'decimal.format',
    type: 'STRING',
    defaultValue: 'BASE64',
    importance: 'LOW',
    documentation: 'Controls which format this converter will serialize decimals in: BASE64 or NUMERIC.',
    validator: Validators.in('BASE64', 'NUMERIC'),
    group: 'Serialization',
    orderInGroup: 0,
  })
  .define({
    name: 'replace.null.with.default',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Whether to replace fields that have a default value and that are null to the default value.',
    group: 'Serialization',
    orderInGroup: 1,
  })
  .define({
    name: 'converter.type',
    type: 'STRING',
    defaultValue: 'value',
    importance: 'LOW',
    documentation: 'How this converter will be used.',
    validator: Validators.in('key', 'value', 'header'),
  });

/** Serializes one value of a schema into the byte sink. */
type Writer = (value: unknown, path: string, out: JsonBytes) => void;

const LOGICAL_NAMES = new Set([
  Decimal.LOGICAL_NAME,
  ConnectDate.LOGICAL_NAME,
  ConnectTime.LOGICAL_NAME,
  ConnectTimestamp.LOGICAL_NAME,
]);

const WIRE_TYPE: Record<SchemaType, string> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
};
const FROM_WIRE: Record<string, SchemaType> = Object.fromEntries(
  Object.entries(WIRE_TYPE).map(([k, v]) => [v, k as SchemaType]),
);

export class JsonConverter implements Converter {
  private schemasEnabled = true;
  private decimalNumeric = false;
  private replaceNullWithDefault = true;
  private readonly schemaJsonCache = new WeakMap<Schema, string>();
  /** `{"schema":<schema>,"payload":` as UTF-8, per schema: encoded once instead of with every record. */
  private readonly envelopePrefixes = new WeakMap<Schema, Buffer>();
  private readonly out = new JsonBytes();
  /** Per-schema payload writers, compiled once: the hot path of every source pipeline. */
  private readonly writers = new WeakMap<Schema, Writer>();
  private readonly fromJsonCache = new Map<string, Schema>();
  private cacheSize = 1000;
  private envelopeSchemas = new EnvelopeSchemaCache(1000);

  config(): ConfigDef {
    return JSON_CONVERTER_CONFIG;
  }

  configure(configs: Record<string, string>, _isKey: boolean): void {
    const c = new ParsedConfig(JSON_CONVERTER_CONFIG, configs);
    this.schemasEnabled = c.getBoolean('schemas.enable');
    this.decimalNumeric = c.getString('decimal.format').toUpperCase() === 'NUMERIC';
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
    this.cacheSize = c.getInt('schemas.cache.size');
    this.envelopeSchemas = new EnvelopeSchemaCache(this.cacheSize);
  }

  version(): string {
    return '1.0.0';
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null) {
      if (value === null || value === undefined) return null;
      const payload = this.valueToJson(null, value, 'value');
      return Buffer.from(this.schemasEnabled ? `{"schema":null,"payload":${payload}}` : payload, 'utf8');
    }
    const out = this.out;
    out.begin();
    try {
      if (this.schemasEnabled) out.bytes(this.envelopePrefix(schema));
      this.writerFor(schema)(value, 'value', out);
      if (this.schemasEnabled) out.byte(0x7d); // }
    } catch (err) {
      out.abandon();
      throw err;
    }
    return out.finish();
  }

  private envelopePrefix(schema: Schema): Buffer {
    let prefix = this.envelopePrefixes.get(schema);
    if (!prefix) {
      prefix = Buffer.from(`{"schema":${this.schemaJson(schema)},"payload":`, 'utf8');
      this.envelopePrefixes.set(schema, prefix);
    }
    return prefix;
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null || value.length === 0) return { schema: null, value: null };
    if (this.schemasEnabled) {
      // A schema seen before: only the payload is parsed (the error cases take the full path below).
      const hit = this.envelopeSchemas.lookup(value);
      if (hit !== null) {
        let payload: unknown;
        try {
          payload = parseJsonPrecise(value.toString('utf8', hit.payloadStart, value.length - 1));
        } catch {
          payload = undefined;
        }
        if (payload !== undefined)
          return { schema: hit.schema, value: this.jsonToValue(hit.schema, payload, 'payload') };
      }
    }
    let json: unknown;
    try {
      json = parseJsonPrecise(value.toString('utf8'));
    } catch (err) {
      throw new DataException(
        'Converting byte[] to Kafka Connect data failed due to serialization error: ' + (err as Error).message,
        { cause: err },
      );
    }
    if (this.schemasEnabled) {
      const env = json as Record<string, unknown> | null;
      if (
        env === null ||
        typeof env !== 'object' ||
        Array.isArray(env) ||
        Object.keys(env).length !== 2 ||
        !('schema' in env) ||
        !('payload' in env)
      ) {
        throw new DataException(
          'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
        );
      }
      if (env.schema === null) return { schema: null, value: this.schemalessToConnect(env.payload) };
      const schema = this.schemaFromJson(env.schema);
      this.envelopeSchemas.remember(value, schema);
      return { schema, value: this.jsonToValue(schema, env.payload, 'payload') };
    }
    return { schema: null, value: this.schemalessToConnect(json) };
  }

  // ---- schema <-> JSON ----------------------------------------------------------------------

  /** The schema as Kafka Connect's JsonConverter.asJsonSchema writes it (attribute order matters). */
  schemaJson(schema: Schema, fieldName?: string): string {
    if (fieldName === undefined) {
      const cached = this.schemaJsonCache.get(schema);
      if (cached) return cached;
    }
    const parts = [`"type":"${WIRE_TYPE[schema.type]}"`];
    if (schema.type === 'struct')
      parts.push(`"fields":[${schema.fields.map((f) => this.schemaJson(f.schema, f.name)).join(',')}]`);
    // No element schema (Values.parseString of `[1,"a"]`, Kafka's arrayOfNull/mapWithNullValues): Kafka writes null.
    if (schema.type === 'array')
      parts.push(`"items":${schema.valueSchema ? this.schemaJson(schema.valueSchema) : 'null'}`);
    if (schema.type === 'map')
      parts.push(
        `"keys":${this.schemaJson(schema.keySchema!)}`,
        `"values":${schema.valueSchema ? this.schemaJson(schema.valueSchema) : 'null'}`,
      );
    parts.push(`"optional":${schema.optional}`);
    if (schema.name !== undefined) parts.push(`"name":${jacksonQuote(schema.name)}`);
    if (schema.version !== undefined) parts.push(`"version":${schema.version}`);
    if (schema.doc !== undefined) parts.push(`"doc":${jacksonQuote(schema.doc)}`);
    if (schema.parameters !== undefined)
      parts.push(
        `"parameters":{${Object.entries(schema.parameters)
          .map(([k, v]) => `${jacksonQuote(k)}:${jacksonQuote(v)}`)
          .join(',')}}`,
      );
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      parts.push(`"default":${this.valueToJson(schema, schema.defaultValue, 'default')}`);
    if (fieldName !== undefined) parts.push(`"field":${jacksonQuote(fieldName)}`);
    const text = `{${parts.join(',')}}`;
    if (fieldName === undefined) this.schemaJsonCache.set(schema, text);
    return text;
  }

  schemaFromJson(json: unknown): Schema {
    const key = JSON.stringify(json, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const cached = this.fromJsonCache.get(key);
    if (cached) return cached;
    const schema = this.buildSchema(json);
    if (this.cacheSize > 0) {
      if (this.fromJsonCache.size >= this.cacheSize) this.fromJsonCache.delete(this.fromJsonCache.keys().next().value!);
      this.fromJsonCache.set(key, schema);
    }
    return schema;
  }

  private buildSchema(json: unknown): Schema {
    const j = json as Record<string, unknown>;
    if (j === null || typeof j !== 'object') throw new DataException('Schema must be a JSON object');
    const type = FROM_WIRE[String(j.type)];
    if (!type) throw new DataException(`Unknown schema type: ${String(j.type)}`);
    let b: SchemaBuilder;
    if (type === 'array') {
      if (!j.items) throw new DataException('Array schema did not specify the items type');
      b = SchemaBuilder.array(this.buildSchema(j.items));
    } else if (type === 'map') {
      if (!j.keys || !j.values) throw new DataException('Map schema did not specify the key and value types');
      b = SchemaBuilder.map(this.buildSchema(j.keys), this.buildSchema(j.values));
    } else {
      b = new SchemaBuilder(type);
      if (type === 'struct') {
        if (!Array.isArray(j.fields)) throw new DataException('Struct schema\'s "fields" argument is not an array.');
        for (const f of j.fields as Array<Record<string, unknown>>) {
          if (typeof f.field !== 'string') throw new DataException("Struct schema's field name not specified properly");
          b.field(f.field, this.buildSchema(f));
        }
      }
    }
    if (j.optional === true) b.optional();
    if (typeof j.name === 'string') b.name(j.name);
    if (typeof j.version === 'number') b.version(j.version);
    if (typeof j.doc === 'string') b.doc(j.doc);
    if (j.parameters && typeof j.parameters === 'object') b.parameters(j.parameters as Record<string, string>);
    if (j.default !== undefined && j.default !== null) {
      const partial = b.build();
      b.defaultValue(this.jsonToValue(partial, j.default, 'default'));
    }
    return b.build();
  }

  // ---- values -> JSON ----------------------------------------------------------------------

  private writerFor(schema: Schema): Writer {
    let w = this.writers.get(schema);
    if (!w) {
      w = this.compile(schema);
      this.writers.set(schema, w);
    }
    return w;
  }

  /** A writer for one schema: null/default handling, then the type's encoding; structs inline their fields. */
  private compile(schema: Schema): Writer {
    const nonNull = this.compileNonNull(schema);
    const hasDefault = schema.defaultValue !== undefined && schema.defaultValue !== null;
    return (v, path, out) => {
      if (v === null || v === undefined) {
        if (hasDefault && this.replaceNullWithDefault) return nonNull(schema.defaultValue, path, out);
        if (!schema.optional)
          throw new DataException(
            `Conversion error: null value for field that is required and has no default value: "${path}"`,
          );
        out.ascii('null');
        return;
      }
      nonNull(v, path, out);
    };
  }

  private compileNonNull(schema: Schema): Writer {
    if (schema.name !== undefined && LOGICAL_NAMES.has(schema.name))
      return (v, path, out) => out.utf8(this.valueToJson(schema, v, path));
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return (v, path, out) => {
          if (typeof v !== 'number') throw typeError(schema, v, path);
          out.integer(v);
        };
      case 'int64':
        return (v, path, out) => {
          if (typeof v === 'number') out.integer(v);
          else if (typeof v === 'bigint') out.ascii(String(v));
          else throw typeError(schema, v, path);
        };
      case 'float32':
        return (v, path, out) => {
          if (typeof v !== 'number') throw typeError(schema, v, path);
          out.ascii(jsonNumber(javaFloatToString(v)));
        };
      case 'float64':
        return (v, path, out) => {
          if (typeof v !== 'number') throw typeError(schema, v, path);
          out.ascii(jsonNumber(javaDoubleToString(v)));
        };
      case 'boolean':
        return (v, path, out) => {
          if (typeof v !== 'boolean') throw typeError(schema, v, path);
          out.ascii(v ? 'true' : 'false');
        };
      case 'string':
        return (v, path, out) => {
          if (typeof v !== 'string') throw typeError(schema, v, path);
          out.string(v);
        };
      case 'struct': {
        const fields = schema.fields.map((f, i) => ({
          index: f.index,
          name: f.name,
          prefix: Buffer.from(`${i === 0 ? '{' : ','}${jacksonQuote(f.name)}:`, 'utf8'),
          write: this.writerFor(f.schema),
        }));
        return (v, path, out) => {
          if (!(v instanceof Struct)) throw typeError(schema, v, path);
          if (fields.length === 0) out.byte(0x7b); // {
          for (let i = 0; i < fields.length; i++) {
            const f = fields[i];
            out.bytes(f.prefix);
            f.write(v.valueAt(f.index), f.name, out);
          }
          out.byte(0x7d); // }
        };
      }
      default:
        return (v, path, out) => out.utf8(this.valueToJson(schema, v, path));
    }
  }

  private valueToJson(schema: Schema | null, value: unknown, path: string): string {
    if (value === null || value === undefined) {
      if (schema && schema.defaultValue !== undefined && schema.defaultValue !== null && this.replaceNullWithDefault)
        return this.valueToJson(schema, schema.defaultValue, path);
      if (schema && !schema.optional)
        throw new DataException(
          `Conversion error: null value for field that is required and has no default value: "${path}"`,
        );
      return 'null';
    }
    if (schema === null) return this.schemalessToJson(value, path);
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        if (!(value instanceof BigDecimal))
          throw new DataException(`Invalid type for Decimal at "${path}": expected BigDecimal`);
        if (this.decimalNumeric) return javaBigDecimalToString(value.unscaled, value.scale);
        return `"${Decimal.fromLogical(schema, value).toString('base64')}"`;
      }
      case ConnectDate.LOGICAL_NAME:
        return String(value instanceof Date || value instanceof EpochMillis ? ConnectDate.fromLogical(value) : value);
      case ConnectTime.LOGICAL_NAME:
        return String(value instanceof Date ? ConnectTime.fromLogical(value) : value);
      case ConnectTimestamp.LOGICAL_NAME:
        return String(
          value instanceof Date || value instanceof EpochMillis ? ConnectTimestamp.fromLogical(value) : value,
        );
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        if (typeof value !== 'number') throw typeError(schema, value, path);
        return String(value);
      case 'int64':
        if (typeof value !== 'number' && typeof value !== 'bigint') throw typeError(schema, value, path);
        return String(value);
      case 'float32':
        if (typeof value !== 'number') throw typeError(schema, value, path);
        return jsonNumber(javaFloatToString(value));
      case 'float64':
        if (typeof value !== 'number') throw typeError(schema, value, path);
        return jsonNumber(javaDoubleToString(value));
      case 'boolean':
        if (typeof value !== 'boolean') throw typeError(schema, value, path);
        return String(value);
      case 'string':
        if (typeof value !== 'string') throw typeError(schema, value, path);
        return jacksonQuote(value);
      case 'bytes':
        if (!(value instanceof Uint8Array)) throw typeError(schema, value, path);
        return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
      case 'array':
        if (!Array.isArray(value)) throw typeError(schema, value, path);
        return `[${value.map((v, i) => this.valueToJson(schema.valueSchema ?? null, v, `${path}[${i}]`)).join(',')}]`;
      case 'map': {
        const entries = mapEntries(value);
        if (!entries) throw typeError(schema, value, path);
        if (schema.keySchema!.type === 'string') {
          return `{${entries.map(([k, v]) => `${jacksonQuote(String(k))}:${this.valueToJson(schema.valueSchema ?? null, v, `${path}.${String(k)}`)}`).join(',')}}`;
        }
        return `[${entries.map(([k, v]) => `[${this.valueToJson(schema.keySchema!, k, `${path}.<key>`)},${this.valueToJson(schema.valueSchema!, v, `${path}[]`)}]`).join(',')}]`;
      }
      case 'struct': {
        if (!(value instanceof Struct)) throw typeError(schema, value, path);
        return `{${schema.fields.map((f) => `${jacksonQuote(f.name)}:${this.valueToJson(f.schema, value.getWithoutDefault(f.name), f.name)}`).join(',')}}`;
      }
    }
  }

  private schemalessToJson(value: unknown, path: string): string {
    if (value === null || value === undefined) return 'null';
    // A JavaScript number carries no int/double distinction: safe integers are written as Java's Long, the rest as Double.
    if (typeof value === 'number')
      return Number.isSafeInteger(value) && !Object.is(value, -0)
        ? String(value)
        : jsonNumber(javaDoubleToString(value));
    if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    if (typeof value === 'string') return jacksonQuote(value);
    if (value instanceof Uint8Array) return `"${Buffer.from(value).toString('base64')}"`;
    if (value instanceof BigDecimal)
      throw new DataException(`Couldn't convert a BigDecimal to JSON without a Decimal schema at "${path}".`);
    // As Kafka's: a java.util.Date has no schemaless JSON form ("does not have corresponding schema type").
    if (value instanceof Date)
      throw new DataException(`Couldn't convert a Date to JSON without a Date/Time/Timestamp schema at "${path}".`);
    if (Array.isArray(value)) return `[${value.map((v, i) => this.schemalessToJson(v, `${path}[${i}]`)).join(',')}]`;
    if (value instanceof Struct) return this.valueToJson(value.schema, value, path);
    if (value instanceof Map) {
      const entries = [...value.entries()];
      if (entries.every(([k]) => typeof k === 'string'))
        return `{${entries.map(([k, v]) => `${jacksonQuote(k)}:${this.schemalessToJson(v, path)}`).join(',')}}`;
      return `[${entries.map(([k, v]) => `[${this.schemalessToJson(k, path)},${this.schemalessToJson(v, path)}]`).join(',')}]`;
    }
    if (typeof value === 'object')
      return `{${Object.entries(value)
        .map(([k, v]) => `${jacksonQuote(k)}:${this.schemalessToJson(v, `${path}.${k}`)}`)
        .join(',')}}`;
    throw new DataException(`Couldn't convert ${String(value)} to JSON at "${path}".`);
  }

  // ---- JSON -> values ----------------------------------------------------------------------

  private jsonToValue(schema: Schema, json: unknown, path: string): unknown {
    if (json === null || json === undefined) {
      if (schema.defaultValue !== undefined && schema.defaultValue !== null)
        return this.replaceNullWithDefault ? schema.defaultValue : null;
      if (schema.optional) return null;
      throw new DataException(`Invalid null value for required ${schema.type.toUpperCase()} field "${path}"`);
    }
    switch (schema.name) {
      case Decimal.LOGICAL_NAME:
        if (typeof json === 'number' || typeof json === 'bigint')
          return BigDecimal.parse(String(json)).setScale(Decimal.scaleOf(schema));
        if (json instanceof JsonNumberText) return BigDecimal.parse(json.text).setScale(Decimal.scaleOf(schema));
        if (typeof json === 'string') return Decimal.toLogical(schema, Buffer.from(json, 'base64'));
        throw new DataException(`Invalid type for Decimal at "${path}": expected a number or base64 text`);
      case ConnectDate.LOGICAL_NAME:
        return ConnectDate.toLogical(expectInt(json, schema, path));
      case ConnectTime.LOGICAL_NAME:
        return ConnectTime.toLogical(expectInt(json, schema, path));
      case ConnectTimestamp.LOGICAL_NAME:
        return ConnectTimestamp.toLogical(typeof json === 'bigint' ? json : expectInt(json, schema, path));
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return expectInt(json, schema, path);
      case 'int64':
        // Jackson's longValue() keeps the low 64 bits of a larger integer.
        if (typeof json === 'bigint') return BigInt.asIntN(64, json);
        return expectInt(json, schema, path);
      case 'float32':
      case 'float64': {
        const d = jsonDouble(json);
        if (d === undefined) throw typeError(schema, json, path);
        return schema.type === 'float32' ? Math.fround(d) : d;
      }
      case 'boolean':
        if (typeof json !== 'boolean') throw typeError(schema, json, path);
        return json;
      case 'string':
        if (typeof json !== 'string') throw typeError(schema, json, path);
        return json;
      case 'bytes':
        if (typeof json !== 'string') throw typeError(schema, json, path);
        return Buffer.from(json, 'base64');
      case 'array':
        if (!Array.isArray(json)) throw typeError(schema, json, path);
        return json.map((v, i) => this.jsonToValue(schema.valueSchema!, v, `${path}[${i}]`));
      case 'map': {
        const m = new Map<unknown, unknown>();
        if (schema.keySchema!.type === 'string') {
          if (typeof json !== 'object' || Array.isArray(json)) throw typeError(schema, json, path);
          for (const [k, v] of Object.entries(json as object))
            m.set(k, this.jsonToValue(schema.valueSchema!, v, `${path}.${k}`));
        } else {
          if (!Array.isArray(json))
            throw new DataException(
              `Maps with non-string fields should be encoded as JSON array of tuples, but found ${typeof json} at "${path}"`,
            );
          for (const pair of json) {
            if (!Array.isArray(pair) || pair.length !== 2)
              throw new DataException(`Found invalid map entry instead of array tuple at "${path}"`);
            m.set(
              this.jsonToValue(schema.keySchema!, pair[0], `${path}.<key>`),
              this.jsonToValue(schema.valueSchema!, pair[1], `${path}[]`),
            );
          }
        }
        return m;
      }
      case 'struct': {
        if (typeof json !== 'object' || Array.isArray(json)) throw typeError(schema, json, path);
        const s = new Struct(schema);
        const obj = json as Record<string, unknown>;
        for (const f of schema.fields) s.put(f, this.jsonToValue(f.schema, obj[f.name], f.name));
        return s;
      }
    }
  }

  private schemalessToConnect(json: unknown): unknown {
    if (typeof json === 'number' || json instanceof JsonNumberText) return jsonDouble(json);
    if (typeof json === 'bigint') return BigInt.asIntN(64, json);
    if (Array.isArray(json)) return json.map((v) => this.schemalessToConnect(v));
    if (json !== null && typeof json === 'object') {
      const m: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(json)) m[k] = this.schemalessToConnect(v);
      return m;
    }
    return json;
  }
}

/** Jackson's QUOTE_NON_NUMERIC_NUMBERS (on by default): NaN and ±Infinity are written as strings. */
function jsonNumber(javaText: string): string {
  const c = javaText.charCodeAt(javaText.length - 1);
  return c === 0x4e /* N */ || c === 0x79 /* y */ ? `"${javaText}"` : javaText;
}

/**
 * A JSON value read as Kafka reads a double: Jackson parses floats as BigDecimal (so -0.0 becomes
 * 0.0) and JsonNode.doubleValue() of a string (the "NaN"/"Infinity" Kafka itself writes) is 0.0.
 */
function jsonDouble(json: unknown): number | undefined {
  if (typeof json === 'number') return json === 0 ? 0 : json;
  if (typeof json === 'bigint') return Number(json);
  if (json instanceof JsonNumberText) return Number(json.text);
  if (typeof json === 'string') return 0;
  return undefined;
}

function expectInt(json: unknown, schema: Schema, path: string): number {
  if (typeof json === 'number' && Number.isInteger(json)) return json;
  if (typeof json === 'bigint' && schema.type === 'int64') return Number(json);
  throw typeError(schema, json, path);
}

function typeError(schema: Schema, value: unknown, path: string): DataException {
  return new DataException(
    `Invalid type for ${schema.type.toUpperCase()} at "${path}": ${Array.isArray(value) ? 'array' : typeof value}`,
  );
}
