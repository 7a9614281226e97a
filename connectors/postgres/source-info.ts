/**
 * The PostgreSQL `source` block (io.debezium.connector.postgresql.Source) in the wire layout in
 * force (`tributary.debezium.layout`): 3.6 adds `origin` and `origin_lsn` after `xmin` and writes
 * `version` 3.6.1.Final; 3.2 is the layout of Debezium 3.1–3.2.
 */
import { Schemas, type Schema, Struct } from '../../sdk/data.ts';
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

export function postgresSource(v: PostgresSourceValues, layout: DebeziumLayout): Struct {
  const sequence = JSON.stringify([
    v.lastCommitLsn === null ? null : String(v.lastCommitLsn),
    v.lsn === null ? null : String(v.lsn),
  ]);
  const s = putCommonSourceFields(new Struct(SCHEMAS[layout]), {
    connector: 'postgresql',
    name: v.serverName,
    tsMicros: v.tsMicros,
    snapshot: v.snapshot,
    db: v.db,
    sequence,
  })
    .put('version', LAYOUT_VERSION[layout])
    .put('schema', v.schema)
    .put('table', v.table)
    .put('txId', v.txId)
    .put('lsn', v.lsn === null ? null : Number(v.lsn))
    .put('xmin', null);
  // origin/origin_lsn: the replication origin of the change (pgoutput Origin message), null for local changes.
  if (layout === '3.6') s.put('origin', null).put('origin_lsn', null);
  return s;
}
