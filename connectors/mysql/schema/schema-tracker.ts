/**
 * Tracks the structure of every table the connector may see, as Debezium's schema history does:
 * built from the snapshot's SHOW CREATE TABLE, then changed only by the DDL statements of the
 * binlog (parsed and applied to the model at their position), each stored as a history record;
 * a restart replays the records up to the stored offset. information_schema is read only to list
 * the tables and database charsets of a snapshot (or snapshot.mode=recovery). Each TABLE_MAP is
 * checked against the model; with binlog_row_metadata=FULL the binlog wins when they disagree.
 */
import type { Connection } from 'mysql2/promise';
import { ConnectException } from '../../../sdk/errors.ts';
import type { Logger } from '../../../sdk/logging.ts';
import { SchemaHistoryStats } from '../binlog-metrics.ts';
import type { TableMapEvent } from '../binlog/events/table-map.ts';
import type { ColumnDecodeSpec } from '../binlog/row-values.ts';
import type { Filters } from '../filters.ts';
import { decodeSpecs, definitionFromTableMap, mismatch } from './binlog-table.ts';
import type { DdlStatement, DdlTableChange } from './ddl.ts';
import { type DdlEvent, ddlEvents, filteredDdl, scopeEvents } from './ddl-events.ts';
import { addsSystemVersioning, systemVersionedTableError } from './system-versioning.ts';
import type { ColumnSpec, ParsedStatement } from './ddl/ast.ts';
import { parseDdl } from './ddl/parser.ts';
import { type ApplyOutcome, SchemaModel } from './ddl/schema-model.ts';
import { DdlSyntaxError } from './ddl/tokenizer.ts';
import {
  applyRecord,
  compareBinlogPositions,
  type HistoryPosition,
  type HistoryRecord,
  type SchemaHistory,
} from './schema-history.ts';
import { type JsonTableChange, parseTableIdText, tableChangeJson, tableIdText } from './table-changes.ts';
import { type TableDefinition, tableKey } from './table-definition.ts';
import { charsetSetStatement, createDatabaseStatements, snapshotSchemaTables } from './snapshot-scope.ts';

export interface ResolvedTable {
  definition: TableDefinition;
  specs: ColumnDecodeSpec[];
  /** Bumped whenever the structure changed (captured-table caches key on it). */
  version: number;
}

export interface AppliedDdlEvent {
  record: HistoryRecord;
  event: DdlEvent;
  /** Written to the schema history (Debezium sends some events it does not store). */
  stored: boolean;
}

export interface HistoryScope {
  /** schema.history.internal.store.only.captured.tables.ddl */
  storeOnlyCapturedTables: boolean;
  /** schema.history.internal.store.only.captured.databases.ddl */
  storeOnlyCapturedDatabases: boolean;
  /** schema.history.internal.skip.unparseable.ddl */
  skipUnparseableDdl: boolean;
}

const quoteId = (s: string) => `\`${s.replace(/`/g, '``')}\``;

export class SchemaTracker {
  readonly tables = new Map<string, TableDefinition>();
  private readonly model = new SchemaModel(this.tables);
  private readonly versions = new Map<string, number>();
  private readonly resolved = new Map<number, { map: TableMapEvent; table: ResolvedTable }>();
  private versionCounter = 0;

  constructor(
    private readonly history: SchemaHistory,
    private readonly filters: Filters,
    private readonly serverName: string,
    private readonly scope: HistoryScope,
    private readonly logger: Logger,
    /** Debezium's schema-history MBean counters. */
    private readonly stats: SchemaHistoryStats = new SchemaHistoryStats(),
  ) {}

  historyExists(): boolean {
    return this.history.exists();
  }

  /** Closes the history store (the Kafka store's clients). */
  close(): Promise<void> {
    return this.history.stop();
  }

  /** Rebuilds the model from the records up to `upTo` (all records when null). */
  recover(upTo: { file: string; pos: number } | null): void {
    this.stats.recoveryStarted();
    this.tables.clear();
    this.model.databaseCharsets.clear();
    for (const rec of this.history.records()) {
      if (upTo && compareBinlogPositions(rec.position, upTo) > 0) continue;
      if (rec.tableChanges.length > 0) this.applyWithJsonFlags(rec);
      else this.replayWithoutChanges(rec);
      this.stats.recovered();
    }
    this.stats.recoveryDone();
    this.resolved.clear();
    for (const k of this.tables.keys()) this.bump(k);
  }

