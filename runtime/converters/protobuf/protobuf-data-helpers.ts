/**
 * Helpers of the Protobuf ⇄ Connect conversions (protobuf-data.ts, protobuf-to-connect.ts); what Avro shares is in
 * ../registry-data-helpers.ts.
 */
import type protobuf from 'protobufjs';
import { DataException } from '../../errors.ts';
import type { Schema } from '../../data/schema.ts';
import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  EpochMillis,
  epochValue,
} from '../../data/logical.ts';
import type { ProtoMessage } from './proto-file.ts';

export interface ParsedMeta {
  doc?: string;
  params: Map<string, string>;
}

/** Reads a Meta option (doc, params) from protobufjs parsedOptions, however the text wrote it. */
export function readMeta(parsedOptions: unknown, key: string): ParsedMeta {
  const meta: ParsedMeta = { params: new Map() };
  if (!Array.isArray(parsedOptions)) return meta;
  for (const opt of parsedOptions as Array<Record<string, unknown>>) {
    for (const [k, v] of Object.entries(opt)) {
      if (k === key && v && typeof v === 'object') {
        const m = v as { doc?: string; params?: unknown };
        if (typeof m.doc === 'string') meta.doc = m.doc;
        const params = Array.isArray(m.params) ? m.params : m.params ? [m.params] : [];
        for (const p of params as Array<{ key?: string; value?: string }>)
          if (p.key !== undefined) meta.params.set(String(p.key), String(p.value ?? ''));
      } else if (k.startsWith(`${key}.`)) {
        const sub = k.slice(key.length + 1);
        if (sub === 'doc') meta.doc = String(v);
      }
    }
  }
  return meta;
}

export function isSyntheticOneof(o: protobuf.OneOf): boolean {
  return o.fieldsArray.length === 1 && o.fieldsArray[0].options?.proto3_optional === true;
}

export function isMapEntry(t: protobuf.Type): boolean {
  return (
    t.name.endsWith('Entry') &&
    t.fieldsArray.length === 2 &&
    t.fieldsArray[0].name === 'key' &&
    t.fieldsArray[1].name === 'value'
  );
}

export function scalarConnectType(protoType: string, connectType: string | undefined): Schema['type'] {
  switch (protoType) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      if (connectType === 'int8') return 'int8';
      if (connectType === 'int16') return 'int16';
      return 'int32';
    case 'uint32':
    case 'fixed32':
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return 'int64';
    case 'float':
      return 'float32';
    case 'double':
      return 'float64';
    case 'bool':
      return 'boolean';
    case 'string':
      return 'string';
    case 'bytes':
      return 'bytes';
  }
  throw new DataException(`Unknown Protobuf field type ${protoType}`);
}

export function zeroValue(field: protobuf.Field): unknown {
  if (field.resolvedType && !('fieldsArray' in field.resolvedType)) return 0;
  switch (field.type) {
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'bool':
      return false;
    default:
      return 0;
  }
}

export function zeroOfWrapper(type: Schema['type']): unknown {
  return type === 'string' ? '' : type === 'bytes' ? Buffer.alloc(0) : type === 'boolean' ? false : 0;
}

export const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** protobufjs longs (Long objects, numbers or strings) as a number when safe, else a bigint. */
export function longValue(raw: unknown): number | bigint {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return raw;
  const text = typeof raw === 'string' ? raw : String((raw as { toString(): string }).toString());
  const big = BigInt(text);
  return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
}

export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined && obj[key] !== null;
}

export function expectDate(value: unknown, path: string): Date {
  // as Confluent's Timestamps.fromMillis (checkValid): a google.protobuf.Timestamp/google.type.Date stops at year 9999
  if (value instanceof EpochMillis)
    throw new DataException(
      `Invalid value at "${path}": ${value.millis} epoch milliseconds are beyond a google.protobuf.Timestamp/google.type.Date`,
    );
  if (!(value instanceof Date)) throw new DataException(`Invalid value at "${path}": expected a Date`);
  return value;
}

export function defaultToJson(schema: Schema, value: unknown): unknown {
  if (value instanceof BigDecimal) return value.toString();
  if (value instanceof Date) return value.getTime();
  if (value instanceof EpochMillis) return value.millis.toString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => defaultToJson(schema.valueSchema!, v));
  return value;
}

export function defaultFromJson(schema: Schema, json: unknown): unknown {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return BigDecimal.parse(String(json)).setScale(Decimal.scaleOf(schema));
    case ConnectDate.LOGICAL_NAME:
    case ConnectTimestamp.LOGICAL_NAME:
      return epochValue(/^-?\d+$/.test(String(json)) ? BigInt(String(json)) : Number(json));
    case ConnectTime.LOGICAL_NAME:
      return new Date(Number(json));
  }
  switch (schema.type) {
    case 'int64':
      return longValue(json);
    case 'bytes':
      return Buffer.from(String(json), 'base64');
    case 'array':
      return (json as unknown[]).map((v) => defaultFromJson(schema.valueSchema!, v));
    default:
      return json;
  }
}

export function uniqueName(parent: ProtoMessage, name: string): string {
  let candidate = name;
  for (let i = 2; parent.nested.some((n) => n.name === candidate); i++) candidate = `${name}${i}`;
  return candidate;
}

export function pascal(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}
