/**
 * The `source` block fields common to every Debezium connector (SchemaFactory.sourceInfoSchemaBuilder,
 * 3.1–3.4 layout): version, connector, name, ts_ms, snapshot, db, sequence, ts_us, ts_ns. A connector
 * appends its own fields to the returned builder and names the struct.
 */
import { SchemaBuilder, Schemas, type Schema, type Struct } from '../../../sdk/data.ts';
import { SemanticTypes } from './semantic-types.ts';

/** The Debezium release whose wire layout Tributary reproduces; written to `source.version`. */
export const DEBEZIUM_COMPAT_VERSION = '3.2.0.Final';

/** SnapshotRecord values (lower-case enum names); streaming records leave `snapshot` unset ("false" via default). */
export type SnapshotMarker =
  'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'false' | 'incremental';
export const SNAPSHOT_MARKERS: readonly SnapshotMarker[] = [
  'true',
  'first',
  'first_in_data_collection',
  'last_in_data_collection',
  'last',
  'false',
  'incremental',
];

export const SNAPSHOT_RECORD_SCHEMA: Schema = SemanticTypes.enumeration(SNAPSHOT_MARKERS)
  .defaultValue('false')
  .optional()
  .build();

export function sourceInfoSchemaBuilder(): SchemaBuilder {
  return SchemaBuilder.struct()
    .version(1)
    .field('version', Schemas.STRING)
    .field('connector', Schemas.STRING)
    .field('name', Schemas.STRING)
    .field('ts_ms', Schemas.INT64)
    .field('snapshot', SNAPSHOT_RECORD_SCHEMA)
    .field('db', Schemas.STRING)
    .field('sequence', Schemas.OPTIONAL_STRING)
    .field('ts_us', Schemas.OPTIONAL_INT64)
    .field('ts_ns', Schemas.OPTIONAL_INT64);
}

export interface CommonSourceValues {
  connector: string;
  /** topic.prefix */
  name: string;
  /** Source (database) time of the change, epoch microseconds. */
  tsMicros: bigint | number;
  snapshot?: SnapshotMarker | null;
  db: string;
  sequence?: string | null;
}

/** Fills the common fields; ts_ms/ts_us/ts_ns come from one microsecond instant (ts_ns = µs × 1000). */
export function putCommonSourceFields(source: Struct, v: CommonSourceValues): Struct {
  const us = typeof v.tsMicros === 'bigint' ? v.tsMicros : BigInt(Math.trunc(v.tsMicros));
  source.put('version', DEBEZIUM_COMPAT_VERSION);
  source.put('connector', v.connector);
  source.put('name', v.name);
  source.put('ts_ms', Number(us / 1000n));
  if (v.snapshot && v.snapshot !== 'false') source.put('snapshot', v.snapshot);
  source.put('db', v.db);
  source.put('sequence', v.sequence ?? null);
  source.put('ts_us', Number(us));
  source.put('ts_ns', us * 1000n);
  return source;
}
