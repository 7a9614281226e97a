/**
 * The initial snapshot: one REPEATABLE READ transaction (importing the snapshot exported by slot
 * creation when there is one, so it matches the slot's consistent point exactly), each captured
 * table read through a cursor `snapshot.fetch.size` rows at a time (the next FETCH is already on
 * its way while the rows of the previous one are converted), rows emitted as `op=r` with
 * `source.snapshot` first / first_in_data_collection / true / last_in_data_collection / last.
 * On an existing slot (snapshot.mode=always/when_needed) no snapshot can be exported: the
 * snapshot then records pg_current_wal_insert_lsn() and streaming resumes there, so transactions
 * committed before it are skipped by the server and later ones are streamed.
 */
import type pg from 'pg';
import type { SourceRecord } from '../../runtime/data/records.ts';
import type { Struct } from '../../runtime/data/struct.ts';
import type { SnapshotMarker } from '../shared/debezium/index.ts';
import { nowMicros } from '../shared/debezium/index.ts';
import type { PostgresConnectorSettings } from './config.ts';
import { capturedTables, tableMeta, type TableId } from './catalog.ts';
import { quoteIdent, quoteLiteral } from './connection.ts';
import { TableSchema } from './table-schema.ts';
import type { TypeRegistry } from './type-registry.ts';
import { postgresSourceSchema, postgresSource } from './source-info.ts';
import { readRecord } from './change-events.ts';
import { snapshotOffset, sourcePartition } from './offsets.ts';
import { parseLsn } from './protocol/lsn.ts';
import type { SnapshotProgress } from '../shared/snapshot-progress.ts';

type Row = Array<string | null>;
const NO_SKIPPED_OPERATIONS: ReadonlySet<string> = new Set();

export class Snapshotter {
  private tables: TableId[] = [];
  private tableIndex = -1;
  private current: TableSchema | null = null;
  private cursorOpen = false;
  private tableExhausted = true;
  private held: Struct | null = null;
  private heldIsFirstInTable = false;
  private emittedAny = false;
  private tableTsMicros = 0n;
  private txId = 0;
  /** Rows fetched and not yet converted, the next FETCH in flight, and whether the cursor is drained. */
  private buffered: Row[] = [];
  private bufferedAt = 0;
  private prefetch: Promise<Row[]> | null = null;
  private cursorDrained = false;

  /** Rows fetched and not yet handed to the task: Debezium's snapshot queue (snapshot.fetch.size of them per FETCH). */
  get pendingRows(): number {
    return this.buffered.length - this.bufferedAt;
  }
  private partition: ReturnType<typeof sourcePartition>;
  lsn = 0n;
  readonly progress: SnapshotProgress = {
    phase: 'initial',
    tablesTotal: 0,
    tablesDone: 0,
    rowsScanned: 0,
    rowsEstimated: null,
    currentTable: null,
    tables: [],
  };

  constructor(
    private readonly client: pg.Client,
    private readonly settings: PostgresConnectorSettings,
    private readonly types: TypeRegistry,
  ) {
    this.partition = sourcePartition(settings.topicPrefix);
  }