  /**
   * Applies a record's table documents. MariaDB JSON columns (LONGTEXT with a json_valid check) are
   * LONGTEXT in Debezium's documents: which columns are JSON comes from the record's DDL, or stays
   * as it was for columns the statement did not redefine.
   */
  private applyWithJsonFlags(rec: HistoryRecord): void {
    const before = new Map(this.tables);
    applyRecord(this.tables, rec);
    const declared = jsonColumnsOf(rec.ddl);
    for (const ch of rec.tableChanges) {
      if (!ch.table) continue;
      const id = parseTableIdText(ch.id);
      const t = this.tables.get(tableKey(id.database, id.table));
      if (!t) continue;
      const prevId = ch.previousId ? parseTableIdText(ch.previousId) : id;
      const prev = before.get(tableKey(prevId.database, prevId.table));
      for (const c of t.columns) {
        if (c.dataType !== 'longtext') continue;
        const old = prev?.columns.find((x) => x.name === c.name);
        if (declared.has(c.name.toLowerCase()) || (old?.json && old.debezium?.typeName === c.debezium?.typeName))
          c.json = true;
      }
    }
  }

  /** Records without table changes still set charsets (CREATE DATABASE, SET character_set_server) and drop a database's tables. */
  private replayWithoutChanges(rec: HistoryRecord): void {
    let statements: ParsedStatement[];
    try {
      statements = parseDdl(rec.ddl);
    } catch {
      return;
    }
    this.model.currentDatabase = rec.databaseName;
    for (const st of statements)
      if (['createDatabase', 'alterDatabase', 'dropDatabase', 'setCharset', 'use'].includes(st.ast.kind))
        this.model.apply(st.ast);
  }

  private bump(key: string): void {
    this.versions.set(key, ++this.versionCounter);
  }

  private async append(rec: HistoryRecord): Promise<void> {
    await this.history.append(rec);
    this.stats.applied();
  }

  /**
   * The snapshot's schema, as Debezium's snapshot records it (see snapshot-scope.ts): the server
   * charsets, DROP TABLE IF EXISTS for every table in scope, then per database DROP DATABASE IF
   * EXISTS, CREATE DATABASE, USE and the SHOW CREATE TABLE of each of its tables, applied to a fresh
   * model and stored at `position`. Returns every record, in order: each is a snapshot schema change
   * event.
   */
  async snapshotSchema(conn: Connection, position: HistoryPosition, tsMs: number): Promise<HistoryRecord[]> {
    const scoped = await snapshotSchemaTables(conn, this.filters, this.scope, this.logger);
    this.tables.clear();
    this.model.databaseCharsets.clear();
    this.resolved.clear();
    const out: HistoryRecord[] = [];
    const store = async (
      databaseName: string,
      ddl: string,
      tableChanges: JsonTableChange[],
      applyDdl: boolean,
    ): Promise<void> => {
      const rec: HistoryRecord = {
        source: { server: this.serverName },
        position,
        ts_ms: tsMs,
        databaseName,
        ddl,
        tableChanges,
      };
      if (applyDdl) await this.applyAndStore(rec);
      else await this.append(rec);
      out.push(rec);
    };
    await store('', await charsetSetStatement(conn), [], true);
    for (const { database, table } of scoped) {
      await store(
        database,
        `DROP TABLE IF EXISTS ${quoteId(database)}.${quoteId(table)}`,
        [{ type: 'DROP', id: tableIdText(database, table), table: null }],
        false,
      );
    }
    const createDatabase = await createDatabaseStatements(conn);
    for (const db of new Set(scoped.map((t) => t.database))) {
      await store(db, `DROP DATABASE IF EXISTS ${quoteId(db)}`, [], true);
      await store(db, createDatabase.get(db) ?? `CREATE DATABASE ${quoteId(db)}`, [], true);
      await store(db, `USE ${quoteId(db)}`, [], true);
      const strict = !this.scope.skipUnparseableDdl && this.filters.databaseIncluded(db);
      for (const { table: t } of scoped.filter((x) => x.database === db)) {
        const ddl = await showCreateTable(conn, db, t);
        if (ddl === null) {
          this.logger.warn({ table: `${db}.${t}` }, 'Table dropped while the snapshot read the schema; left out');
          continue;
        }
        this.model.currentDatabase = db;
        for (const st of this.parse(ddl, { file: position.file, pos: position.pos }, strict) ?? [])
          this.model.apply(st.ast);
        const def = this.tables.get(tableKey(db, t));
        if (!def) {
          if (strict) throw new ConnectException(`SHOW CREATE TABLE ${db}.${t} did not give a table structure: ${ddl}`);
          continue;
        }
        await store(db, ddl, [tableChangeJson('CREATE', tableIdText(db, t), def)], false);
        this.bump(tableKey(db, t));
      }
    }
    return out;
  }

