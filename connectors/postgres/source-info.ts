/**
 * The PostgreSQL `source` block (io.debezium.connector.postgresql.Source) in the wire layout in
 * force (`tributary.debezium.layout`): 3.6 adds `origin` and `origin_lsn` after `xmin` and writes
 * `version` 3.6.1.Final; 3.2 is the layout of Debezium 3.1–3.2.
 */
import { Schemas, type Schema, Struct, validateValue } from '../../sdk/data.ts';
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

/** Values to fill per change (a streamer reuses one object: postgresSource copies what it keeps). */
export function blankSourceValues(serverName: string, db: string): PostgresSourceValues {
  return { serverName, db, schema: '', table: '', tsMicros: 0n, txId: null, lsn: null, lastCommitLsn: null };
}

/** The fields put per change, looked up once per layout's schema. */
const PER_CHANGE_FIELD_NAMES = {
  version: 'version',
  schema: 'schema',
  table: 'table',
  txId: 'txId',
  lsn: 'lsn',
  sequence: 'sequence',
  tsMs: 'ts_ms',
  tsUs: 'ts_us',
  tsNs: 'ts_ns',
} as const;
const FIELDS = {
  '3.6': fieldsOf(SCHEMAS['3.6'], PER_CHANGE_FIELD_NAMES),
  '3.2': fieldsOf(SCHEMAS['3.2'], PER_CHANGE_FIELD_NAMES),
};

/**
 * The `source` block of the last table per layout: what only changes with the table (connector,
 * names, version, snapshot marker). Each change's block is a copy of it with the transaction's
 * and the change's own fields put: values this module made for its own schemas' int64 and
 * string fields, so without validation.
 */
interface SourceTemplate {
  readonly values: PostgresSourceValues;
  readonly struct: Struct;
}
const TEMPLATES: Record<DebeziumLayout, SourceTemplate | null> = { '3.6': null, '3.2': null };

function sameTable(a: PostgresSourceValues, b: PostgresSourceValues): boolean {
  return (
    a.table === b.table &&
    a.schema === b.schema &&
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
    .put(f.table, v.table);
  // xmin, and in 3.6 origin/origin_lsn (the replication origin of the change, for local changes): left
  // unset, which reads and writes as null (optional fields without a default).
  return { values: { ...v }, struct };
}

/** The last transaction's instant as ts_ms / ts_us / ts_ns (validated once), and its `sequence` prefix. */
let txMicros: bigint | null = null;
let txMs = 0;
let txUs = 0;
let txNs = 0n;
let prefixLsn: bigint | null | undefined = undefined;
/** `sequence` up to its second element: `["<last commit LSN>",` or `[null,` (LSNs are decimal digits). */
let sequencePrefix = '';

export function postgresSource(v: PostgresSourceValues, layout: DebeziumLayout): Struct {
  let t = TEMPLATES[layout];
  if (t === null || !sameTable(t.values, v)) TEMPLATES[layout] = t = template(v, layout);
  const f = FIELDS[layout];
  if (v.tsMicros !== txMicros) {
    const us = v.tsMicros;
    txMs = Number(us / 1000n);
    txUs = Number(us);
    txNs = us * 1000n;
    validateValue(f.tsNs.schema, txNs, f.tsNs.name); // the one that can leave int64's range
    txMicros = us;
  }
  if (v.lastCommitLsn !== prefixLsn) {
    sequencePrefix = v.lastCommitLsn === null ? '[null,' : `["${v.lastCommitLsn}",`;
    prefixLsn = v.lastCommitLsn;
  }
  const s = t.struct.copy().putKnownValid(f.tsMs, txMs).putKnownValid(f.tsUs, txUs).putKnownValid(f.tsNs, txNs);
  if (v.txId === null || Number.isSafeInteger(v.txId)) s.putKnownValid(f.txId, v.txId);
  else s.put(f.txId, v.txId);
  // `sequence`'s JSON array written directly (what JSON.stringify wrote); Number of a bigint is an integer.
  const lsn = v.lsn;
  return s
    .putKnownValid(f.sequence, lsn === null ? `${sequencePrefix}null]` : `${sequencePrefix}"${lsn}"]`)
    .putKnownValid(f.lsn, lsn === null ? null : Number(lsn));
}
