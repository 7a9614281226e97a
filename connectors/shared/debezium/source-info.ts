/**
 * The `source` block fields common to every Debezium connector (SchemaFactory.sourceInfoSchemaBuilder,
 * 3.1–3.4 layout): version, connector, name, ts_ms, snapshot, db, sequence, ts_us, ts_ns. A connector
 * appends its own fields to the returned builder and names the struct.
 */
import { SchemaBuilder, Schemas, type Schema, type Struct } from '../../../sdk/data.ts';
import { fieldsOf } from './fields.ts';
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

/** The common fields' names; fieldsOf looks them up once per source schema (a change puts by Field). */
const COMMON_FIELD_NAMES = {
  version: 'version',
  connector: 'connector',
  name: 'name',
  tsMs: 'ts_ms',
  snapshot: 'snapshot',
  db: 'db',
  sequence: 'sequence',
  tsUs: 'ts_us',
  tsNs: 'ts_ns',
} as const;

/**
 * The last source instant converted: the events of one transaction share it, so ts_ms / ts_us /
 * ts_ns are computed once per transaction instead of once per event (bigints are immutable).
 */
let lastMicros: bigint | number | null = null;
let lastMs = 0;
let lastUs = 0;
let lastNs = 0n;

/** Fills the common fields; ts_ms/ts_us/ts_ns come from one microsecond instant (ts_ns = µs × 1000). */
export function putCommonSourceFields(source: Struct, v: CommonSourceValues): Struct {
  const f = fieldsOf(source.schema, COMMON_FIELD_NAMES);
  if (v.tsMicros !== lastMicros) {
    const us = typeof v.tsMicros === 'bigint' ? v.tsMicros : BigInt(Math.trunc(v.tsMicros));
    lastMs = Number(us / 1000n);
    lastUs = Number(us);
    lastNs = us * 1000n;
    lastMicros = v.tsMicros;
  }
  source.put(f.version, DEBEZIUM_COMPAT_VERSION);
  source.put(f.connector, v.connector);
  source.put(f.name, v.name);
  source.put(f.tsMs, lastMs);
  if (v.snapshot && v.snapshot !== 'false') source.put(f.snapshot, v.snapshot);
  source.put(f.db, v.db);
  source.put(f.sequence, v.sequence ?? null);
  source.put(f.tsUs, lastUs);
  source.put(f.tsNs, lastNs);
  return source;
}
