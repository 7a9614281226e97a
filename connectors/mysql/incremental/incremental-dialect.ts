/**
 * MySQL/MariaDB's part of the shared incremental snapshot engine
 * (shared/incremental/incremental-snapshot-engine.ts): tables from the schema tracker (the
 * structure at the stream position, so a chunk read with an older one is read again), chunk and
 * maximum-key SQL (chunk-query.ts) on the snapshot's own binary-safe connection, the watermark
 * INSERT, the server errors told apart (chunk-errors.ts) and the `op=r` records with the binlog
 * position of the close watermark in `source`.
 */
import type { SourceOffset, SourceRecord } from '../../../sdk/data.ts';
import type {
  ChunkBounds,
  ChunkFailure,
  ChunkRow,
  IncrementalDialect,
} from '../../shared/incremental/incremental-snapshot-engine.ts';
import type { RowImage } from '../binlog/events/rows.ts';
import type { CapturedTable } from '../captured-table.ts';
import type { ChangeRecords } from '../change-records.ts';
import type { MysqlSourceSettings } from '../config.ts';
import type { Filters } from '../filters.ts';
import type { SchemaTracker } from '../schema/schema-tracker.ts';
import type { TableDefinition } from '../schema/table-definition.ts';
import { snapshotValue } from '../snapshot-values.ts';
import { type Flavor, sourceStruct } from '../source-info.ts';
import { isConnectionLoss, isSchemaLag, isServerError, keyString } from './chunk-errors.ts';
import { chunkQuery, ident, keyColumns, keyText, maxKeyQuery } from './chunk-query.ts';
import type { SnapshotConnection } from './snapshot-connection.ts';

/** A row inserted into the signal table, as the binlog reader saw it. */
export interface SignalRow {
  id: string;
  type: string;
  data: string | null;
  /** Offset of the position right after this row (the binlog part only). */
  offset: SourceOffset;
  file: string;
  pos: number;
  serverId: number;
  gtid: string | null;
  thread: number | null;
}

export interface IncrementalContext {
  settings: MysqlSourceSettings;
  flavor: Flavor;
  filters: Filters;
  schema: SchemaTracker;
  records: ChangeRecords;
}

/** A table as a chunk reads it: its structure when read, and the records' view of it (built on first use). */
export class ChunkTable {
  private built: CapturedTable | null = null;

  constructor(
    readonly definition: TableDefinition,
    private readonly build: (def: TableDefinition) => CapturedTable,
  ) {}

  get captured(): CapturedTable {
    return (this.built ??= this.build(this.definition));
  }
}

export class MysqlIncrementalDialect implements IncrementalDialect<ChunkTable, RowImage, SignalRow> {
  readonly signalTable: string;
  /** Structures seen by the stream, reused so the change-record cache is not rebuilt per chunk. */
  private readonly streamTables = new Map<string, CapturedTable>();

  constructor(
    private readonly c: IncrementalContext,
    private readonly db: SnapshotConnection,
  ) {
    const sig = c.settings.signalTable!;
    this.signalTable = `${ident(sig.database)}.${ident(sig.table)}`;
  }

  /** A captured table's structure as the stream uses it. */
  noteStreamTable(table: CapturedTable): void {
    const d = table.definition;
    this.streamTables.set(`${d.database}.${d.name}`, table);
  }

  capturedTables(): string[] {
    return [...this.c.schema.tables.values()]
      .filter((t) => this.c.filters.tableIncluded(t.database, t.name))
      .map((t) => `${t.database}.${t.name}`)
      .sort();
  }

  table(name: string): ChunkTable | null {
    const def = this.c.schema.tables.get(name);
    if (!def || !this.c.filters.tableIncluded(def.database, def.name)) return null;
    return new ChunkTable(def, (d) => {
      const seen = this.streamTables.get(`${d.database}.${d.name}`);
      return seen && seen.definition === d ? seen : this.c.records.captured(d, -1);
    });
  }

  keyless(t: ChunkTable, surrogateKey: string | null): boolean {
    return keyColumns(t.definition, surrogateKey).length === 0;
  }

  estimateRows(name: string): Promise<number | null> {
    return this.db.tableRows(name);
  }

  async maxKey(t: ChunkTable, condition: string | null, surrogateKey: string | null): Promise<string[] | null> {
    const conn = await this.db.connection();
    const sql = maxKeyQuery(t.definition, condition, surrogateKey);
    const [max] = (await conn.query({ sql, rowsAsArray: true })) as unknown as [Array<Buffer[]>];
    return max.length === 0 ? null : keyColumns(t.definition, surrogateKey).map((c, i) => keyText(c, max[0][i]));
  }

  async readChunk(t: ChunkTable, b: ChunkBounds): Promise<Array<ChunkRow<RowImage>>> {
    const def = t.definition;
    const conn = await this.db.connection();
    const [rows] = (await conn.query({ sql: chunkQuery(def, b), rowsAsArray: true })) as unknown as [
      Array<Array<Buffer | null>>,
    ];
    const cols = keyColumns(def, b.surrogateKey);
    const keyIndexes = cols.map((c) => def.columns.indexOf(c));
    return rows.map((values) => {
      const image: RowImage = def.columns.map((c, i) => snapshotValue(c, values[i] ?? null));
      const k = t.captured.key(image);
      const key = cols.map((c, j) => keyText(c, values[keyIndexes[j]]!));
      // A keyless table read by its surrogate key: streamed changes have no key, nothing evicts its rows.
      const identity = k ? keyString(k) : b.surrogateKey ? `\u0001${key.join('\u0000')}` : null;
      return { row: image, key, identity };
    });
  }

  async writeWatermark(id: string, type: string, data: string): Promise<void> {
    const conn = await this.db.connection();
    await conn.query(`INSERT INTO ${this.signalTable} VALUES (?, ?, ?)`, [id, type, data]);
  }

  classify(err: unknown): ChunkFailure {
    if (isConnectionLoss(err)) return 'connection';
    if (!isServerError(err)) return 'other';
    // Unknown column / table: the server is ahead of the stream's table structures.
    return isSchemaLag(err) ? 'schema-lag' : 'server';
  }

  reconnect(): void {
    this.db.drop();
  }

  /** The table changed (a DDL in the stream) while the window was open: the buffered images have the old structure. */
  stale(t: ChunkTable): boolean {
    const d = t.definition;
    return this.c.schema.tables.get(`${d.database}.${d.name}`) !== d;
  }

  baseOffset(sig: SignalRow): SourceOffset {
    return sig.offset;
  }

  records(t: ChunkTable, rows: ReadonlyArray<{ row: RowImage; offset: SourceOffset }>, sig: SignalRow): SourceRecord[] {
    const d = t.definition;
    const tsMicros = BigInt(Date.now()) * 1000n;
    const source = sourceStruct({
      flavor: this.c.flavor,
      serverName: this.c.settings.topicPrefix,
      tsMicros,
      snapshot: 'incremental',
      db: d.database,
      table: d.name,
      serverId: sig.serverId,
      gtid: sig.gtid,
      file: sig.file,
      pos: sig.pos,
      row: 0,
      thread: sig.thread,
      query: null,
    });
    const ts = Number(tsMicros / 1000n);
    return rows.flatMap(({ row, offset }) =>
      this.c.records.rowRecords(t.captured, 'r', null, row, source, offset, null, ts),
    );
  }
}
