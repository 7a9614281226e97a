/**
 * Debezium heartbeats (HeartbeatImpl): a record on `__debezium-heartbeat.<prefix>` with key
 * `ServerNameKey{serverName}` and value `Heartbeat{ts_ms}`, carrying the current source offset
 * so the offset (and a database's replication slot) advances on an idle source.
 */
import {
  SchemaBuilder,
  Schemas,
  type Schema,
  Struct,
  SourceRecord,
  type SourceOffset,
  type SourcePartition,
} from '../../../sdk/data.ts';

export const HEARTBEAT_KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.ServerNameKey')
  .version(1)
  .field('serverName', Schemas.STRING)
  .build();
export const HEARTBEAT_VALUE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.Heartbeat')
  .version(1)
  .field('ts_ms', Schemas.INT64)
  .build();

export function heartbeatRecord(opts: {
  topic: string;
  serverName: string;
  partition: SourcePartition;
  offset: SourceOffset;
  nowMs?: number;
}): SourceRecord {
  const now = opts.nowMs ?? Date.now();
  return new SourceRecord({
    topic: opts.topic,
    sourcePartition: opts.partition,
    sourceOffset: opts.offset,
    keySchema: HEARTBEAT_KEY_SCHEMA,
    key: new Struct(HEARTBEAT_KEY_SCHEMA).put('serverName', opts.serverName),
    valueSchema: HEARTBEAT_VALUE_SCHEMA,
    value: new Struct(HEARTBEAT_VALUE_SCHEMA).put('ts_ms', now),
    timestamp: now,
  });
}
