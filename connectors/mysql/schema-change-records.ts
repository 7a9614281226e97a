/**
 * Schema change events as Debezium's EventDispatcher writes them to the `<topic.prefix>` topic:
 * key { databaseName }, value { source, ts_ms, databaseName, schemaName, ddl, tableChanges }, for
 * streamed DDL and for the snapshot's schema statements.
 */
import { SourceRecord, type SourceOffset, Struct } from '../../sdk/data.ts';
import type { ChangeRecords } from './change-records.ts';
import type { MysqlSourceSettings } from './config.ts';
import { type BinlogOffset, toSourceOffset } from './offsets.ts';
import { schemaChangeKeySchema, schemaChangeValueSchema, tableChangeStruct } from './schema/schema-change-record.ts';
import type { HistoryRecord } from './schema/schema-history.ts';
import { type Flavor, sourceStruct } from './source-info.ts';

interface RecordContext {
  settings: MysqlSourceSettings;
  records: ChangeRecords;
}

export function schemaChangeRecordOf(
  c: RecordContext,
  record: HistoryRecord,
  source: Struct,
  tsMs: number,
  offset?: SourceOffset,
): SourceRecord {
  const flavor: Flavor = source.schema.name === 'io.debezium.connector.mariadb.Source' ? 'mariadb' : 'mysql';
  const keySchema = schemaChangeKeySchema(flavor);
  const valueSchema = schemaChangeValueSchema(flavor, source.schema);
  const value = new Struct(valueSchema)
    .put('source', source)
    .put('ts_ms', tsMs)
    .put('databaseName', record.databaseName)
    .put('schemaName', null)
    .put('ddl', record.ddl)
    .put('tableChanges', record.tableChanges.map(tableChangeStruct));
  return new SourceRecord({
    topic: c.settings.topicPrefix,
    sourcePartition: c.records.partition,
    sourceOffset: offset ?? toSourceOffset(record.position as unknown as BinlogOffset),
    keySchema,
    key: new Struct(keySchema).put('databaseName', record.databaseName),
    valueSchema,
    value,
    timestamp: tsMs,
  });
}

/** A snapshot schema change event (source.snapshot "true", the snapshot's binlog position). */
export function snapshotSchemaChangeRecord(
  c: RecordContext,
  flavor: Flavor,
  rec: HistoryRecord,
  off: BinlogOffset,
): SourceRecord {
  const source = sourceStruct({
    flavor,
    serverName: c.settings.topicPrefix,
    tsMicros: rec.ts_ms * 1000,
    snapshot: 'true',
    db: rec.databaseName,
    table: null,
    serverId: 0,
    gtid: null,
    file: off.file,
    pos: off.pos,
    row: 0,
    thread: null,
    query: null,
  });
  return schemaChangeRecordOf(c, rec, source, rec.ts_ms, toSourceOffset(off));
}
