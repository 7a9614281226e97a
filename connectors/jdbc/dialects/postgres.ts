/**
 * PostgreSQL through node-postgres: multi-row `INSERT … ON CONFLICT … DO UPDATE`, and for large
 * upserts COPY into a transaction-local staging table followed by one INSERT … SELECT … ON CONFLICT.
 */
import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import { connectPgWithTls, type PgTlsSettings } from '../../shared/tls/postgres-tls.ts';
import type { InsertMode, JdbcSinkSettings } from '../config.ts';
import { postgresUrlTls } from '../url-tls.ts';
import { BARE_IDENTIFIER, chunks, type Dialect, type ExistingTable, type RowBatch } from '../dialect.ts';
import type { TableRef } from '../record-mapper.ts';
import { defaultLiteral, type ColumnSpec, type ColumnType } from '../type-mapping.ts';

const MAX_PARAMS = 65535;
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export class PostgresDialect implements Dialect {
  readonly name = 'PostgreSqlDatabaseDialect';
  private client: pg.Client | null = null;
  /** The server went away since the last successful connect (node-postgres then fails queries with code-less errors). */
  private connectionLost = false;
  private stageSeq = 0;
  private readonly typeCache = new Map<string, Map<string, string>>();
  private tls: PgTlsSettings | null = null;

  constructor(private readonly settings: JdbcSinkSettings) {}

  quote(identifier: string): string {
    if (!this.settings.quoteIdentifiers && BARE_IDENTIFIER.test(identifier)) return identifier;
    return `"${identifier.replaceAll('"', '""')}"`;
  }

  normalize(identifier: string): string {
    return !this.settings.quoteIdentifiers && BARE_IDENTIFIER.test(identifier) ? identifier.toLowerCase() : identifier;
  }

  qualified(table: TableRef): string {
    return table.schema ? `${this.quote(table.schema)}.${this.quote(table.name)}` : this.quote(table.name);
  }

  columnType(column: ColumnSpec): string {
    return pgType(column.type);
  }

  async connect(): Promise<void> {
    const u = this.settings.url;
    this.tls ??= postgresUrlTls(u);
    const client = await connectPgWithTls(this.tls, u.host, u.port, (ssl) => {
      const c = new pg.Client({
        host: u.host,
        port: u.port,
        database: u.database,
        user: this.settings.user,
        password: this.settings.password,
        ssl,
        application_name: 'tributary-jdbc-sink',
      });
      c.on('error', () => {
        // A server-side disconnect between batches; the next query fails and the batch is retried.
        if (this.client === c) {
          this.client = null;
          this.connectionLost = true;
        }
      });
      return c;
    });
    await client.query("SET TIME ZONE 'UTC'");
    if (u.properties.currentSchema)
      await client.query(
        `SET search_path TO ${u.properties.currentSchema
          .split(',')
          .map((s) => this.quote(s.trim()))
          .join(',')}`,
      );
    this.client = client;
    this.connectionLost = false;
  }

  private get c(): pg.Client {
    if (!this.client) throw Object.assign(new Error('PostgreSQL connection is closed'), { code: 'ECONNRESET' });
    return this.client;
  }

  async close(): Promise<void> {
    this.typeCache.clear();
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  async begin(): Promise<void> {
    await this.c.query('BEGIN');
  }
  async commit(): Promise<void> {
    await this.c.query('COMMIT');
  }
  async rollback(): Promise<void> {
    if (this.client) await this.client.query('ROLLBACK').catch(() => undefined);
  }
  async executeDdl(sql: string): Promise<void> {
    this.typeCache.clear();
    await this.c.query(sql);
  }

  async describeTable(table: TableRef): Promise<ExistingTable | null> {
    const res = await this.c.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2',
      [table.schema === null ? null : this.normalize(table.schema), this.normalize(table.name)],
    );
    if (res.rows.length === 0) {
      const exists = await this.c.query(
        'SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2',
        [table.schema === null ? null : this.normalize(table.schema), this.normalize(table.name)],
      );
      if (exists.rowCount === 0) return null;
    }
    return { columns: new Map(res.rows.map((r) => [r.column_name, r.data_type])) };
  }

  /** A value column as Debezium's sink declares it: type, DEFAULT of the schema default, NULL or NOT NULL. */
  private columnDefinition(c: ColumnSpec): string {
    const d = this.columnDefault(c);
    return `${this.quote(c.name)} ${pgType(c.type)}${d === null ? '' : ` DEFAULT ${d}`}${c.optional ? ' NULL' : ' NOT NULL'}`;
  }

  columnDefault(c: ColumnSpec): string | null {
    return defaultLiteral(c);
  }

  createTableSql(table: TableRef, keyColumns: ColumnSpec[], valueColumns: ColumnSpec[]): string {
    const cols = [
      ...keyColumns.map((c) => `${this.quote(c.name)} ${pgType(c.type)} NOT NULL`),
      ...valueColumns.map((c) => this.columnDefinition(c)),
    ];
    if (keyColumns.length) cols.push(`PRIMARY KEY(${keyColumns.map((c) => this.quote(c.name)).join(', ')})`);
    return `CREATE TABLE IF NOT EXISTS ${this.qualified(table)} (\n${cols.join(',\n')})`;
  }

  addColumnsSql(table: TableRef, columns: ColumnSpec[]): string[] {
    return [
      `ALTER TABLE ${this.qualified(table)} ${columns.map((c) => `ADD COLUMN IF NOT EXISTS ${this.columnDefinition(c)}`).join(', ')}`,
    ];
  }

  async write(batch: RowBatch, mode: InsertMode, settings: JdbcSinkSettings): Promise<void> {
    if (mode === 'update') return this.update(batch);
    const cols = [...batch.keyColumns, ...batch.valueColumns];
    if (this.useCopy(batch, settings)) return this.copyMerge(batch, mode);
    if (!cols.some((c) => c.type.kind === 'array') && (await this.unnestWrite(batch, mode))) return;
    const perStatement = Math.max(1, Math.min(settings.batchSize, Math.floor(MAX_PARAMS / Math.max(1, cols.length))));
    const head = `INSERT INTO ${this.qualified(batch.table)} (${cols.map((c) => this.quote(c.name)).join(',')}) VALUES `;
    const tail = mode === 'upsert' ? this.onConflict(batch) : '';
    for (const rows of chunks(batch.rows, perStatement)) {
      const params: unknown[] = [];
      const tuples: string[] = [];
      let n = 1;
      for (const row of rows) {
        const ph: string[] = [];
        for (let i = 0; i < row.length; i++) {
          ph.push(`$${n++}`);
          params.push(row[i]);
        }
        tuples.push(`(${ph.join(',')})`);
      }
      await this.c.query({ text: head + tuples.join(',') + tail, values: params });
    }
  }

  private useCopy(batch: RowBatch, settings: JdbcSinkSettings): boolean {
    return (
      settings.copyMinRows > 0 &&
      batch.rows.length >= settings.copyMinRows &&
      !batch.keyColumns.some((c) => c.type.kind === 'array') &&
      !batch.valueColumns.some((c) => c.type.kind === 'array')
    );
  }

  /** The unnest INSERT, once the table's column types are cached. */
  isOneStatement(batch: RowBatch, mode: InsertMode, settings: JdbcSinkSettings): boolean {
    if (mode === 'update' || this.useCopy(batch, settings)) return false;
    const types = this.typeCache.get(batch.table.id);
    if (!types) return false;
    for (const c of [...batch.keyColumns, ...batch.valueColumns])
      if (c.type.kind === 'array' || !types.has(this.normalize(c.name))) return false;
    return true;
  }

  /**
   * One INSERT … SELECT … FROM unnest($1::text[], …) per batch: a parameter per column (its values
   * as one array literal) instead of one per value, so the statement text and its plan do not
   * grow with the rows. Each value is cast from its text to the column's declared type, the same
   * input function an untyped parameter goes through. False when a column's type is not known.
   */
  private async unnestWrite(batch: RowBatch, mode: InsertMode): Promise<boolean> {
    const cols = [...batch.keyColumns, ...batch.valueColumns];
    const types = await this.declaredTypes(batch.table);
    const casts: string[] = [];
    for (const c of cols) {
      const t = types.get(this.normalize(c.name));
      if (t === undefined) return false;
      casts.push(t);
    }
    const arrays: string[] = [];
    for (let j = 0; j < cols.length; j++) arrays.push(arrayLiteral(batch.rows, j));
    const colList = cols.map((c) => this.quote(c.name)).join(',');
    const select = casts.map((t, j) => `u.c${j}::${t}`).join(',');
    const args = cols.map((_c, j) => `$${j + 1}::text[]`).join(',');
    const names = cols.map((_c, j) => `c${j}`).join(',');
    await this.c.query({
      text: `INSERT INTO ${this.qualified(batch.table)} (${colList}) SELECT ${select} FROM unnest(${args}) AS u(${names})${mode === 'upsert' ? this.onConflict(batch) : ''}`,
      values: arrays,
    });
    return true;
  }

  /** Column name → its declared type (format_type), per table; forgotten after any DDL. */
  private async declaredTypes(table: TableRef): Promise<Map<string, string>> {
    let types = this.typeCache.get(table.id);
    if (!types) {
      const res = await this.c.query<{ name: string; type: string }>(
        'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped',
        [this.qualified(table)],
      );
      types = new Map(res.rows.map((r) => [r.name, r.type]));
      this.typeCache.set(table.id, types);
    }
    return types;
  }

  private onConflict(batch: RowBatch): string {
    if (!batch.keyColumns.length) return '';
    const keys = batch.keyColumns.map((c) => this.quote(c.name)).join(',');
    if (!batch.valueColumns.length) return ` ON CONFLICT (${keys}) DO NOTHING`;
    return ` ON CONFLICT (${keys}) DO UPDATE SET ${batch.valueColumns.map((c) => `${this.quote(c.name)}=EXCLUDED.${this.quote(c.name)}`).join(',')}`;
  }

  private async copyMerge(batch: RowBatch, mode: InsertMode): Promise<void> {
    const cols = [...batch.keyColumns, ...batch.valueColumns];
    const colList = cols.map((c) => this.quote(c.name)).join(',');
    const stage = `tributary_stage_${++this.stageSeq}`;
    await this.c.query(
      `CREATE TEMP TABLE ${stage} ON COMMIT DROP AS SELECT ${colList} FROM ${this.qualified(batch.table)} WITH NO DATA`,
    );
    const kinds = cols.map((c) => c.type.kind);
    const copy = this.c.query(copyStreams.from(`COPY ${stage} (${colList}) FROM STDIN`));
    const CHUNK = 1000;
    async function* lines() {
      for (let i = 0; i < batch.rows.length; i += CHUNK) {
        let text = '';
        const end = Math.min(batch.rows.length, i + CHUNK);
        for (let r = i; r < end; r++) text += copyLine(batch.rows[r], kinds);
        yield text;
      }
    }
    await pipeline(Readable.from(lines()), copy);
    await this.c.query(
      `INSERT INTO ${this.qualified(batch.table)} (${colList}) SELECT ${colList} FROM ${stage}${mode === 'upsert' ? this.onConflict(batch) : ''}`,
    );
    await this.c.query(`DROP TABLE ${stage}`);
  }

  private async update(batch: RowBatch): Promise<void> {
    if (!batch.valueColumns.length) return;
    const k = batch.keyColumns.length;
    const set = batch.valueColumns.map((c, i) => `${this.quote(c.name)}=$${k + i + 1}`).join(',');
    const where = batch.keyColumns.map((c, i) => `${this.quote(c.name)}=$${i + 1}`).join(' AND ');
    const text = `UPDATE ${this.qualified(batch.table)} SET ${set} WHERE ${where}`;
    for (const row of batch.rows) await this.c.query({ text, values: row });
  }

  async deleteKeys(table: TableRef, keyColumns: ColumnSpec[], keys: unknown[][], batchSize: number): Promise<void> {
    const k = keyColumns.length;
    const per = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMS / k)));
    const keyList = keyColumns.map((c) => this.quote(c.name)).join(',');
    for (const part of chunks(keys, per)) {
      let n = 1;
      const tuples = part.map(() => `(${keyColumns.map(() => `$${n++}`).join(',')})`);
      await this.c.query({
        text: `DELETE FROM ${this.qualified(table)} WHERE (${keyList}) IN (${tuples.join(',')})`,
        values: part.flat(),
      });
    }
  }

  async truncate(table: TableRef): Promise<void> {
    await this.c.query(`TRUNCATE TABLE ${this.qualified(table)}`);
  }

  isTransient(err: unknown): boolean {
    const e = err as { code?: string; message?: string };
    if (e.code && TRANSIENT_NODE_CODES.has(e.code)) return true;
    if (e.code && /^[0-9A-Z]{5}$/.test(e.code)) {
      return (
        e.code.startsWith('08') ||
        e.code.startsWith('57P') ||
        e.code === '40001' ||
        e.code === '40P01' ||
        e.code === '53300' ||
        e.code === '55P03'
      );
    }
    // "Connection terminated unexpectedly", "… is not queryable" carry no code: node-postgres emitted
    // 'error' (connectionLost) before the failed query's promise settled.
    return this.connectionLost;
  }
}

