/** The MySQL/MariaDB `source` block (BinlogSourceInfoStructMaker): common fields, then table, server_id, gtid, file, pos, row, thread, query. */
import { type Field, type Schema, Schemas, Struct } from '../../sdk/data.ts';
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

/** The connector's own fields of a source schema, looked up once (a row then puts by Field). */
function ownFields(schema: Schema) {
  const f = (name: string): Field => schema.field(name)!;
  return {
    table: f('table'),
    serverId: f('server_id'),
    gtid: f('gtid'),
    file: f('file'),
    pos: f('pos'),
    row: f('row'),
    thread: f('thread'),
    query: f('query'),
  };
}
const MYSQL_FIELDS = ownFields(MYSQL_SOURCE_SCHEMA);
const MARIADB_FIELDS = ownFields(MARIADB_SOURCE_SCHEMA);

export function sourceStruct(v: MysqlSourceValues): Struct {
  const s = new Struct(sourceSchemaFor(v.flavor));
  const f = v.flavor === 'mariadb' ? MARIADB_FIELDS : MYSQL_FIELDS;
  putCommonSourceFields(s, {
    connector: v.flavor,
    name: v.serverName,
    tsMicros: v.tsMicros,
    snapshot: v.snapshot,
    db: v.db,
  });
  return s
    .put(f.table, v.table)
    .put(f.serverId, v.serverId)
    .put(f.gtid, v.gtid)
    .put(f.file, v.file)
    .put(f.pos, v.pos)
    .put(f.row, v.row)
    .put(f.thread, v.thread)
    .put(f.query, v.query);
}
