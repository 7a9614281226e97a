/**
 * The PostgreSQL `source` block (io.debezium.connector.postgresql.Source) in the wire layout in
 * force (`tributary.debezium.layout`): 3.6 adds `origin` and `origin_lsn` after `xmin` and writes
 * `version` 3.6.1.Final; 3.2 is the layout of Debezium 3.1–3.2.
 */
import { type Field, Schemas, type Schema, Struct } from '../../sdk/data.ts';
import { putCommonSourceFields, sourceInfoSchemaBuilder, type SnapshotMarker } from '../shared/debezium/index.ts';

export type DebeziumLayout = '3.6' | '3.2';
export const DEBEZIUM_LAYOUTS: readonly DebeziumLayout[] = ['3.6', '3.2'];
/** `source.version` per layout: the Debezium release whose output each reproduces. */
const LAYOUT_VERSION: Record<DebeziumLayout, string> = { '3.6': '3.6.1.Final', '3.2': '3.2.0.Final' };

function sourceSchema(layout: DebeziumLayout): Schema {
  const b = sourceInfoSchemaBuilder()
    .name('io.debezium.connector.postgresql.Source')
    .field('schema', Schemas.STRING)
    .field('table', Schemas.STRING)
    .field('txId', Schemas.OPTIONAL_INT64)
    .field('lsn', Schemas.OPTIONAL_INT64)
    .field('xmin', Schemas.OPTIONAL_INT64);
  if (layout === '3.6') b.field('origin', Schemas.OPTIONAL_STRING).field('origin_lsn', Schemas.OPTIONAL_INT64);
  return b.build();
}

const SCHEMAS: Record<DebeziumLayout, Schema> = { '3.6': sourceSchema('3.6'), '3.2': sourceSchema('3.2') };

export function postgresSourceSchema(layout: DebeziumLayout): Schema {
  return SCHEMAS[layout];
}

export interface PostgresSourceValues {
  serverName: string;
  db: string;
  schema: string;
  table: string;
  tsMicros: bigint;
  snapshot?: SnapshotMarker;
  txId: number | null;
  lsn: bigint | null;
  /** End of the last committed transaction, for `sequence`. */
  lastCommitLsn: bigint | null;
}

/** The PostgreSQL-specific fields of each layout's schema, looked up once. */
const FIELDS = {
  '3.6': pgFields(SCHEMAS['3.6']),
  '3.2': pgFields(SCHEMAS['3.2']),
};

function pgFields(schema: Schema) {
  const f = (name: string): Field => schema.field(name)!;
  return {
    version: f('version'),
    schema: f('schema'),
    table: f('table'),
    txId: f('txId'),
    lsn: f('lsn'),
  };
}

export function postgresSource(v: PostgresSourceValues, layout: DebeziumLayout): Struct {
  // The LSNs are decimal digits: the JSON array is written directly (what JSON.stringify wrote).
  const sequence = `[${v.lastCommitLsn === null ? 'null' : `"${v.lastCommitLsn}"`},${v.lsn === null ? 'null' : `"${v.lsn}"`}]`;
  const f = FIELDS[layout];
  const s = putCommonSourceFields(new Struct(SCHEMAS[layout]), {
    connector: 'postgresql',
    name: v.serverName,
    tsMicros: v.tsMicros,
    snapshot: v.snapshot,
    db: v.db,
    sequence,
  })
    .put(f.version, LAYOUT_VERSION[layout])
    .put(f.schema, v.schema)
    .put(f.table, v.table)
    .put(f.txId, v.txId)
    .put(f.lsn, v.lsn === null ? null : Number(v.lsn));
  // xmin, and in 3.6 origin/origin_lsn (the replication origin of the change, for local changes): left
  // unset, which reads and writes as null (optional fields without a default).
  return s;
}
