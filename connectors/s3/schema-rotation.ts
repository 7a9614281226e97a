/**
 * `schema.compatibility` as Confluent's StorageSchemaCompatibility applies it to an open file:
 * NONE rotates on any schema change; BACKWARD and FULL rotate when a record comes with a newer
 * schema version and project records of an older version onto the file's schema; FORWARD the
 * other way round. Projection follows Kafka Connect's SchemaProjector (fields missing from the
 * record take the target's default, numeric types widen).
 */
import { DataException } from '../../sdk/errors.ts';
import { type SinkRecord, schemaEquals, type Schema, Struct } from '../../sdk/data.ts';
import type { SchemaCompatibility } from './s3-sink-settings.ts';

const where = (r: SinkRecord) => `topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset}`;

/** Whether the open file (of schema `current`) must be committed before `record` is written. */
export function schemaChangeRotates(mode: SchemaCompatibility, current: Schema | null, record: SinkRecord): boolean {
  const next = record.valueSchema;
  if (current === next) return false;
  if ((current === null) !== (next === null)) return true;
  if (schemaEquals(current, next)) return false;
  if (mode === 'NONE') return true;
  const cv = current!.version;
  const nv = next!.version;
  if (cv === undefined || nv === undefined) {
    throw new DataException(
      `schema.compatibility=${mode} needs versioned schemas, but the record at ${where(record)} changes the schema and ${cv === undefined ? "the file's schema" : "the record's schema"} has no version: use schema.compatibility=NONE, or a converter that sets schema versions (e.g. AvroConverter)`,
    );
  }
  return mode === 'FORWARD' ? nv < cv : nv > cv;
}

/** The record with its value projected onto the file's schema (unchanged when the schema is the same). */
export function projectRecord(mode: SchemaCompatibility, current: Schema | null, record: SinkRecord): SinkRecord {
  if (
    mode === 'NONE' ||
    current === null ||
    record.valueSchema === null ||
    current === record.valueSchema ||
    schemaEquals(current, record.valueSchema)
  )
    return record;
  try {
    return record.newRecord({ valueSchema: current, value: project(record.valueSchema, record.value, current) });
  } catch (err) {
    throw new DataException(
      `Cannot project the record at ${where(record)} onto the file's schema (schema.compatibility=${mode}): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

const WIDENING: Record<string, string[]> = {
  int8: ['int16', 'int32', 'int64', 'float32', 'float64'],
  int16: ['int32', 'int64', 'float32', 'float64'],
  int32: ['int64', 'float32', 'float64'],
  int64: ['float32', 'float64'],
  float32: ['float64'],
};

function project(source: Schema, value: unknown, target: Schema): unknown {
  if (value === null || value === undefined) {
    if (target.defaultValue !== undefined && target.defaultValue !== null) return target.defaultValue;
    if (target.optional) return null;
    throw new DataException(`a null value cannot be projected onto a required ${target.type} schema`);
  }
  if (source.type === 'struct' && target.type === 'struct') {
    const s = value as Struct;
    const out = new Struct(target);
    for (const f of target.fields) {
      const sf = source.field(f.name);
      if (sf) out.put(f, project(sf.schema, s.get(sf), f.schema));
      else if (f.schema.defaultValue !== undefined && f.schema.defaultValue !== null) out.put(f, f.schema.defaultValue);
      else if (f.schema.optional) out.put(f, null);
      else throw new DataException(`required field '${f.name}' is missing from the record's schema and has no default`);
    }
    return out;
  }
  if (source.type === 'array' && target.type === 'array')
    return (value as unknown[]).map((v) => project(source.valueSchema!, v, target.valueSchema!));
  if (source.type === target.type) return value;
  if (WIDENING[source.type]?.includes(target.type)) {
    if (target.type === 'int64') return typeof value === 'bigint' ? value : value;
    return Number(value);
  }
  throw new DataException(`type ${source.type} cannot be projected onto ${target.type}`);
}
