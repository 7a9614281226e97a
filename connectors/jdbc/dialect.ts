/**
 * What the JDBC sink needs from a database: identifier quoting, column DDL, table metadata and
 * the write statements. One module per database implements it (dialects/postgres.ts,
 * dialects/mysql.ts); adding a database means adding one module and one case in openDialect().
 */
import type { JdbcSinkSettings, InsertMode } from './config.ts';
import type { TableRef } from './record-mapper.ts';
import type { ColumnSpec } from './type-mapping.ts';

export interface ExistingTable {
  /** Normalized column name (see Dialect.normalize) → declared type, as the catalog reports it. */
  columns: Map<string, string>;
}

/** Rows sharing one column layout: each row is the key values followed by the non-key values. */
export interface RowBatch {
  table: TableRef;
  keyColumns: ColumnSpec[];
  valueColumns: ColumnSpec[];
  rows: unknown[][];
}

export interface Dialect {
  readonly name: string;
  /** Quotes (or, with quoting off, validates) an identifier; never lets it change the statement. */
  quote(identifier: string): string;
  qualified(table: TableRef): string;
  /** How the catalog spells a name we wrote, for comparing against describeTable(). */
  normalize(identifier: string): string;
  /** The DEFAULT clause's expression for a value column's schema default, or null for none. */
  columnDefault(column: ColumnSpec): string | null;
  /** Column type DDL, e.g. `numeric(10,2)`; `isKey` lets MySQL bound key string lengths. */
  columnType(column: ColumnSpec, isKey: boolean): string;

  connect(): Promise<void>;
  close(): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Runs DDL outside the write transaction (MySQL DDL commits implicitly). */
  executeDdl(sql: string): Promise<void>;
  describeTable(table: TableRef): Promise<ExistingTable | null>;
  createTableSql(table: TableRef, keyColumns: ColumnSpec[], valueColumns: ColumnSpec[]): string;
  addColumnsSql(table: TableRef, columns: ColumnSpec[]): string[];
  /** Writes rows with the given mode inside the open transaction. */
  write(batch: RowBatch, mode: InsertMode, settings: JdbcSinkSettings): Promise<void>;
  /**
   * Whether write() would run exactly one statement for this batch; then a put() of only this
   * batch runs it without BEGIN/COMMIT (one statement is its own transaction).
   */
  isOneStatement?(batch: RowBatch, mode: InsertMode, settings: JdbcSinkSettings): boolean;
  deleteKeys(table: TableRef, keyColumns: ColumnSpec[], keys: unknown[][], batchSize: number): Promise<void>;
  truncate(table: TableRef): Promise<void>;
  /** Whether an error is transient (lost connection, deadlock): the batch is replayed after backoff. */
  isTransient(err: unknown): boolean;
}

/** Splits `items` into chunks of at most `size`. */
export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** A safe bare identifier, for quote.sql.identifiers=never. */
export const BARE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
