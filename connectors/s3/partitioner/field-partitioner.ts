/** Confluent's DefaultPartitioner (`partition=<n>`) and FieldPartitioner (`<field>=<value>` per field). */
import type { ParsedConfig } from '../../../sdk/config.ts';
import { ConfigException, DataException } from '../../../sdk/errors.ts';
import { type SinkRecord, Struct, EpochMillis, type EpochValue } from '../../../sdk/data.ts';
import type { S3Partitioner } from './partitioner.ts';
import { nestedFieldSchema, nestedFieldValue } from './record-fields.ts';

/** A record that cannot be given a partition (Confluent's PartitionException). */
export class PartitionException extends DataException {}

export class DefaultPartitioner implements S3Partitioner {
  constructor(protected readonly delim: string) {}

  encodePartition(record: SinkRecord, _nowMs: number): string {
    return `partition=${record.kafkaPartition}`;
  }

  partitionedPath(topicsDir: string, topic: string, encodedPartition: string): string {
    return `${topicsDir}${this.delim}${topic}${this.delim}${encodedPartition}`;
  }
}

/** A Connect Date/Time/Timestamp value for an error message: epoch millis, and the instant when a JS Date holds it. */
export function describeEpochValue(v: EpochValue): string {
  return v instanceof Date
    ? `${v.getTime()} epoch ms (${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`
    : `${v.millis} epoch ms (beyond a JavaScript Date)`;
}

const where = (r: SinkRecord) => `topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset}`;

export class FieldPartitioner extends DefaultPartitioner {
  private readonly fieldNames: string[];

  constructor(config: ParsedConfig) {
    super(config.getString('directory.delim'));
    this.fieldNames = config.getList('partition.field.name');
    if (this.fieldNames.length === 0)
      throw new ConfigException(
        'partition.field.name is empty: FieldPartitioner needs at least one value field (dotted paths reach into nested structs)',
        { key: 'partition.field.name' },
      );
  }

  override encodePartition(record: SinkRecord, _nowMs: number): string {
    const value = record.value;
    if (!(value instanceof Struct))
      throw new PartitionException(
        `FieldPartitioner needs a Struct value with a schema (${where(record)}): the value is ${value === null ? 'null' : typeof value}`,
      );
    const parts: string[] = [];
    for (const name of this.fieldNames) {
      const schema = nestedFieldSchema(record.valueSchema ?? value.schema, name);
      if (!schema) throw new PartitionException(`Field '${name}' is not present in the schema (${where(record)})`);
      let v: unknown;
      try {
        v = nestedFieldValue(value, name);
      } catch {
        v = null;
      }
      if (v === null || v === undefined) {
        parts.push(`${name}=null`);
        continue;
      }
      if (v instanceof Date || v instanceof EpochMillis)
        throw new PartitionException(
          `Field '${name}' is a ${schema.name ?? schema.type} holding ${describeEpochValue(v)} (${where(record)}): FieldPartitioner takes integer, string or boolean fields (Confluent's fails on a date value too); use TimeBasedPartitioner with timestamp.field, or convert the field with TimestampConverter first`,
        );
      switch (schema.type) {
        case 'int8':
        case 'int16':
        case 'int32':
        case 'int64':
        case 'string':
        case 'boolean':
          parts.push(`${name}=${String(v)}`);
          break;
        default:
          throw new PartitionException(
            `Type ${schema.type} of field '${name}' is not supported as a partition key (${where(record)}): use an integer, string or boolean field`,
          );
      }
    }
    return parts.join(this.delim);
  }
}
