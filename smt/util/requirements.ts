/** Kafka Connect's transforms/util/Requirements: the same checks and messages. */
import { DataException } from '../../runtime/errors.ts';
import { Struct } from '../../runtime/data/struct.ts';
import type { Schema } from '../../runtime/data/schema.ts';

function className(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  if (Array.isArray(v)) return 'java.util.ArrayList';
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'number') return Number.isInteger(v) ? 'java.lang.Integer' : 'java.lang.Double';
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  if (v instanceof Uint8Array) return '[B';
  return 'java.util.HashMap';
}

export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (schema === null) throw new DataException(`Schema required for [${purpose}]`);
  return schema;
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) throw new DataException(`Only Struct objects supported for [${purpose}], found: ${className(value)}`);
  return value;
}

export function requireMap(value: unknown, purpose: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Struct || value instanceof Uint8Array) {
    throw new DataException(`Only Map objects supported in absence of schema for [${purpose}], found: ${className(value)}`);
  }
  if (value instanceof Map) return Object.fromEntries(value);
  return value as Record<string, unknown>;
}

export function requireMapOrNull(value: unknown, purpose: string): Record<string, unknown> | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}
