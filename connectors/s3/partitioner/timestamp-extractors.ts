/**
 * Confluent's timestamp extractors (timestamp.extractor): Wallclock (processing time), Record
 * (the Kafka record timestamp) and RecordField (timestamp.field of the value: epoch millis, a
 * Connect Timestamp, or an ISO-8601 / numeric string).
 */
import { ConfigException } from '../../../runtime/errors.ts';
import type { SinkRecord } from '../../../runtime/data/records.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { ConnectTimestamp } from '../../../runtime/data/logical.ts';
import { PartitionException } from './field-partitioner.ts';
import { nestedFieldSchema, nestedFieldValue } from './record-fields.ts';

export interface TimestampExtractor {
  readonly name: string;
  /** Epoch millis of the record, or null when the record has none. */
  extract(record: SinkRecord, nowMs: number): number | null;
}

const PREFIX = 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner$';

export function createTimestampExtractor(name: string, timestampField: string): TimestampExtractor {
  const short = name.startsWith(PREFIX) ? name.slice(PREFIX.length).replace(/TimestampExtractor$/, '') : name;
  switch (short) {
    case 'Wallclock':
      return { name: short, extract: (_r, now) => now };
    case 'Record':
      return { name: short, extract: (r) => r.timestamp };
    case 'RecordField':
      return { name: short, extract: (r) => fieldTimestamp(r, timestampField) };
    default:
      throw new ConfigException(
        `Invalid value ${name} for configuration timestamp.extractor: use Wallclock, Record or RecordField`,
        { key: 'timestamp.extractor' },
      );
  }
}

const NUMERIC = /^-?[0-9]{1,19}$/;

function fromString(s: string, field: string, r: SinkRecord): number {
  if (NUMERIC.test(s)) return Number(s);
  const ms = Date.parse(s);
  if (Number.isNaN(ms))
    throw new PartitionException(
      `Field '${field}' holds '${s}', which is neither epoch millis nor an ISO-8601 date-time (topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset})`,
    );
  return ms;
}

function fieldTimestamp(r: SinkRecord, field: string): number | null {
  const value = r.value;
  const v = nestedFieldValue(value, field);
  if (value instanceof Struct) {
    const schema = nestedFieldSchema(r.valueSchema ?? value.schema, field);
    if (!schema)
      throw new PartitionException(
        `Field '${field}' (timestamp.field) is not present in the schema (topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset})`,
      );
    if (v === null) return null;
    if (schema.name === ConnectTimestamp.LOGICAL_NAME && v instanceof Date) return v.getTime();
    switch (schema.type) {
      case 'int32':
      case 'int64':
        return Number(v);
      case 'string':
        return fromString(v as string, field, r);
      default:
        throw new PartitionException(
          `Unsupported type '${schema.type}' for the timestamp field '${field}' (topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset}): use int64 epoch millis, a Timestamp or an ISO-8601 string`,
        );
    }
  }
  if (v === null) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return fromString(v, field, r);
  throw new PartitionException(
    `Unsupported value for the timestamp field '${field}' (topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset})`,
  );
}
