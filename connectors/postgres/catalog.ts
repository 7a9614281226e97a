/**
 * Catalog reads over the SQL connection: captured tables, column metadata (type, typmod,
 * nullability, default, key membership), replication slot state, and publication management
 * (publication.autocreate.mode).
 */
import type pg from 'pg';
import { ConnectException } from '../../sdk/errors.ts';
import { isSignalTable, isTableCaptured, signalTableId, type PostgresConnectorSettings } from './config.ts';
import { quoteIdent } from './connection.ts';
import { parseLsn, type Lsn } from './protocol/lsn.ts';
import { snapshotOrder } from './snapshot-order.ts';
import type { RelationMessage } from './protocol/pgoutput-messages.ts';

export interface ColumnMeta {
  name: string;
  typeOid: number;
  typmod: number;
  notNull: boolean;
  defaultExpr: string | null;
}

export interface TableMeta {
  oid: number;
  schema: string;
  table: string;
  /** Published (non-generated) columns in attribute order. */
  columns: ColumnMeta[];
  /** Primary key columns in key order, else the replica identity index columns. */
  keyColumns: string[];
  replicaIdentity: string;
}

/** Table metadata from a Relation message: no nullability or defaults; the key is the replica identity key. */
export function metaFromRelation(rel: RelationMessage): TableMeta {
  const keyed = rel.replicaIdentity === 'd' || rel.replicaIdentity === 'i';
  return {
    oid: rel.relationOid,
    schema: rel.namespace,
    table: rel.name,
    replicaIdentity: rel.replicaIdentity,
    columns: rel.columns.map((c) => ({
      name: c.name,
      typeOid: c.typeOid,
      typmod: c.typeModifier,
      notNull: false,
      defaultExpr: null,
    })),
    keyColumns: keyed ? rel.columns.filter((c) => c.isKey).map((c) => c.name) : [],
  };
}

export interface TableId {
  oid: number;
  schema: string;
  table: string;
}

/**
 * Ordinary and partitioned tables outside system schemas that pass the include/exclude lists, in
 * Debezium's snapshot order: the tables whose data is snapshotted. The signal table is streamed but
 * never snapshotted (RelationalSnapshotChangeEventSource skips its data).
 */
export async function capturedTables(client: pg.Client, s: PostgresConnectorSettings): Promise<TableId[]> {
  const r = await client.query<{ oid: string; nspname: string; relname: string }>(
    `SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY n.nspname, c.relname`,
  );
  const captured = r.rows
    .map((x) => ({ oid: Number(x.oid), schema: x.nspname, table: x.relname }))
    .filter((t) => isTableCaptured(s, t.schema, t.table) && !isSignalTable(s, t.schema, t.table));
  return snapshotOrder(captured, s.tableInclude);
}

export async function tableMeta(client: pg.Client, oid: number): Promise<TableMeta> {
  const rel = await client.query<{ nspname: string; relname: string; relreplident: string }>(
    'SELECT n.nspname, c.relname, c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1',
    [oid],
  );
  if (rel.rows.length === 0) throw new ConnectException(`Table with OID ${oid} no longer exists`);
  const cols = await client.query<{
    attname: string;
    atttypid: string;
    atttypmod: string;
    attnotnull: string;
    def: string | null;
  }>(
    `SELECT a.attname, a.atttypid, a.atttypmod, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [oid],
  );
  const keys = await client.query<{ attname: string; indisprimary: string }>(
    `SELECT a.attname, i.indisprimary FROM pg_index i
       JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND (i.indisprimary OR i.indisreplident)
      ORDER BY i.indisprimary DESC, k.ord`,
    [oid],
  );
  const primary = keys.rows.filter((k) => k.indisprimary === 't').map((k) => k.attname);
  const replident = keys.rows.filter((k) => k.indisprimary !== 't').map((k) => k.attname);
  return {
    oid,
    schema: rel.rows[0].nspname,
    table: rel.rows[0].relname,
    replicaIdentity: rel.rows[0].relreplident,
    columns: cols.rows.map((c) => ({
      name: c.attname,
      typeOid: Number(c.atttypid),
      typmod: Number(c.atttypmod),
      notNull: c.attnotnull === 't',
      defaultExpr: c.def,
    })),
    keyColumns: primary.length > 0 ? primary : replident,
  };
}

export interface SlotState {
  exists: boolean;
  plugin?: string;
  database?: string;
  active?: boolean;
  confirmedFlushLsn?: Lsn | null;
}

export async function slotState(client: pg.Client, slot: string): Promise<SlotState> {
  const r = await client.query<{
    plugin: string;
    database: string;
    active: string;
    confirmed_flush_lsn: string | null;
  }>('SELECT plugin, database, active, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  if (r.rows.length === 0) return { exists: false };
  const row = r.rows[0];
  return {
    exists: true,
    plugin: row.plugin,
    database: row.database,
    active: row.active === 't',
    confirmedFlushLsn: row.confirmed_flush_lsn ? parseLsn(row.confirmed_flush_lsn) : null,
  };
}

/** Creates or updates the publication as publication.autocreate.mode says; checks it exists when disabled. */
export async function ensurePublication(client: pg.Client, s: PostgresConnectorSettings): Promise<void> {
  const name = s.publicationName;
  const existing = await client.query<{ puballtables: string }>(
    'SELECT puballtables FROM pg_publication WHERE pubname = $1',
    [name],
  );
  const exists = existing.rows.length > 0;
  const publish = s.publishOperations === null ? '' : ` WITH (publish = '${s.publishOperations}')`;
  switch (s.publicationAutocreateMode) {
    case 'disabled':
      if (!exists)
        throw new ConnectException(
          `Publication "${name}" does not exist and publication.autocreate.mode=disabled; create it (CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE …) or change the mode`,
        );
      return;
    case 'all_tables':
      if (!exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES${publish}`);
      return;
    case 'no_tables':
      if (!exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)}${publish}`);
      return;
    case 'filtered': {
      const tables = await capturedTables(client, s);
      const signal = signalTableId(s);
      if (signal) tables.push({ oid: 0, schema: signal[0], table: signal[1] });
      const list = tables.map((t) => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`).join(', ');
      if (!exists) {
        await client.query(
          tables.length > 0
            ? `CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${list}${publish}`
            : `CREATE PUBLICATION ${quoteIdent(name)}${publish}`,
        );
      } else if (existing.rows[0].puballtables === 't') {
        throw new ConnectException(
          `Publication "${name}" is FOR ALL TABLES but publication.autocreate.mode=filtered; drop it or use all_tables`,
        );
      } else if (tables.length > 0) {
        await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
      }
      return;
    }
  }
}
