/**
 * Tracks the structure of every table the connector may see, backed by the schema history:
 * snapshot records at start, one record per DDL while streaming, recovery up to an offset on
 * restart. Structures come from information_schema and are checked against each TABLE_MAP; with
 * binlog_row_metadata=FULL the binlog wins when they disagree (the server may already be ahead).
 */
import { SchemaHistoryStats } from '../binlog-metrics.ts';
import type { Connection } from 'mysql2/promise';
import { ConnectException } from '../../../runtime/errors.ts';
import type { Logger } from '../../../runtime/logging.ts';
import type { TableMapEvent } from '../binlog/events/table-map.ts';
import type { ColumnDecodeSpec } from '../binlog/row-values.ts';
import type { Filters } from '../filters.ts';
import { decodeSpecs, definitionFromTableMap, mismatch } from './binlog-table.ts';
import { classifyDdl, type DdlStatement } from './ddl.ts';
import { loadTables } from './information-schema.ts';
import { applyRecord, type HistoryPosition, type HistoryRecord, recoverTables, type SchemaHistory } from './schema-history.ts';
import { type JsonTableChange, tableIdText, tableToJson } from './table-changes.ts';
import { type TableDefinition, tableKey } from './table-definition.ts';

export interface ResolvedTable {
  definition: TableDefinition;
  specs: ColumnDecodeSpec[];
  /** Bumped whenever the structure changed (captured-table caches key on it). */
  version: number;
}

export class SchemaTracker {
  tables = new Map<string, TableDefinition>();
  private readonly versions = new Map<string, number>();
  private readonly resolved = new Map<number, { map: TableMapEvent; table: ResolvedTable }>();
  private versionCounter = 0;

  constructor(
    private readonly history: SchemaHistory,
    private readonly filters: Filters,
    private readonly serverName: string,
    private readonly storeOnlyCaptured: boolean,
    private readonly logger: Logger,
    /** Debezium's schema-history MBean counters. */
    private readonly stats: SchemaHistoryStats = new SchemaHistoryStats(),
  ) {}

  historyExists(): boolean { return this.history.exists(); }

  /** Closes the history store (the Kafka store's clients). */
  close(): Promise<void> { return this.history.stop(); }

  recover(upTo: { file: string; pos: number } | null): void {
    this.stats.recoveryStarted();
    this.tables = recoverTables(this.history, upTo, () => this.stats.recovered());
    this.stats.recoveryDone();
    this.resolved.clear();
    for (const k of this.tables.keys()) this.bump(k);
  }

  private bump(key: string): void { this.versions.set(key, ++this.versionCounter); }

  private keep(db: string, table: string): boolean {
    return this.storeOnlyCaptured ? this.filters.tableIncluded(db, table) : this.filters.databaseIncluded(db);
  }

