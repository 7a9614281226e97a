/**
 * The Debezium change-event envelope (Envelope.java, ≥2.7 field order): `before`, `after`,
 * `source`, `transaction`, `op`, `ts_ms`, `ts_us`, `ts_ns`; struct named `<topic>.Envelope`,
 * version 2. Also the per-table key (`<topic>.Key`) and row (`<topic>.Value`) schema builders.
 */
import { type Field, SchemaBuilder, Schemas, type Schema, Struct } from '../../../sdk/data.ts';
import { DataException } from '../../../sdk/errors.ts';
import { TRANSACTION_BLOCK_SCHEMA } from './transaction.ts';
import { fieldsOf } from './fields.ts';
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

/** The envelope's field names; fieldsOf looks them up once per envelope schema. */
const ENVELOPE_FIELD_NAMES = {
  before: 'before',
  after: 'after',
  source: 'source',
  transaction: 'transaction',
  op: 'op',
  tsMs: 'ts_ms',
  tsUs: 'ts_us',
  tsNs: 'ts_ns',
} as const;

/** The last envelope schema's fields: the records of a batch mostly share a table. */
let lastSchema: Schema | null = null;
let lastFields = {} as Record<keyof typeof ENVELOPE_FIELD_NAMES, Field>;
/** Whether its ts_ms/ts_us/ts_ns are plain int64 fields (the integers made below need no validation then). */
let lastTsInt64 = false;
/** Whether its op is a plain string field (a string op needs no validation then). */
let lastOpString = false;

/** A field of that type without a logical name (whose values validateValue checks by type alone). */
const plain = (f: Field, type: Schema['type']): boolean => f.schema.type === type && f.schema.name === undefined;

export function envelopeValue(schema: Schema, parts: EnvelopeParts): Struct {
  if (schema !== lastSchema) {
    if (!schema.field('op')) throw new DataException(`Not an envelope schema: ${schema.name ?? schema.type}`);
    lastFields = fieldsOf(schema, ENVELOPE_FIELD_NAMES);
    lastTsInt64 = [lastFields.tsMs, lastFields.tsUs, lastFields.tsNs].every((f) => plain(f, 'int64'));
    lastOpString = plain(lastFields.op, 'string');
    lastSchema = schema;
  }
  const f = lastFields;
  const s = new Struct(schema)
    .put(f.before, parts.before ?? null)
    .put(f.after, parts.after ?? null)
    .put(f.source, parts.source)
    .put(f.transaction, parts.transaction ?? null);
  if (lastOpString && typeof parts.op === 'string') s.putKnownValid(f.op, parts.op);
  else s.put(f.op, parts.op);
  if (parts.tsMicros !== undefined) {
    const us = parts.tsMicros;
    return s
      .put(f.tsMs, Number(us / 1000n))
      .put(f.tsUs, Number(us))
      .put(f.tsNs, us * 1000n);
  }
  // Now, in whole microseconds as a double (exact: below 2^53 until the year 2255), one bigint for ts_ns.
  const us = Math.trunc((performance.timeOrigin + performance.now()) * 1000);
  const ms = (us - (us % 1000)) / 1000;
  const ns = BigInt(us) * 1000n;
  if (!lastTsInt64) return s.put(f.tsMs, ms).put(f.tsUs, us).put(f.tsNs, ns);
  return s.putKnownValid(f.tsMs, ms).putKnownValid(f.tsUs, us).putKnownValid(f.tsNs, ns);
}
