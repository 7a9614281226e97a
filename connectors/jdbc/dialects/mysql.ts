/**
 * MySQL and MariaDB through mysql2 prepared statements: multi-row
 * `INSERT … ON DUPLICATE KEY UPDATE` (row-alias form on MySQL ≥ 8.0.19, VALUES() elsewhere, as
 * Debezium's dialects do). Large batches go through LOAD DATA LOCAL INFILE into a temporary
 * staging table and one INSERT … SELECT. DDL runs outside the write transaction because MySQL
 * commits it implicitly.
 */
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import type { Logger } from '../../../sdk/logging.ts';
import { connectMysql, type MysqlTlsSettings } from '../../shared/tls/mysql-tls.ts';
import type { InsertMode, JdbcSinkSettings } from '../config.ts';
import { mysqlUrlTls } from '../url-tls.ts';
import { BARE_IDENTIFIER, chunks, type Dialect, type ExistingTable, type RowBatch } from '../dialect.ts';
import type { TableRef } from '../record-mapper.ts';
import { defaultLiteral, UnmappableTypeError, type ColumnSpec, type ColumnType } from '../type-mapping.ts';
import { InfileRegistry, loadableKind, loadDataChunks } from './mysql-load-data.ts';

const MAX_PARAMS = 65535;
type Param = string | number | bigint | boolean | Buffer | null;
/** The server or the client does not allow LOAD DATA LOCAL (MariaDB, MySQL 8, older servers). */
const LOCAL_INFILE_REFUSED = new Set([4166, 3948, 1148]);
/** CREATE TEMPORARY TABLE denied (no CREATE TEMPORARY TABLES privilege on the database). */
const NO_TEMPORARY_TABLES = new Set([1044, 1142, 1227]);
const TRANSIENT_ERRNOS = new Set([1205, 1213, 1040, 1053, 2002, 2003, 2006, 2013, 1927, 4031]);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export class MySqlDialect implements Dialect {
  readonly name = 'MySqlDatabaseDialect';
  private conn: mysql.Connection | null = null;
  private rowAlias = false;
  private tls: MysqlTlsSettings | null = null;
  private readonly infiles = new InfileRegistry();
  private loadDataRefused = false;
  private stageSeq = 0;

  constructor(
    private readonly settings: JdbcSinkSettings,
    private readonly logger?: Logger,
  ) {}

  quote(identifier: string): string {
    if (!this.settings.quoteIdentifiers && BARE_IDENTIFIER.test(identifier)) return identifier;
    return '`' + identifier.replaceAll('`', '``') + '`';
  }

  /** MySQL column names are case-insensitive. */
  normalize(identifier: string): string {
    return identifier.toLowerCase();
  }

  qualified(table: TableRef): string {
    return table.schema ? `${this.quote(table.schema)}.${this.quote(table.name)}` : this.quote(table.name);
  }

  columnType(column: ColumnSpec, isKey: boolean): string {
    return mysqlType(column.type, isKey, column.name);
  }

  async connect(): Promise<void> {
    const u = this.settings.url;
    this.tls ??= mysqlUrlTls(u);
    const conn = await connectMysql(
      {
        host: u.host,
        port: u.port,
        database: u.database,
        user: this.settings.user,
        password: this.settings.password,
        timezone: 'Z',
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: true,
        maxPreparedStatements: 64,
        multipleStatements: false,
        infileStreamFactory: this.infiles.open,
      },
      this.tls,
    );
    conn.on('error', () => {
      this.conn = null;
    });
    await conn.query("SET time_zone = '+00:00'");
    const [rows] = await conn.query('SELECT VERSION() AS v');
    const version = String((rows as Array<{ v: string }>)[0].v);
    const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
    const num = m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0;
    this.rowAlias = !/mariadb/i.test(version) && num >= 80019;
    this.conn = conn;
  }

  private get c(): mysql.Connection {
    if (!this.conn) throw Object.assign(new Error('MySQL connection is closed'), { code: 'PROTOCOL_CONNECTION_LOST' });
    return this.conn;
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    await c?.end().catch(() => c.destroy());
  }

  async begin(): Promise<void> {
    await this.c.query('START TRANSACTION');
  }
  async commit(): Promise<void> {
    await this.c.query('COMMIT');
  }
  async rollback(): Promise<void> {
    if (this.conn) await this.conn.query('ROLLBACK').catch(() => undefined);
  }
  async executeDdl(sql: string): Promise<void> {
    await this.c.query(sql);
  }

  async describeTable(table: TableRef): Promise<ExistingTable | null> {
    const [tables] = await this.c.execute(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
      [table.schema, table.name],
    );
    if ((tables as unknown[]).length === 0) return null;
    const [rows] = await this.c.execute(
      'SELECT column_name AS c, column_type AS t FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
      [table.schema, table.name],
    );
    return { columns: new Map((rows as Array<{ c: string; t: string }>).map((r) => [this.normalize(r.c), r.t])) };
  }

  /** A value column: type, DEFAULT of the schema default (an expression, as TEXT/BLOB columns need), NULL or NOT NULL. */
  private columnDefinition(c: ColumnSpec): string {
    const d = this.columnDefault(c);
    return `${this.quote(c.name)} ${mysqlType(c.type, false, c.name)}${d === null ? '' : ` DEFAULT ${d}`}${c.optional ? ' NULL' : ' NOT NULL'}`;
  }

  /** As Debezium's sink: no DEFAULT on LONGTEXT/LONGBLOB/JSON columns (a NOT NULL one added later gives older rows ''). */
  columnDefault(c: ColumnSpec): string | null {
    if (['string', 'xml', 'json', 'bytes', 'bits'].includes(c.type.kind)) return null;
    const d = defaultLiteral(c);
    return d === null ? null : `(${d})`;
  }

  createTableSql(table: TableRef, keyColumns: ColumnSpec[], valueColumns: ColumnSpec[]): string {
    const cols = [
      ...keyColumns.map((c) => `${this.quote(c.name)} ${mysqlType(c.type, true, c.name)} NOT NULL`),
      ...valueColumns.map((c) => this.columnDefinition(c)),
    ];
    if (keyColumns.length) cols.push(`PRIMARY KEY(${keyColumns.map((c) => this.quote(c.name)).join(', ')})`);
    return `CREATE TABLE IF NOT EXISTS ${this.qualified(table)} (\n${cols.join(',\n')})`;
  }

  addColumnsSql(table: TableRef, columns: ColumnSpec[]): string[] {
    return [
      `ALTER TABLE ${this.qualified(table)} ${columns.map((c) => `ADD COLUMN ${this.columnDefinition(c)}`).join(', ')}`,
    ];
  }

  async write(batch: RowBatch, mode: InsertMode, settings: JdbcSinkSettings): Promise<void> {
    const cols = [...batch.keyColumns, ...batch.valueColumns];
    if (mode === 'update') {
      if (!batch.valueColumns.length) return;
      const k = batch.keyColumns.length;
      const sql = `UPDATE ${this.qualified(batch.table)} SET ${batch.valueColumns.map((c) => `${this.quote(c.name)}=?`).join(',')} WHERE ${batch.keyColumns.map((c) => `${this.quote(c.name)}=?`).join(' AND ')}`;
      for (const row of batch.rows) await this.c.execute(sql, [...row.slice(k), ...row.slice(0, k)].map(mysqlValue));
      return;
    }
    if (this.useLoadData(batch, settings) && (await this.loadDataWrite(batch, mode))) return;
    const perStatement = Math.max(1, Math.min(settings.batchSize, Math.floor(MAX_PARAMS / Math.max(1, cols.length))));
    const tuple = `(${cols.map(() => '?').join(',')})`;
    const head = `INSERT INTO ${this.qualified(batch.table)} (${cols.map((c) => this.quote(c.name)).join(',')}) VALUES `;
    const tail = mode === 'upsert' ? this.onDuplicate(batch) : '';
    for (const rows of chunks(batch.rows, perStatement)) {
      const params: Param[] = [];
      for (const row of rows) for (const v of row) params.push(mysqlValue(v));
      await this.c.execute(head + new Array(rows.length).fill(tuple).join(',') + tail, params);
    }
  }

  private useLoadData(batch: RowBatch, settings: JdbcSinkSettings): boolean {
    if (this.loadDataRefused || settings.loadDataMinRows <= 0 || batch.rows.length < settings.loadDataMinRows)
      return false;
    for (const c of batch.keyColumns) if (!loadableKind(c.type.kind)) return false;
    for (const c of batch.valueColumns) if (!loadableKind(c.type.kind)) return false;
    return true;
  }

  /**
   * LOAD DATA LOCAL into a temporary copy of the target's columns, then one INSERT … SELECT.
   * With LOCAL the server turns conversion errors into warnings and goes on, so a load with any
   * warning, or fewer rows than sent, is discarded and false returned: the caller then writes the
   * batch with INSERT statements, which fail on bad values as before. Also false when the server
   * refuses LOAD DATA LOCAL (local_infile off), and from then on for this task.
   */
  private async loadDataWrite(batch: RowBatch, mode: InsertMode): Promise<boolean> {
    const cols = [...batch.keyColumns, ...batch.valueColumns];
    const colList = cols.map((c) => this.quote(c.name)).join(',');
    const target = this.qualified(batch.table);
    const stage = this.qualified({ ...batch.table, name: `tributary_stage_${++this.stageSeq}` });
    try {
      await this.c.query(`CREATE TEMPORARY TABLE ${stage} AS SELECT ${colList} FROM ${target} LIMIT 0`);
    } catch (err) {
      const errno = (err as { errno?: number }).errno;
      if (errno === undefined || !NO_TEMPORARY_TABLES.has(errno)) throw err;
      this.refuseLoadData(err, 'the user may not create temporary tables (GRANT CREATE TEMPORARY TABLES)');
      return false;
    }
    const file = this.infiles.register(() => Readable.from(loadDataChunks(batch.rows, mysqlValue)));
    try {
      let loaded: mysql.ResultSetHeader;
      try {
        [loaded] = await this.c.query<mysql.ResultSetHeader>(
          `LOAD DATA LOCAL INFILE '${file}' INTO TABLE ${stage} CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${colList})`,
        );
      } catch (err) {
        const errno = (err as { errno?: number }).errno;
        if (errno === undefined || !LOCAL_INFILE_REFUSED.has(errno)) throw err;
        this.refuseLoadData(
          err,
          'the database refuses LOAD DATA LOCAL INFILE (allow it with SET GLOBAL local_infile=1)',
        );
        return false;
      }
      if (loaded.warningStatus > 0 || loaded.affectedRows !== batch.rows.length) {
        this.logger?.debug(
          { table: target, rows: batch.rows.length, loaded: loaded.affectedRows, warnings: loaded.warningStatus },
          'LOAD DATA into the staging table reported warnings; writing the batch with INSERT statements instead',
        );
        return false;
      }
      await this.c.query(
        `INSERT INTO ${target} (${colList}) SELECT ${colList} FROM ${stage}${mode === 'upsert' ? this.onDuplicateFrom(batch, stage) : ''}`,
      );
      return true;
    } finally {
      this.infiles.release(file);
      // Never masks the write's own error (a lost connection fails this too); a table left behind
      // is temporary and goes with the connection.
      await this.conn?.query(`DROP TEMPORARY TABLE IF EXISTS ${stage}`).catch(() => undefined);
    }
  }

  private refuseLoadData(err: unknown, why: string): void {
    this.loadDataRefused = true;
    this.logger?.warn(
      { err: (err as Error).message },
      `Large batches are written with multi-row INSERT statements instead of LOAD DATA: ${why}; or set tributary.mysql.load.data.min.rows=0 to silence this`,
    );
  }

  /** ON DUPLICATE KEY UPDATE taking each value from the staging table's row (MySQL and MariaDB alike). */
  private onDuplicateFrom(batch: RowBatch, stage: string): string {
    if (!batch.keyColumns.length) return '';
    const targets = batch.valueColumns.length ? batch.valueColumns : batch.keyColumns;
    return ` ON DUPLICATE KEY UPDATE ${targets.map((c) => `${this.quote(c.name)}=${stage}.${this.quote(c.name)}`).join(',')}`;
  }

  private onDuplicate(batch: RowBatch): string {
    if (!batch.keyColumns.length) return '';
    const targets = batch.valueColumns.length ? batch.valueColumns : batch.keyColumns;
    if (this.rowAlias)
      return ` AS new ON DUPLICATE KEY UPDATE ${targets.map((c) => `${this.quote(c.name)}=new.${this.quote(c.name)}`).join(',')}`;
    return ` ON DUPLICATE KEY UPDATE ${targets.map((c) => `${this.quote(c.name)}=VALUES(${this.quote(c.name)})`).join(',')}`;
  }

  async deleteKeys(table: TableRef, keyColumns: ColumnSpec[], keys: unknown[][], batchSize: number): Promise<void> {
    const per = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMS / keyColumns.length)));
    const tuple = `(${keyColumns.map(() => '?').join(',')})`;
    const keyList = keyColumns.map((c) => this.quote(c.name)).join(',');
    for (const part of chunks(keys, per)) {
      await this.c.execute(
        `DELETE FROM ${this.qualified(table)} WHERE (${keyList}) IN (${new Array(part.length).fill(tuple).join(',')})`,
        part.flat().map(mysqlValue),
      );
    }
  }

  /** DELETE rather than TRUNCATE TABLE, which would commit the open transaction. */
  async truncate(table: TableRef): Promise<void> {
    await this.c.query(`DELETE FROM ${this.qualified(table)}`);
  }

  isTransient(err: unknown): boolean {
    const e = err as { code?: string; errno?: number; fatal?: boolean; message?: string };
    if (e.fatal) return true;
    if (e.code && TRANSIENT_NODE_CODES.has(e.code)) return true;
    if (e.errno !== undefined && TRANSIENT_ERRNOS.has(e.errno)) return true;
    // mysql2's closed-state errors are fatal; this dialect's own "connection is closed" has PROTOCOL_CONNECTION_LOST.
    return false;
  }
}

