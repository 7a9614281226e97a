/**
 * Incremental snapshots of PostgreSQL tables on the shared engine
 * (shared/incremental/incremental-snapshot-engine.ts: DBLog watermarks, signals, progress in the
 * offsets). This file keeps what is PostgreSQL's: the catalog lookups, the chunk and maximum-key
 * SQL (row-value comparison of the key columns, text values as parameters), the watermark INSERT
 * and the `op=r` records built from pgoutput's text form.
 */
import type pg from 'pg';
import type { SourceOffset, SourceRecord, Struct } from '../../sdk/data.ts';
import type { Logger } from '../../sdk/logging.ts';
import { nowMicros } from '../shared/debezium/index.ts';
import type { PostgresConnectorSettings } from './config.ts';
import { capturedTables, tableMeta } from './catalog.ts';
import { quoteIdent } from './connection.ts';
import { TableSchema } from './table-schema.ts';
import type { TypeRegistry } from './type-registry.ts';
import { postgresSourceSchema, postgresSource } from './source-info.ts';
import { readRecord } from './change-events.ts';
import { NO_SNAPSHOT, type SnapshotProgress } from '../shared/snapshot-progress.ts';
import { stateFromOffset } from '../shared/incremental/incremental-state.ts';
import {
  type ChunkBounds,
  type ChunkFailure,
  type ChunkRow,
  type IncrementalDialect,
  IncrementalSnapshotEngine,
} from '../shared/incremental/incremental-snapshot-engine.ts';

export const keyString = (values: readonly unknown[]): string =>
  values.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v))).join('\u0000');

/** Where a signal row was seen: the streaming offset at that change. */
type StreamOffset = () => Record<string, unknown>;

export class IncrementalSnapshot {
  private readonly engine: IncrementalSnapshotEngine<TableSchema, Struct, StreamOffset>;

  constructor(
    sql: () => pg.Client,
    settings: PostgresConnectorSettings,
    types: TypeRegistry,
    logger: Logger,
    resumed: Record<string, unknown> | null,
  ) {
    this.engine = new IncrementalSnapshotEngine(new PostgresIncrementalDialect(sql, settings, types), logger, {
      chunkSize: settings.incrementalChunkSize,
      resumed: resumed as SourceOffset | null,
    });
  }

  get active(): boolean {
    return this.engine.active;
  }

  /** The snapshot MBean's view of the running (or last) incremental snapshot. */
  get progress(): SnapshotProgress {
    return this.engine.progress() ?? { ...NO_SNAPSHOT, chunk: null };
  }

  /** Offset keys describing the progress (empty when no incremental snapshot runs), as Debezium's. */
  offsetKeys(): Record<string, unknown> {
    return this.engine.offsetKeys() ?? {};
  }

  /** The stored offset when it holds a running incremental snapshot, else null. */
  static fromOffset(o: Record<string, unknown>): Record<string, unknown> | null {
    return stateFromOffset(o as SourceOffset) ? o : null;
  }

  /** A row inserted into the signal table, seen in the stream. */
  async onSignal(id: string, type: string, data: string | null, out: SourceRecord[], offset: StreamOffset) {
    await this.engine.onSignal({ id, type, data }, offset, out);
  }

  /** A streamed change: inside the window it supersedes the buffered row with the same key. */
  onChange(t: TableSchema, key: Struct | null): void {
    const table = this.engine.windowTable;
    if (!key || !table || t.dataCollection !== table.dataCollection) return;
    this.engine.evict(keyString(t.keyColumns.map((c) => key.get(c.name))));
  }

  /** Whether a chunk should be read now (a snapshot runs and no window is pending). */
  get needsChunk(): boolean {
    return this.engine.needsChunk;
  }

  /** Inserts the open watermark, reads the next chunk into the buffer, inserts the close watermark. */
  async readChunk(): Promise<void> {
    await this.engine.readChunk();
  }
}

/** PostgreSQL's SQL and records for the shared engine; a table's structure is read from the catalog when it starts. */
class PostgresIncrementalDialect implements IncrementalDialect<TableSchema, Struct, StreamOffset> {
  readonly signalTable: string;
  private cached: TableSchema | null = null;

  constructor(
    private readonly sql: () => pg.Client,
    private readonly settings: PostgresConnectorSettings,
    private readonly types: TypeRegistry,
  ) {
    const [schema, table] = splitCollection(settings.signalDataCollection!);
    this.signalTable = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  }

  async capturedTables(): Promise<string[]> {
    return (await capturedTables(this.sql(), this.settings)).map((t) => `${t.schema}.${t.table}`);
  }

  private async oid(name: string): Promise<number | null> {
    const [schema, table] = splitCollection(name);
    const r = await this.sql().query<{ oid: string }>(
      'SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2',
      [schema, table],
    );
    return r.rows.length === 0 ? null : Number(r.rows[0].oid);
  }

  async table(name: string, starting: boolean): Promise<TableSchema | null> {
    if (!starting && this.cached?.dataCollection === name) return this.cached;
    const oid = await this.oid(name);
    if (oid === null) return null;
    const meta = await tableMeta(this.sql(), oid);
    this.cached = new TableSchema(
      meta,
      meta.columns.map((c) => ({ name: c.name, typeOid: c.typeOid, typmod: c.typmod })),
      this.types,
      this.settings,
      postgresSourceSchema(this.settings.layout),
    );
    return this.cached;
  }