  /** Reads all tables of the included databases and stores them in the history at `position`. */
  async snapshotSchema(conn: Connection, position: HistoryPosition, tsMs: number): Promise<HistoryRecord[]> {
    const [dbRows] = await conn.query('SHOW DATABASES') as unknown as [Array<{ Database: string }>];
    const databases = dbRows.map((r) => r.Database).filter((d) => this.filters.databaseIncluded(d));
    const defs = (await loadTables(conn, databases, null)).filter((t) => this.keep(t.database, t.name));
    const records: HistoryRecord[] = [];
    for (const t of defs) {
      const [[create]] = await conn.query(`SHOW CREATE TABLE \`${t.database.replace(/`/g, '``')}\`.\`${t.name.replace(/`/g, '``')}\``) as unknown as [Array<Record<string, string>>];
      const rec: HistoryRecord = {
        source: { server: this.serverName }, position, ts_ms: tsMs, databaseName: t.database, ddl: create['Create Table'] ?? '',
        tableChanges: [{ type: 'CREATE', id: tableIdText(t.database, t.name), table: tableToJson(t) }],
      };
      await this.history.append(rec);
      this.stats.applied();
      applyRecord(this.tables, rec);
      this.bump(tableKey(t.database, t.name));
      records.push(rec);
    }
    return records;
  }

  /**
   * Applies a DDL statement seen at `position` (the position after it): re-reads the affected
   * tables, stores the change, and returns the history record (null when no tracked table changed).
   */
  async applyDdl(conn: Connection, ddl: string, defaultDb: string, position: HistoryPosition, tsMs: number): Promise<{ record: HistoryRecord | null; statement: DdlStatement }> {
    const st = classifyDdl(ddl, defaultDb);
    if (st.kind === 'none' || st.kind === 'truncate') return { record: null, statement: st };
    if (st.kind === 'database') {
      const rec: HistoryRecord = { source: { server: this.serverName }, position, ts_ms: tsMs, databaseName: st.database ?? defaultDb, ddl, tableChanges: [] };
      if (this.filters.databaseIncluded(st.database ?? '')) {
        await this.history.append(rec);
        this.stats.applied();
      }
      // DROP DATABASE drops every table in it.
      if (/^\s*DROP\s/i.test(ddl)) for (const k of [...this.tables.keys()]) if (this.tables.get(k)!.database === st.database) { this.tables.delete(k); this.bump(k); }
      return { record: this.filters.databaseIncluded(st.database ?? '') ? rec : null, statement: st };
    }
    const relevant = st.changes.filter((c) => this.keep(c.database, c.table));
    if (relevant.length === 0) return { record: null, statement: st };
    const live = await loadTables(conn, [], relevant.filter((c) => c.type !== 'DROP').map((c) => [c.database, c.table] as [string, string]));
    const byKey = new Map(live.map((t) => [tableKey(t.database, t.name), t]));
    const changes: JsonTableChange[] = [];
    for (const c of relevant) {
      const key = tableKey(c.database, c.table);
      if (c.type === 'DROP') {
        changes.push({ type: 'DROP', id: tableIdText(c.database, c.table), table: null });
        continue;
      }
      const t = byKey.get(key);
      if (!t) {
        this.logger.warn({ table: key, ddl }, 'Table named by a DDL statement no longer exists on the server; its structure will come from the binlog table maps');
        continue;
      }
      changes.push({ type: c.type, id: tableIdText(c.database, c.table), ...(c.previous ? { previousId: tableIdText(c.previous.database, c.previous.table) } : {}), table: tableToJson(t) });
    }
    const rec: HistoryRecord = { source: { server: this.serverName }, position, ts_ms: tsMs, databaseName: defaultDb || relevant[0].database, ddl, tableChanges: changes };
    await this.history.append(rec);
    this.stats.applied();
    applyRecord(this.tables, rec);
    for (const c of relevant) this.bump(tableKey(c.database, c.table));
    this.resolved.clear();
    return { record: rec, statement: st };
  }

  /** The structure and decode specs for a TABLE_MAP (cached per table id until the next DDL). */
  resolve(map: TableMapEvent): ResolvedTable {
    const cached = this.resolved.get(map.tableId);
    if (cached && cached.map.database === map.database && cached.map.table === map.table && cached.map.columns.length === map.columns.length) return cached.table;
    const key = tableKey(map.database, map.table);
    let def = this.tables.get(key) ?? null;
    const why = def ? mismatch(def, map) : 'no tracked structure';
    if (why) {
      if (!map.hasFullMetadata) {
        throw new ConnectException(`Cannot decode rows of ${key}: ${why}. Set binlog_row_metadata=FULL on the server (MySQL 8.0.1+/MariaDB 10.5+) or re-snapshot (snapshot.mode=when_needed after removing offsets and schema history)`);
      }
      if (def) this.logger.debug({ table: key, reason: why }, 'Tracked structure differs from the binlog table map; using the table map');
      def = definitionFromTableMap(map, def);
      this.tables.set(key, def);
      this.bump(key);
    }
    const table: ResolvedTable = { definition: def!, specs: decodeSpecs(def, map), version: this.versions.get(key) ?? 0 };
    this.resolved.set(map.tableId, { map, table });
    return table;
  }
}
