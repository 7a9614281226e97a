/** The MySQL/MariaDB `source` block (BinlogSourceInfoStructMaker): common fields, then table, server_id, gtid, file, pos, row, thread, query. */
import { type Schema, Schemas, Struct } from '../../sdk/data.ts';
import { putCommonSourceFields, type SnapshotMarker, sourceInfoSchemaBuilder } from '../shared/debezium/index.ts';

export type Flavor = 'mysql' | 'mariadb';

function build(name: string): Schema {
  return sourceInfoSchemaBuilder()
    .name(name)
    .field('table', Schemas.OPTIONAL_STRING)
    .field('server_id', Schemas.INT64)
    .field('gtid', Schemas.OPTIONAL_STRING)
    .field('file', Schemas.STRING)
    .field('pos', Schemas.INT64)
    .field('row', Schemas.INT32)
    .field('thread', Schemas.OPTIONAL_INT64)
    .field('query', Schemas.OPTIONAL_STRING)
    .build();
}

export const MYSQL_SOURCE_SCHEMA = build('io.debezium.connector.mysql.Source');
export const MARIADB_SOURCE_SCHEMA = build('io.debezium.connector.mariadb.Source');

export const sourceSchemaFor = (flavor: Flavor): Schema =>
  flavor === 'mariadb' ? MARIADB_SOURCE_SCHEMA : MYSQL_SOURCE_SCHEMA;

export interface MysqlSourceValues {
  flavor: Flavor;
  serverName: string;
  tsMicros: bigint | number;
  snapshot?: SnapshotMarker | null;
  db: string;
  table: string | null;
  serverId: number;
  gtid: string | null;
  file: string;
  pos: number;
  row: number;
  thread: number | null;
  query: string | null;
}

export function sourceStruct(v: MysqlSourceValues): Struct {
  const s = new Struct(sourceSchemaFor(v.flavor));
  putCommonSourceFields(s, {
    connector: v.flavor,
    name: v.serverName,
    tsMicros: v.tsMicros,
    snapshot: v.snapshot,
    db: v.db,
  });
  return s
    .put('table', v.table)
    .put('server_id', v.serverId)
    .put('gtid', v.gtid)
    .put('file', v.file)
    .put('pos', v.pos)
    .put('row', v.row)
    .put('thread', v.thread)
    .put('query', v.query);
}
