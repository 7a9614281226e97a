/**
 * JSON to Connect values as Kafka's JsonConverter reads them (Jackson semantics: BigDecimal floats,
 * 64-bit truncation of large integers, base64 bytes, maps as objects or arrays of pairs).
 */
import { DataException } from '../errors.ts';
import type { Schema } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal, Decimal, ConnectDate, ConnectTime, ConnectTimestamp } from '../data/logical.ts';
import { JsonNumberText } from './json-text.ts';
import { typeError } from './json-data-errors.ts';

export class JsonValueReader {
  constructor(private readonly replaceNullWithDefault: boolean) {}

  /** A JSON value (from parseJsonPrecise) as the Connect value of the schema. */
  jsonToValue(schema: Schema, json: unknown, path: string): unknown {
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

  /** A JSON value without a schema: numbers as doubles (Jackson), integers as 64-bit, objects as records. */
  schemalessToConnect(json: unknown): unknown {
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