  private async applyAndStore(rec: HistoryRecord): Promise<void> {
    this.model.currentDatabase = rec.databaseName;
    for (const st of parseDdl(rec.ddl)) this.model.apply(st.ast);
    await this.append(rec);
  }

  private parse(ddl: string, at: { file: string; pos: number }, strict: boolean): ParsedStatement[] | null {
    try {
      return parseDdl(ddl);
    } catch (err) {
      if (!(err instanceof DdlSyntaxError)) throw err;
      const where = `binlog ${at.file}:${at.pos}`;
      if (!strict) {
        this.logger.warn({ ddl, position: at, err: err.message }, 'Skipping a DDL statement that cannot be parsed');
        return null;
      }
      throw new ConnectException(
        `Cannot parse the DDL statement at ${where} (offset ${err.position} of the statement: ${err.message}): ${ddl}. ` +
          'If it changes no captured table, set schema.history.internal.skip.unparseable.ddl=true to skip such statements (their tables may then be decoded with an outdated structure)',
        { cause: err },
      );
    }
  }

  /**
   * Applies a DDL statement seen at `position` (the position after it) to the model, and returns
   * Debezium's schema change events of it in scope (ddl-events.ts), each with its history record
   * (stored in the history when `stored`); TRUNCATE is reported as the statement's kind.
   */
  async applyDdl(
    _conn: Connection,
    ddl: string,
    defaultDb: string,
    position: HistoryPosition,
    tsMs: number,
  ): Promise<{ events: AppliedDdlEvent[]; statement: DdlStatement }> {
    const none: DdlStatement = { kind: 'none', changes: [] };
    if (filteredDdl(ddl)) return { events: [], statement: none };
    // A statement of a database the connector does not capture may be skipped when unparseable: it cannot name a captured table unqualified.
    const strict = !this.scope.skipUnparseableDdl && (defaultDb === '' || this.filters.databaseIncluded(defaultDb));
    const statements = this.parse(ddl, position, strict);
    if (!statements) return { events: [], statement: none };
    this.model.currentDatabase = defaultDb;
    const parsed = statements.map((statement) => {
      const currentDb = this.model.currentDatabase;
      const outcome = this.model.apply(statement.ast);
      if (
        (statement.ast.kind === 'createTable' || statement.ast.kind === 'alterTable') &&
        addsSystemVersioning(statement.text)
      )
        for (const c of outcome.changes)
          if (this.filters.tableIncluded(c.database, c.table))
            throw systemVersionedTableError(c.database, c.table, `made so at binlog ${position.file}:${position.pos}`);
      return { statement, outcome, currentDb };
    });
    this.resolved.clear();
    const outcomes: ApplyOutcome[] = parsed.map((p) => p.outcome);
    const changes = outcomes.flatMap((o) => o.changes);
    for (const c of changes) this.bump(tableKey(c.database, c.table));
    const truncated = outcomes.find((o) => o.truncated)?.truncated;
    if (truncated) return { events: [], statement: { kind: 'truncate', changes: [{ type: 'ALTER', ...truncated }] } };
    const dbAction = outcomes.find((o) => o.database)?.database;
    const statement: DdlStatement = dbAction
      ? { kind: 'database', changes, database: dbAction.name }
      : { kind: changes.length ? 'tables' : 'none', changes };
    const scoped = scopeEvents(ddl, defaultDb, ddlEvents(ddl, defaultDb, parsed), this.filters, this.scope);
    const events: AppliedDdlEvent[] = [];
    for (const { event, store } of scoped) {
      const rec: HistoryRecord = {
        source: { server: this.serverName },
        position,
        ts_ms: tsMs,
        databaseName: event.database,
        ddl: event.ddl,
        tableChanges: event.change ? this.tableChange(event.change) : [],
      };
      if (store) await this.append(rec);
      events.push({ record: rec, event, stored: store });
    }
    return { events, statement };
  }