  /** The columns chunks are read in order by (name, index in the SELECT): the key, or the surrogate-key column. */
  private orderColumns(t: TableSchema, surrogateKey: string | null): Array<{ name: string; index: number }> {
    if (surrogateKey === null) return t.keyColumns.map((c) => ({ name: c.name, index: c.sourceIndex }));
    const index = t.meta.columns.findIndex((c) => c.name === surrogateKey);
    return index < 0 ? [] : [{ name: surrogateKey, index }];
  }

  keyless(t: TableSchema, surrogateKey: string | null): boolean {
    return this.orderColumns(t, surrogateKey).length === 0;
  }

  async estimateRows(name: string): Promise<number | null> {
    const oid = await this.oid(name);
    if (oid === null) return null;
    const r = await this.sql().query<{ rows: string }>(
      'SELECT GREATEST(reltuples, 0)::bigint::text AS rows FROM pg_class WHERE oid = $1',
      [oid],
    );
    return Number(r.rows[0]?.rows ?? 0);
  }

  private from(t: TableSchema): string {
    return `${quoteIdent(t.meta.schema)}.${quoteIdent(t.meta.table)}`;
  }

  async maxKey(t: TableSchema, condition: string | null, surrogateKey: string | null): Promise<string[] | null> {
    const keys = this.orderColumns(t, surrogateKey).map((c) => quoteIdent(c.name));
    const r = await this.sql().query({
      text: `SELECT ${keys.join(', ')} FROM ${this.from(t)}${condition ? ` WHERE (${condition})` : ''} ORDER BY ${keys.map((k) => `${k} DESC NULLS LAST`).join(', ')} LIMIT 1`,
      rowMode: 'array',
    });
    return r.rows.length === 0 ? null : (r.rows[0] as unknown[]).map(String);
  }

  async readChunk(t: TableSchema, b: ChunkBounds): Promise<Array<ChunkRow<Struct>>> {
    const order = this.orderColumns(t, b.surrogateKey);
    const tuple = `(${order.map((c) => quoteIdent(c.name)).join(', ')})`;
    const params: string[] = [];
    const placeholders = (values: readonly string[]): string =>
      `(${values.map((v) => `$${params.push(v)}`).join(', ')})`;
    const where: string[] = [];
    if (b.after) where.push(`${tuple} > ${placeholders(b.after)}`);
    where.push(`${tuple} <= ${placeholders(b.upTo)}`);
    if (b.condition) where.push(`(${b.condition})`);
    const cols = t.meta.columns.map((c) => quoteIdent(c.name)).join(', ');
    const r = await this.sql().query({
      text: `SELECT ${cols} FROM ${this.from(t)} WHERE ${where.join(' AND ')} ORDER BY ${tuple.slice(1, -1)} LIMIT ${b.limit}`,
      values: params,
      rowMode: 'array',
    });
    return (r.rows as Array<Array<string | null>>).map((values) => {
      const row = t.row(values, false);
      const key = order.map((c) => values[c.index] as string);
      // A keyless table read by its surrogate key: streamed changes have no key, nothing evicts its rows.
      const identity =
        t.keyColumns.length > 0 ? keyString(t.keyColumns.map((c) => row.get(c.name))) : `\u0001${key.join('\u0000')}`;
      return { row, key, identity };
    });
  }

  async writeWatermark(id: string, type: string, data: string): Promise<void> {
    await this.sql().query(`INSERT INTO ${this.signalTable} VALUES ($1, $2, $3)`, [id, type, data]);
  }

  /** Errors the server reported (an SQLSTATE with a severity) are the statement's; connection failures are not. */
  classify(err: unknown): ChunkFailure {
    const e = err as { code?: unknown; severity?: unknown };
    if (typeof e?.severity !== 'string' || typeof e.code !== 'string') return 'other';
    return /^(08|57P)/.test(e.code) ? 'other' : 'server';
  }

  baseOffset(at: StreamOffset): SourceOffset {
    return at() as SourceOffset;
  }

  records(t: TableSchema, rows: ReadonlyArray<{ row: Struct; offset: SourceOffset }>): SourceRecord[] {
    const s = this.settings;
    const tsMicros = nowMicros();
    return rows.map(({ row, offset }) =>
      readRecord(
        t,
        {
          partition: { server: s.topicPrefix },
          offset,
          source: postgresSource(
            {
              serverName: s.topicPrefix,
              db: s.dbname,
              schema: t.meta.schema,
              table: t.meta.table,
              tsMicros,
              snapshot: 'incremental',
              txId: null,
              lsn: null,
              lastCommitLsn: null,
            },
            s.layout,
          ),
          transactionBlock: () => null,
          tombstonesOnDelete: false,
          skipped: new Set(),
          contextHeaders: s.contextHeaders,
        },
        row,
      ),
    );
  }
}

export function splitCollection(name: string): [string, string] {
  const i = name.indexOf('.');
  return i < 0 ? ['public', name] : [name.slice(0, i), name.slice(i + 1)];
}
