/** The PostgreSQL `source` block (io.debezium.connector.postgresql.Source, 3.1–3.4 layout). */
import { Schemas, type Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { putCommonSourceFields, sourceInfoSchemaBuilder, type SnapshotMarker } from '../shared/debezium/index.ts';

export const POSTGRES_SOURCE_SCHEMA: Schema = sourceInfoSchemaBuilder()
  .name('io.debezium.connector.postgresql.Source')
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .field('txId', Schemas.OPTIONAL_INT64)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .field('xmin', Schemas.OPTIONAL_INT64)
  .build();

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

export function postgresSource(v: PostgresSourceValues): Struct {
  const sequence = JSON.stringify([v.lastCommitLsn === null ? null : String(v.lastCommitLsn), v.lsn === null ? null : String(v.lsn)]);
  return putCommonSourceFields(new Struct(POSTGRES_SOURCE_SCHEMA), { connector: 'postgresql', name: v.serverName, tsMicros: v.tsMicros, snapshot: v.snapshot, db: v.db, sequence })
    .put('schema', v.schema)
    .put('table', v.table)
    .put('txId', v.txId)
    .put('lsn', v.lsn === null ? null : Number(v.lsn))
    .put('xmin', null);
}