export function pgType(t: ColumnType): string {
  switch (t.kind) {
    case 'int8':
    case 'int16':
      return 'smallint';
    case 'int32':
      return 'integer';
    case 'int64':
      return 'bigint';
    case 'float32':
      return 'real';
    case 'float64':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'text';
    case 'bytes':
      return 'bytea';
    case 'json':
      return 'json';
    case 'uuid':
      return 'uuid';
    case 'xml':
      return 'xml';
    case 'enum':
      return 'text';
    case 'interval':
      return 'interval';
    case 'bits':
      return t.length === undefined ? 'bit varying' : `bit(${t.length})`;
    case 'date':
      return 'date';
    case 'decimal': {
      // Tributary keeps a variable-scale decimal exact (Debezium's sink makes it double precision).
      if (t.scale === undefined) return 'numeric';
      // Without a precision parameter Debezium's sink (Hibernate) declares numeric(38, scale).
      const precision = t.precision ?? DEFAULT_DECIMAL_PRECISION;
      return precision >= t.scale && precision > 0 ? `numeric(${precision},${t.scale})` : 'numeric';
    }
    // Debezium's sink declares every time and timestamp with 6 fraction digits, whatever the unit.
    case 'time':
      return 'time(6)';
    case 'timetz':
      return 'time(6) with time zone';
    case 'timestamp':
      return 'timestamp(6)';
    case 'timestamptz':
      return 'timestamp(6) with time zone';
    case 'array':
      return `${pgType(t.element)}[]`;
  }
}

