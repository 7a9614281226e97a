/**
 * The PostgreSQL `source` block (io.debezium.connector.postgresql.Source) in the wire layout in
 * force (`tributary.debezium.layout`): 3.6 adds `origin` and `origin_lsn` after `xmin` and writes
 * `version` 3.6.1.Final; 3.2 is the layout of Debezium 3.1–3.2.
 */
import { Schemas, type Schema, Struct } from '../../sdk/data.ts';
import {
  fieldsOf,
  putCommonSourceFields,
  sourceInfoSchemaBuilder,
  type SnapshotMarker,
} from '../shared/debezium/index.ts';

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

/** The PostgreSQL-specific fields (and `sequence`), looked up once per layout's schema. */
const PG_FIELD_NAMES = {
  version: 'version',
  schema: 'schema',
  table: 'table',
  txId: 'txId',
  lsn: 'lsn',
  sequence: 'sequence',
} as const;
const FIELDS = { '3.6': fieldsOf(SCHEMAS['3.6'], PG_FIELD_NAMES), '3.2': fieldsOf(SCHEMAS['3.2'], PG_FIELD_NAMES) };

/**
 * The `source` block of the last change per layout without `lsn` and `sequence`: the changes of a
 * transaction to one table share everything else, so each is a copy of it with those two put.
 */
interface SourceTemplate {
  readonly values: PostgresSourceValues;
  readonly struct: Struct;
  /** `sequence` up to its second element: `["<last commit LSN>",` or `[null,`. */
  readonly sequencePrefix: string;
}
const TEMPLATES: Record<DebeziumLayout, SourceTemplate | null> = { '3.6': null, '3.2': null };

function sameTemplate(a: PostgresSourceValues, b: PostgresSourceValues): boolean {
  return (
    a.tsMicros === b.tsMicros &&
    a.txId === b.txId &&
    a.table === b.table &&
    a.schema === b.schema &&
    a.lastCommitLsn === b.lastCommitLsn &&
    a.snapshot === b.snapshot &&
    a.serverName === b.serverName &&
    a.db === b.db
  );
}

function template(v: PostgresSourceValues, layout: DebeziumLayout): SourceTemplate {
  const f = FIELDS[layout];
  const struct = putCommonSourceFields(new Struct(SCHEMAS[layout]), {
    connector: 'postgresql',
    name: v.serverName,
    tsMicros: v.tsMicros,
    snapshot: v.snapshot,
    db: v.db,
  })
    .put(f.version, LAYOUT_VERSION[layout])
    .put(f.schema, v.schema)
    .put(f.table, v.table)
    .put(f.txId, v.txId);
  // xmin, and in 3.6 origin/origin_lsn (the replication origin of the change, for local changes): left
  // unset, which reads and writes as null (optional fields without a default).
  // The LSNs are decimal digits: `sequence`'s JSON array is written directly (what JSON.stringify wrote).
  const sequencePrefix = v.lastCommitLsn === null ? '[null,' : `["${v.lastCommitLsn}",`;
  return { values: { ...v }, struct, sequencePrefix };
}

export function postgresSource(v: PostgresSourceValues, layout: DebeziumLayout): Struct {
  let t = TEMPLATES[layout];
  if (t === null || !sameTemplate(t.values, v)) TEMPLATES[layout] = t = template(v, layout);
  const f = FIELDS[layout];
  const lsn = v.lsn;
  // An optional string and an optional int64 (Number of a bigint is an integer) of this module's own
  // schemas: no validation needed.
  return t.struct
    .copy()
    .putKnownValid(f.sequence, lsn === null ? `${t.sequencePrefix}null]` : `${t.sequencePrefix}"${lsn}"]`)
    .putKnownValid(f.lsn, lsn === null ? null : Number(lsn));
}
