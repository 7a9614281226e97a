/** Kafka Connect's transforms/util/Requirements: the same checks and the same messages. */
import { DataException } from '../../sdk/errors.ts';
import { Struct, SinkRecord, type Schema } from '../../sdk/data.ts';
import type { AnyRecord } from '../../sdk/spi.ts';
import { isMapValue, javaCanonicalName } from './java.ts';

export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (schema === null || schema === undefined) throw new DataException(`Schema required for [${purpose}]`);
  return schema;
}

/** A schemaless Map value as a plain object (a JS Map is copied into one). */
export function requireMap(value: unknown, purpose: string): Record<string, unknown> {
  if (!isMapValue(value)) {
    throw new DataException(
      `Only Map objects supported in absence of schema for [${purpose}], found: ${javaCanonicalName(value)}`,
    );
  }
  return value instanceof Map ? Object.fromEntries(value) : value;
}

export function requireMapOrNull(value: unknown, purpose: string): Record<string, unknown> | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct))
    throw new DataException(`Only Struct objects supported for [${purpose}], found: ${javaCanonicalName(value)}`);
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}

export function requireSinkRecord(record: AnyRecord, purpose: string): SinkRecord {
  if (!(record instanceof SinkRecord)) {
    throw new DataException(
      `Only SinkRecord supported for [${purpose}], found: org.apache.kafka.connect.source.SourceRecord`,
    );
  }
  return record;
}
