/**
 * The Debezium change-event envelope (Envelope.java, ≥2.7 field order): `before`, `after`,
 * `source`, `transaction`, `op`, `ts_ms`, `ts_us`, `ts_ns`; struct named `<topic>.Envelope`,
 * version 2. Also the per-table key (`<topic>.Key`) and row (`<topic>.Value`) schema builders.
 */
import { SchemaBuilder, Schemas, type Schema, Struct } from '../../../sdk/data.ts';
import { DataException } from '../../../sdk/errors.ts';
import { TRANSACTION_BLOCK_SCHEMA } from './transaction.ts';
import { envelopeSchemaName, keySchemaName, valueSchemaName } from './naming.ts';

export const ENVELOPE_SCHEMA_VERSION = 2;

/** Envelope.Operation codes. */
export type Operation = 'c' | 'u' | 'd' | 'r' | 't' | 'm';
export const Operation = { CREATE: 'c', UPDATE: 'u', DELETE: 'd', READ: 'r', TRUNCATE: 't', MESSAGE: 'm' } as const;

export function envelopeSchema(topic: string, rowSchema: Schema, sourceSchema: Schema): Schema {
  return SchemaBuilder.struct()
    .name(envelopeSchemaName(topic))
    .version(ENVELOPE_SCHEMA_VERSION)
    .field('before', rowSchema)
    .field('after', rowSchema)
    .field('source', sourceSchema)
    .field('transaction', TRANSACTION_BLOCK_SCHEMA)
    .field('op', Schemas.STRING)
    .field('ts_ms', Schemas.OPTIONAL_INT64)
    .field('ts_us', Schemas.OPTIONAL_INT64)
    .field('ts_ns', Schemas.OPTIONAL_INT64)
    .build();
}

export interface ColumnField {
  name: string;
  schema: Schema;
}

/** `<topic>.Value`: optional struct, one field per captured column in table order. */
export function rowSchema(topic: string, columns: readonly ColumnField[]): Schema {
  const b = SchemaBuilder.struct().name(valueSchemaName(topic)).optional();
  for (const c of columns) b.field(c.name, c.schema);
  return b.build();
}

/** `<topic>.Key`: required struct of the key columns; null when the table has no key. */
export function keySchema(topic: string, keyColumns: readonly ColumnField[]): Schema | null {
  if (keyColumns.length === 0) return null;
  const b = SchemaBuilder.struct().name(keySchemaName(topic));
  for (const c of keyColumns) b.field(c.name, c.schema);
  return b.build();
}

/** Processing time as epoch microseconds (ts_ms / ts_us / ts_ns of the envelope). */
export function nowMicros(): bigint {
  return BigInt(Math.trunc((performance.timeOrigin + performance.now()) * 1000));
}

export interface EnvelopeParts {
  before?: Struct | null;
  after?: Struct | null;
  source: Struct;
  transaction?: Struct | null;
  op: Operation;
  /** Processing time; defaults to now. */
  tsMicros?: bigint;
}

export function envelopeValue(schema: Schema, parts: EnvelopeParts): Struct {
  if (!schema.field('op')) throw new DataException(`Not an envelope schema: ${schema.name ?? schema.type}`);
  const us = parts.tsMicros ?? nowMicros();
  return new Struct(schema)
    .put('before', parts.before ?? null)
    .put('after', parts.after ?? null)
    .put('source', parts.source)
    .put('transaction', parts.transaction ?? null)
    .put('op', parts.op)
    .put('ts_ms', Number(us / 1000n))
    .put('ts_us', Number(us))
    .put('ts_ns', us * 1000n);
}