  /** Opens the snapshot transaction; `exported` = snapshot name and consistent point from CREATE_REPLICATION_SLOT. */
  async begin(exported: { snapshotName: string; lsn: bigint } | null): Promise<void> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    if (exported) await this.client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(exported.snapshotName)}`);
    const r = await this.client.query<{ txid: string; lsn: string }>(
      'SELECT txid_current() AS txid, pg_current_wal_insert_lsn() AS lsn',
    );
    this.txId = Number(r.rows[0].txid);
    this.lsn = exported ? exported.lsn : parseLsn(r.rows[0].lsn);
    this.tables = await capturedTables(this.client, this.settings);
    this.progress.tablesTotal = this.tables.length;
    const estimates = await this.client.query<{ oid: number; rows: string }>(
      'SELECT oid::int AS oid, GREATEST(reltuples, 0)::bigint::text AS rows FROM pg_class WHERE oid = ANY($1::oid[])',
      [this.tables.map((t) => t.oid)],
    );
    const byOid = new Map(estimates.rows.map((r) => [Number(r.oid), Number(r.rows)]));
    this.progress.tables = this.tables.map((t) => ({
      table: `${t.schema}.${t.table}`,
      rowsScanned: 0,
      rowsEstimated: byOid.get(t.oid) ?? null,
      done: false,
    }));
    this.progress.rowsEstimated = this.progress.tables.reduce((sum, t) => sum + (t.rowsEstimated ?? 0), 0);
  }

  private fetch(): Promise<Row[]> {
    const p = this.client
      .query({ text: `FETCH ${this.settings.snapshotFetchSize} FROM tributary_snapshot`, rowMode: 'array' })
      .then((r) => r.rows as Row[]);
    p.catch(() => undefined); // a prefetch nobody awaits any more (abort) must not become an unhandled rejection
    return p;
  }

  private async openNextTable(): Promise<boolean> {
    if (this.cursorOpen) {
      await this.client.query('CLOSE tributary_snapshot');
      this.cursorOpen = false;
    }
    this.tableIndex++;
    if (this.tableIndex >= this.tables.length) return false;
    const meta = await tableMeta(this.client, this.tables[this.tableIndex].oid);
    this.current = new TableSchema(
      meta,
      meta.columns.map((c) => ({ name: c.name, typeOid: c.typeOid, typmod: c.typmod })),
      this.types,
      this.settings,
      postgresSourceSchema(this.settings.layout),
    );
    const cols = meta.columns.length > 0 ? meta.columns.map((c) => quoteIdent(c.name)).join(', ') : '';
    await this.client.query(
      `DECLARE tributary_snapshot NO SCROLL CURSOR FOR SELECT ${cols} FROM ${quoteIdent(meta.schema)}.${quoteIdent(meta.table)}`,
    );
    this.cursorOpen = true;
    this.tableExhausted = false;
    this.cursorDrained = false;
    this.buffered = [];
    this.bufferedAt = 0;
    this.prefetch = this.fetch();
    this.heldIsFirstInTable = true;
    this.tableTsMicros = nowMicros();
    this.progress.currentTable = `${meta.schema}.${meta.table}`;
    return true;
  }

  /** Up to `max` records, or null once every table was read (the transaction is then committed). */
  async next(max: number): Promise<SourceRecord[] | null> {
    const out: SourceRecord[] = [];
    while (out.length < max) {
      if (this.tableExhausted) {
        if (!(await this.openNextTable())) {
          if (this.tableIndex >= this.tables.length && this.cursorOpen === false) {
            await this.client.query('COMMIT');
            this.tableIndex = this.tables.length + 1;
            this.progress.phase = 'done';
            this.progress.currentTable = null;
          }
          return out.length > 0 ? out : null;
        }
      }
      if (this.bufferedAt >= this.buffered.length) {
        if (this.cursorDrained) {
          if (this.held) out.push(this.emit(this.held, true));
          this.held = null;
          this.tableExhausted = true;
          this.progress.tablesDone++;
          this.progress.tables[this.tableIndex].done = true;
          continue;
        }
        const rows = await this.prefetch!;
        this.buffered = rows;
        this.bufferedAt = 0;
        this.progress.rowsScanned += rows.length;
        this.progress.tables[this.tableIndex].rowsScanned += rows.length;
        this.cursorDrained = rows.length < this.settings.snapshotFetchSize;
        this.prefetch = this.cursorDrained ? null : this.fetch();
        continue;
      }
      const row = this.current!.row(this.buffered[this.bufferedAt++], false);
      if (this.held) out.push(this.emit(this.held, false));
      this.held = row;
    }
    return out;
  }

  private emit(row: Struct, lastInTable: boolean): SourceRecord {
    const lastTable = this.tableIndex === this.tables.length - 1;
    let marker: SnapshotMarker = 'true';
    if (lastTable && lastInTable) marker = 'last';
    else if (!this.emittedAny) marker = 'first';
    else if (lastInTable) marker = 'last_in_data_collection';
    else if (this.heldIsFirstInTable) marker = 'first_in_data_collection';
    this.heldIsFirstInTable = false;
    this.emittedAny = true;
    const t = this.current!;
    const source = postgresSource(
      {
        serverName: this.settings.topicPrefix,
        db: this.settings.dbname,
        schema: t.meta.schema,
        table: t.meta.table,
        tsMicros: this.tableTsMicros,
        snapshot: marker,
        txId: this.txId,
        lsn: this.lsn,
        lastCommitLsn: null,
      },
      this.settings.layout,
    );
    return readRecord(
      t,
      {
        partition: this.partition,
        offset: snapshotOffset(this.lsn, this.txId, this.tableTsMicros, marker === 'last'),
        source,
        transactionBlock: noTransactionBlock,
        tombstonesOnDelete: false,
        skipped: NO_SKIPPED_OPERATIONS,
        contextHeaders: this.settings.contextHeaders,
      },
      row,
    );
  }

  async abort(): Promise<void> {
    this.prefetch = null;
    await this.client.query('ROLLBACK').catch(() => undefined);
  }
}

function noTransactionBlock(): null {
  return null;
}