/** Binds booleans as 1/0 and time strings without the zone suffix MySQL TIME does not take. */
function mysqlValue(v: unknown): Param {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.endsWith('+00') && /^\d{2}:\d{2}:\d{2}/.test(v)) return v.slice(0, -3);
  return v as Param;
}

export function mysqlType(t: ColumnType, isKey: boolean, field: string): string {
  switch (t.kind) {
    case 'int8':
      return 'TINYINT';
    case 'int16':
      return 'SMALLINT';
    case 'int32':
      return 'INT';
    case 'int64':
    case 'interval':
      return 'BIGINT';
    case 'float32':
      return 'FLOAT';
    case 'float64':
      return 'DOUBLE';
    case 'boolean':
      return 'TINYINT(1)';
    // Debezium's sink: a Uuid is text on MariaDB/MySQL, ZonedTimestamp a TIMESTAMP, every time 6 digits
    case 'string':
    case 'xml':
    case 'uuid':
      return isKey ? 'VARCHAR(255)' : 'LONGTEXT';
    case 'enum':
      return `ENUM(${t.allowed.map((v) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`).join(',')})`;
    case 'bits':
      return t.length === undefined ? 'LONGBLOB' : `BIT(${t.length})`;
    case 'bytes':
      return isKey ? 'VARBINARY(255)' : 'LONGBLOB';
    case 'json':
      return 'JSON';
    case 'date':
      return 'DATE';
    case 'decimal':
      if (t.scale === undefined) return 'DECIMAL(65,30)';
      if (t.scale > 30)
        throw new UnmappableTypeError(
          `field "${field}" is a decimal with scale ${t.scale}; MySQL/MariaDB DECIMAL allows at most 30`,
        );
      return `DECIMAL(${Math.min(65, Math.max(t.precision ?? 38, t.scale, 1))},${t.scale})`;
    case 'time':
      return 'TIME(6)';
    case 'timetz':
      return 'TIME(6)';
    case 'timestamp':
      return 'DATETIME(6)';
    case 'timestamptz':
      return 'TIMESTAMP(6)';
    case 'array':
      throw new UnmappableTypeError(
        `field "${field}" is an array, which MySQL/MariaDB have no column type for; drop it with the ReplaceField SMT or write to PostgreSQL`,
      );
  }
}
