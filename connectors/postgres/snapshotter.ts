/**
 * The initial snapshot: one REPEATABLE READ transaction (importing the snapshot exported by slot
 * creation when there is one, so it matches the slot's consistent point exactly), each captured
 * table streamed through `COPY (SELECT …) TO STDOUT` in text format (the same texts a SELECT
 * returns, converted by the same column converters; at most about `snapshot.fetch.size` received
 * rows wait to be converted, see CopyTableReader), rows emitted as `op=r` with
 * `source.snapshot` first / first_in_data_collection / true / last_in_data_collection / last.
 * On an existing slot (snapshot.mode=always/when_needed) no snapshot can be exported: the
 * snapshot then records pg_current_wal_insert_lsn() and streaming resumes there, so transactions
 * committed before it are skipped by the server and later ones are streamed.
 */
import type pg from 'pg';
import type { SourceRecord, Struct } from '../../sdk/data.ts';
import type { SnapshotMarker } from '../shared/debezium/index.ts';
import { nowMicros } from '../shared/debezium/index.ts';
import type { PostgresConnectorSettings } from './config.ts';
import { capturedTables, tableMeta, type TableId } from './catalog.ts';
import { quoteIdent, quoteLiteral } from './connection.ts';
import { TableSchema } from './table-schema.ts';
import type { TypeRegistry } from './type-registry.ts';
import { postgresSourceSchema, postgresSource } from './source-info.ts';
import { readRecord, type EventContext } from './change-events.ts';
import { snapshotOffset, sourcePartition } from './offsets.ts';
import { parseLsn } from './protocol/lsn.ts';
import { CopyTableReader } from './copy-table-reader.ts';
import type { SnapshotProgress } from '../shared/snapshot-progress.ts';

const NO_SKIPPED_OPERATIONS: ReadonlySet<string> = new Set();

export class Snapshotter {
  private tables: TableId[] = [];
  private tableIndex = -1;
  private current: TableSchema | null = null;
  private tableExhausted = true;
  private held: Struct | null = null;
  private heldIsFirstInTable = false;
  private emittedAny = false;
  private tableTsMicros = 0n;
  private txId = 0;
  /** The current table's COPY, and the one array each of its rows is read into before conversion. */
  private copy: CopyTableReader | null = null;
  private readonly rowTexts: Array<string | null> = [];
  private middleContext: EventContext | null = null;

  /** Rows received and not yet handed to the task: Debezium's snapshot queue (about snapshot.fetch.size of them). */
  get pendingRows(): number {
    return this.copy?.pendingRows ?? 0;
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

  private async openNextTable(): Promise<boolean> {
    this.copy = null;
    this.middleContext = null;
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
    const tableProgress = this.progress.tables[this.tableIndex];
    this.copy = new CopyTableReader(
      this.client,
      `COPY (SELECT ${cols} FROM ${quoteIdent(meta.schema)}.${quoteIdent(meta.table)}) TO STDOUT`,
      this.settings.snapshotFetchSize,
      (n) => {
        this.progress.rowsScanned += n;
        tableProgress.rowsScanned += n;
      },
    );
    this.rowTexts.length = meta.columns.length;
    this.tableExhausted = false;
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
          if (this.tableIndex >= this.tables.length) {
            await this.client.query('COMMIT');
            this.tableIndex = this.tables.length + 1;
            this.progress.phase = 'done';
            this.progress.currentTable = null;
          }
          return out.length > 0 ? out : null;
        }
      }
      const copy = this.copy!;
      if (!copy.next(this.rowTexts, this.rowTexts.length)) {
        if (copy.done) {
          if (this.held) out.push(this.emit(this.held, true));
          this.held = null;
          this.tableExhausted = true;
          this.progress.tablesDone++;
          this.progress.tables[this.tableIndex].done = true;
          continue;
        }
        if (out.length > 0) return out; // converted rows go on while the next ones arrive
        await copy.more();
        continue;
      }
      const row = this.current!.row(this.rowTexts, false);
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
    if (marker !== 'true') return readRecord(t, this.eventContext(marker), row);
    // The rows between a table's first and last share source and offset (same table, marker, LSN and
    // timestamp), as read-only values: built once per table instead of once per row.
    this.middleContext ??= this.eventContext('true');
    return readRecord(t, this.middleContext, row);
  }

  private eventContext(marker: SnapshotMarker): EventContext {
    const t = this.current!;
    return {
      partition: this.partition,
      offset: snapshotOffset(this.lsn, this.txId, this.tableTsMicros, marker === 'last'),
      source: postgresSource(
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
      ),
      transactionBlock: noTransactionBlock,
      tombstonesOnDelete: false,
      skipped: NO_SKIPPED_OPERATIONS,
      contextHeaders: this.settings.contextHeaders,
    };
  }

  async abort(): Promise<void> {
    await this.copy?.cancel();
    this.copy = null;
    await this.client.query('ROLLBACK').catch(() => undefined);
  }
}

function noTransactionBlock(): null {
  return null;
}
