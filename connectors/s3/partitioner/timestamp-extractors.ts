/**
 * Confluent's timestamp extractors (timestamp.extractor): Wallclock (processing time), Record
 * (the Kafka record timestamp) and RecordField (timestamp.field of the value: epoch millis, a
 * Connect Timestamp, or an ISO-8601 / numeric string).
 */
import { ConfigException } from '../../../sdk/errors.ts';
import { type SinkRecord, Struct, EpochMillis, epochMillisOf } from '../../../sdk/data.ts';
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
/** A JS Date's range (±8.64e15 ms) less two days, so the time zone's offset keeps it a Date: what the path formatter can render. */
const DATE_RANGE_MILLIS = 8_640_000_000_000_000 - 2 * 86_400_000;

/**
 * Epoch millis the partitioner can format. Beyond a JS Date (PostgreSQL ±infinity timestamps
 * under time.precision.mode=connect: ±9223372036…) there is no path to give: Confluent's Joda
 * formatting fails beyond year 292278993 as well, so a clear error rather than a wrong path.
 */
function formattable(ms: number | bigint, field: string, r: SinkRecord): number {
  const n = Number(ms);
  if (!Number.isFinite(n) || Math.abs(n) > DATE_RANGE_MILLIS)
    throw new PartitionException(
      `Field '${field}' (timestamp.field) holds ${ms} epoch ms, beyond the instants the partitioner can format into a path (±${DATE_RANGE_MILLIS} ms, about years -271821 to 275760) (topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset}): filter such records or route them with errors.tolerance=all to a dead letter queue`,
    );
  return n;
}

function fromString(s: string, field: string, r: SinkRecord): number {
  if (NUMERIC.test(s)) return formattable(BigInt(s), field, r);
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
    if (v instanceof Date || v instanceof EpochMillis) return formattable(epochMillisOf(v), field, r);
    switch (schema.type) {
      case 'int32':
      case 'int64':
        return formattable(v as number | bigint, field, r);
      case 'string':
        return fromString(v as string, field, r);
      default:
        throw new PartitionException(
          `Unsupported type '${schema.type}' for the timestamp field '${field}' (topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset}): use int64 epoch millis, a Timestamp or an ISO-8601 string`,
        );
    }
  }
  if (v === null) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return formattable(v, field, r);
  if (v instanceof Date || v instanceof EpochMillis) return formattable(epochMillisOf(v), field, r);
  if (typeof v === 'string') return fromString(v, field, r);
  throw new PartitionException(
    `Unsupported value for the timestamp field '${field}' (topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset})`,
  );
}
