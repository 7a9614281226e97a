/**
 * What a snapshot reads the structure of, and the statements it records, as Debezium's
 * BinlogSnapshotChangeEventSource.readTableStructure: the tables of every database (SHOW DATABASES,
 * then SHOW FULL TABLES per database) except the built-in ones, narrowed to the captured databases
 * (store.only.captured.databases.ddl) or tables (store.only.captured.tables.ddl), ordered by their
 * `db.table` id; then the statement list SET character sets, DROP TABLE IF EXISTS per table, and per
 * database DROP DATABASE IF EXISTS, CREATE DATABASE … CHARSET … COLLATE …, USE and its tables.
 */
import type { Connection } from 'mysql2/promise';
import type { Logger } from '../../../sdk/logging.ts';
import type { Filters } from '../filters.ts';
import { systemVersionedTableError } from './system-versioning.ts';

export interface SnapshotTableId {
  database: string;
  table: string;
}

/** Debezium's built-in databases (table.ignore.builtin): never part of a snapshot's schema. */
const BUILTIN_DATABASES = new Set(['mysql', 'sys', 'performance_schema', 'information_schema']);

export const quoteIdentifier = (s: string): string => `\`${s.replace(/`/g, '``')}\``;

const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

export interface SnapshotScopeOptions {
  storeOnlyCapturedTables: boolean;
  storeOnlyCapturedDatabases: boolean;
}

/**
 * The tables whose structure the snapshot records, in Debezium's order (TableId ids `db.table`
 * compared as Java strings: UTF-16 code units, as JavaScript compares them). MariaDB's SHOW FULL
 * TABLES shows system-versioned tables as BASE TABLE, so they are part of it as in Debezium's; a
 * captured one is refused (system-versioning.ts).
 */
export async function snapshotSchemaTables(
  conn: Connection,
  filters: Filters,
  scope: SnapshotScopeOptions,
  logger: Logger,
): Promise<SnapshotTableId[]> {
  const [dbRows] = (await conn.query('SHOW DATABASES')) as unknown as [Array<Record<string, unknown>>];
  const out: SnapshotTableId[] = [];
  for (const row of dbRows) {
    const database = text(Object.values(row)[0]);
    if (BUILTIN_DATABASES.has(database.toLowerCase())) continue;
    if ((scope.storeOnlyCapturedDatabases || scope.storeOnlyCapturedTables) && !filters.databaseIncluded(database))
      continue;
    let tables: Array<Record<string, unknown>>;
    try {
      [tables] = (await conn.query(
        `SHOW FULL TABLES IN ${quoteIdentifier(database)} WHERE Table_type IN ('BASE TABLE', 'SYSTEM VERSIONED')`,
      )) as unknown as [Array<Record<string, unknown>>];
    } catch (err) {
      // As Debezium: a database whose tables cannot be listed (privileges, dropped meanwhile) is skipped.
      logger.warn({ database, err: (err as Error).message }, 'Skipping a database whose tables cannot be read');
      continue;
    }
    for (const t of tables) {
      const table = text(Object.values(t)[0]);
      if (scope.storeOnlyCapturedTables && !filters.tableIncluded(database, table)) continue;
      out.push({ database, table });
    }
  }
  await refuseCapturedSystemVersioned(conn, filters);
  const id = (t: SnapshotTableId) => `${t.database}.${t.table}`;
  return out.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

/** information_schema.TABLES names MariaDB's system-versioned tables (SHOW FULL TABLES does not). */
async function refuseCapturedSystemVersioned(conn: Connection, filters: Filters): Promise<void> {
  const [rows] = (await conn.query(
    "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_TYPE = 'SYSTEM VERSIONED'",
  )) as unknown as [Array<Record<string, unknown>>];
  for (const r of rows)
    if (filters.tableIncluded(text(r.db), text(r.t)))
      throw systemVersionedTableError(text(r.db), text(r.t), 'found by the snapshot');
}

/** `SET character_set_server=…, collation_server=…` as Debezium's parser keeps the statement (names sorted, no `;`). */
export async function charsetSetStatement(conn: Connection): Promise<string> {
  const [rows] = (await conn.query(
    "SHOW VARIABLES WHERE Variable_name IN ('character_set_server','collation_server')",
  )) as unknown as [Array<Record<string, unknown>>];
  const vars = new Map(rows.map((r) => [text(r.Variable_name), r.Value === null ? '' : text(r.Value)]));
  const parts = [...vars.keys()].sort().map((k) => {
    const v = vars.get(k)!;
    return `${k}=${v.includes(',') || v.includes(';') ? `'${v}'` : v}`;
  });
  return `SET ${parts.join(', ')}`;
}

/** Each database's `CREATE DATABASE` as Debezium writes it (information_schema.SCHEMATA's charset and collation). */
export async function createDatabaseStatements(conn: Connection): Promise<Map<string, string>> {
  const [rows] = (await conn.query(
    'SELECT schema_name AS db, default_character_set_name AS cs, default_collation_name AS co FROM information_schema.schemata',
  )) as unknown as [Array<Record<string, unknown>>];
  const out = new Map<string, string>();
  for (const r of rows) {
    const db = text(r.db);
    let ddl = `CREATE DATABASE ${quoteIdentifier(db)}`;
    if (r.cs !== null && r.cs !== undefined) ddl += ` CHARSET ${text(r.cs)}`;
    if (r.co !== null && r.co !== undefined) ddl += ` COLLATE ${text(r.co)}`;
    out.set(db, ddl);
  }
  return out;
}