const DEFAULT_DECIMAL_PRECISION = 38;

/**
 * Column j of the rows as a PostgreSQL array literal of texts, each value written as node-postgres
 * writes a parameter (bytea as \x hex, booleans as true/false, numbers by toString).
 */
function arrayLiteral(rows: unknown[][], j: number): string {
  let out = '{';
  for (let r = 0; r < rows.length; r++) {
    if (r > 0) out += ',';
    const v = rows[r][j];
    if (v === null || v === undefined) out += 'NULL';
    else if (Buffer.isBuffer(v)) out += '"\\\\x' + v.toString('hex') + '"';
    else {
      const s = String(v);
      out += NEEDS_ESCAPE.test(s) ? '"' + s.replace(ARRAY_ESCAPE, '\\$&') + '"' : '"' + s + '"';
    }
  }
  return out + '}';
}
const NEEDS_ESCAPE = /["\\]/;
const ARRAY_ESCAPE = /["\\]/g;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One row in COPY text format. */
function copyLine(row: unknown[], kinds: string[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i) line += '\t';
    const v = row[i];
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'boolean') line += v ? 't' : 'f';
    else if (Buffer.isBuffer(v)) line += '\\\\x' + v.toString('hex');
    else if (typeof v === 'number')
      line += Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
    else {
      const s = String(v);
      line +=
        kinds[i] === 'string' || kinds[i] === 'json' || /[\\\n\r\t]/.test(s)
          ? s.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c])
          : s;
    }
  }
  return line + '\n';
}
