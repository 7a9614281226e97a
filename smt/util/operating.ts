/**
 * Kafka Connect's `$Key` / `$Value` pattern: one implementation of a transform, two views of the
 * record. `key` operates on keySchema/key, `value` on valueSchema/value.
 */
import { type Schema, SinkRecord } from '../../sdk/data.ts';
import type { AnyRecord } from '../../sdk/spi.ts';

export type Side = 'key' | 'value';

export function operatingSchema(side: Side, r: AnyRecord): Schema | null {
  return side === 'key' ? r.keySchema : r.valueSchema;
}

export function operatingValue(side: Side, r: AnyRecord): unknown {
  return side === 'key' ? r.key : r.value;
}

export function withOperating<R extends AnyRecord>(side: Side, r: R, schema: Schema | null, value: unknown): R {
  return (
    side === 'key' ? r.newRecord({ keySchema: schema, key: value }) : r.newRecord({ valueSchema: schema, value })
  ) as R;
}

/** A short rendering of a record for error messages, after ConnectRecord#toString. */
export function describeRecord(r: AnyRecord): string {
  const kind = r instanceof SinkRecord ? 'SinkRecord' : 'SourceRecord';
  return `${kind}{topic='${r.topic}', kafkaPartition=${r.kafkaPartition}, keySchema=${String(r.keySchema)}, valueSchema=${String(r.valueSchema)}, timestamp=${r.timestamp}}`;
}