  /** Debezium's table change document of an event: a rename is one ALTER of the new id with the previous id. */
  private tableChange(c: DdlTableChange): JsonTableChange[] {
    const id = tableIdText(c.database, c.table);
    if (c.type === 'DROP') return [{ type: 'DROP', id, table: null }];
    const def = this.tables.get(tableKey(c.database, c.table));
    if (!def) return []; // created and dropped again within the statement list
    return [
      c.previous
        ? tableChangeJson('ALTER', id, def, tableIdText(c.previous.database, c.previous.table))
        : tableChangeJson(c.type, id, def),
    ];
  }

  /** The structure and decode specs for a TABLE_MAP (cached per table id until the next DDL). */
  resolve(map: TableMapEvent): ResolvedTable {
    const cached = this.resolved.get(map.tableId);
    if (
      cached &&
      cached.map.database === map.database &&
      cached.map.table === map.table &&
      cached.map.columns.length === map.columns.length
    )
      return cached.table;
    const key = tableKey(map.database, map.table);
    let def = this.tables.get(key) ?? null;
    const why = def ? mismatch(def, map) : 'no tracked structure';
    if (why) {
      if (!map.hasFullMetadata) {
        throw new ConnectException(
          `Cannot decode rows of ${key}: ${why}. The schema history does not match the binlog; restore it, or rebuild it with snapshot.mode=recovery (from the current table structures), or set binlog_row_metadata=FULL on the server (MySQL 8.0.1+/MariaDB 10.5+)`,
        );
      }
      if (def)
        this.logger.debug(
          { table: key, reason: why },
          'Tracked structure differs from the binlog table map; using the table map',
        );
      def = definitionFromTableMap(map, def);
      this.tables.set(key, def);
      this.bump(key);
    }
    const table: ResolvedTable = {
      definition: def!,
      specs: decodeSpecs(def, map),
      version: this.versions.get(key) ?? 0,
    };
    this.resolved.set(map.tableId, { map, table });
    return table;
  }
}

/** SHOW CREATE TABLE's text; null when the table (or its database) no longer exists. */
async function showCreateTable(conn: Connection, db: string, table: string): Promise<string | null> {
  try {
    const [[create]] = (await conn.query(`SHOW CREATE TABLE ${quoteId(db)}.${quoteId(table)}`)) as unknown as [
      Array<Record<string, string>>,
    ];
    return create['Create Table'] ?? null;
  } catch (err) {
    const errno = (err as { errno?: number }).errno;
    if (errno === 1146 || errno === 1049) return null;
    throw err;
  }
}

/** Names (lower case) of the columns a DDL text declares as JSON or with a json_valid check. */
function jsonColumnsOf(ddl: string): Set<string> {
  const out = new Set<string>();
  let statements: ParsedStatement[];
  try {
    statements = parseDdl(ddl);
  } catch {
    return out;
  }
  const add = (c: ColumnSpec) => {
    if (c.type.name === 'json' || c.jsonCheck) out.add(c.name.toLowerCase());
  };
  for (const { ast } of statements) {
    if (ast.kind === 'createTable')
      for (const el of ast.elements) {
        if (el.kind === 'column') add(el.column);
        else if (el.kind === 'jsonCheck') out.add(el.column.toLowerCase());
      }
    if (ast.kind === 'alterTable')
      for (const a of ast.actions) {
        if (a.op === 'addColumns') a.columns.forEach(add);
        else if (a.op === 'modifyColumn' || a.op === 'changeColumn') add(a.column);
      }
  }
  return out;
}
