/**
 * Incremental snapshots driven by a signal table, with DBLog's watermarks (Debezium's
 * SignalBasedIncrementalSnapshotChangeEventSource, insert_insert strategy): for each chunk of
 * `incremental.snapshot.chunk.size` rows in primary-key order, an open watermark row is inserted
 * into the signal table, the chunk is SELECTed into a buffer, and a close watermark is inserted.
 * While the stream is between the two watermarks, every streamed change to a buffered key evicts
 * that row (the stream has the newer value); at the close watermark the remaining rows are
 * emitted as `op=r` with `source.snapshot=incremental`. Progress is kept in the offsets.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { SourceRecord, Struct } from '../../sdk/data.ts';
import type { Logger } from '../../sdk/logging.ts';
import { nowMicros } from '../shared/debezium/index.ts';
import type { PostgresConnectorSettings } from './config.ts';
import { capturedTables, tableMeta } from './catalog.ts';
import { quoteIdent } from './connection.ts';
import { TableSchema } from './table-schema.ts';
import type { TypeRegistry } from './type-registry.ts';
import { postgresSourceSchema, postgresSource } from './source-info.ts';
import { readRecord } from './change-events.ts';
import { nextChunk, type ChunkPosition, type SnapshotProgress } from '../shared/snapshot-progress.ts';
import { TableProgress } from '../shared/table-progress.ts';
import { type IncrementalState, stateFromOffset } from '../shared/incremental/incremental-state.ts';
import { type SignalAction, windowCloseData, windowOpenData } from '../shared/incremental/signals.ts';
import { dispatchSignal, SnapshotPlan } from '../shared/incremental/snapshot-plan.ts';

export type { IncrementalState } from '../shared/incremental/incremental-state.ts';

export const keyString = (values: readonly unknown[]): string =>
  values.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v))).join('\u0000');

export class IncrementalSnapshot {
  private readonly plan: SnapshotPlan;
  private table: TableSchema | null = null;
  private chunkId: string | null = null;
  private windowOpen = false;
  private reading = false;
  private readonly buffer = new Map<string, Struct>();
  private readonly signalId: string;
  /** Tables of the running (or last) incremental snapshot; rows count when their chunk is emitted. */
  private readonly tables = new TableProgress();
  private phase: SnapshotProgress['phase'] = 'none';
  private chunkPosition: ChunkPosition | null = null;

  constructor(
    private readonly sql: () => pg.Client,
    private readonly settings: PostgresConnectorSettings,
    private readonly types: TypeRegistry,
    private readonly logger: Logger,
    resumed: IncrementalState | null,
  ) {
    this.plan = new SnapshotPlan(logger, resumed);
    if (resumed) this.track(resumed.collections.map((c) => c.id));
    const [schema, table] = splitCollection(settings.signalDataCollection!);
    this.signalId = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  }

  get active(): boolean {
    return this.plan.active;
  }

  private get state(): IncrementalState | null {
    return this.plan.state;
  }

  /** The snapshot MBean's view of the running (or last) incremental snapshot. */
  get progress(): SnapshotProgress {
    const current = this.phase === 'incremental' ? (this.plan.current?.id ?? null) : null;
    return { ...this.tables.snapshot(this.phase, current), chunk: this.chunkPosition };
  }

  private track(collections: string[]): void {
    if (this.phase !== 'incremental') {
      this.phase = 'incremental';
      this.tables.start([]);
    }
    this.tables.add(collections);
  }

  /** Offset keys describing the progress (empty when no incremental snapshot runs), as Debezium's. */
  offsetKeys(): Record<string, unknown> {
    return this.plan.offset() ?? {};
  }

  static fromOffset(o: Record<string, unknown>): IncrementalState | null {
    return stateFromOffset(o as Parameters<typeof stateFromOffset>[0])?.state ?? null;
  }

  /** A row inserted into the signal table, seen in the stream. */
  async onSignal(
    id: string,
    type: string,
    data: string | null,
    out: SourceRecord[],
    offset: () => Record<string, unknown>,
  ): Promise<void> {
    await dispatchSignal({ id, type, data }, this.logger, (a) => this.apply(id, a, out, offset));
  }

  private async apply(
    id: string,
    a: SignalAction,
    out: SourceRecord[],
    offset: () => Record<string, unknown>,
  ): Promise<void> {
    switch (a.kind) {
      case 'execute-snapshot': {
        const all = await capturedTables(this.sql(), this.settings);
        const names = all.map((t) => `${t.schema}.${t.table}`);
        const added = this.plan.execute(id, names, a.collections, a.conditions);
        if (added.length > 0) this.track(added.map((c) => c.id));
        return;
      }
      case 'stop-snapshot': {
        const { stopped, current } = this.plan.stop(a.collections);
        this.tables.remove(stopped);
        if (current) this.voidChunk();
        if (stopped.length > 0 && !this.plan.active) this.finish();
        return;
      }
      case 'pause-snapshot':
      case 'resume-snapshot':
        this.plan.pause(a.kind === 'pause-snapshot');
        return;
      case 'window-open':
        if (this.chunkId !== null && a.id === `${this.chunkId}-open`) this.windowOpen = true;
        return;
      case 'window-close':
        if (this.chunkId !== null && a.id === `${this.chunkId}-close`) out.push(...this.closeWindow(offset));
        return;
      case 'log':
        this.logger.info({ id }, `Signal log: ${a.message}`);
        return;
    }
  }

  /** Discards the table and chunk in flight; their watermarks will be ignored. */
  private voidChunk(): void {
    this.table = null;
    this.chunkId = null;
    this.windowOpen = false;
    this.buffer.clear();
    this.chunkPosition = null;
  }

  /** A streamed change: inside the window it supersedes the buffered row with the same key. */
  onChange(t: TableSchema, key: Struct | null): void {
    if (!this.windowOpen || !key || !this.table || t.dataCollection !== this.table.dataCollection) return;
    this.buffer.delete(keyString(t.keyColumns.map((c) => key.get(c.name))));
  }

  /** Whether a chunk should be read now (a snapshot runs and no window is pending). */
  get needsChunk(): boolean {
    return this.state !== null && this.chunkId === null && !this.reading && !this.plan.paused;
  }

  /** Inserts the open watermark, reads the next chunk into the buffer, inserts the close watermark. */
  async readChunk(): Promise<void> {
    if (!this.state) return;
    this.reading = true;
    try {
      const sql = this.sql();
      while (this.state && this.state.collections.length > 0) {
        if (!this.table) await this.openTable();
        if (this.table) break;
      }
      if (!this.state || !this.table) return;
      const t = this.table;
      const keys = t.keyColumns.map((c) => quoteIdent(c.name));
      const tuple = `(${keys.join(', ')})`;
      const params: string[] = [];
      const where: string[] = [];
      if (this.state.lastKey) {
        where.push(
          `${tuple} > (${this.state.lastKey
            .map((v) => {
              params.push(v);
              return `$${params.length}`;
            })
            .join(', ')})`,
        );
      }
      if (this.state.maxKey) {
        where.push(
          `${tuple} <= (${this.state.maxKey
            .map((v) => {
              params.push(v);
              return `$${params.length}`;
            })
            .join(', ')})`,
        );
      }
      const filter = this.plan.current?.condition;
      if (filter) where.push(`(${filter})`);
      const chunkId = randomUUID();
      const cols = t.meta.columns.map((c) => quoteIdent(c.name)).join(', ');
      const openedAt = new Date();
      await sql.query(`INSERT INTO ${this.signalId} VALUES ($1, 'snapshot-window-open', $2)`, [
        `${chunkId}-open`,
        windowOpenData(openedAt),
      ]);
      const r = await sql.query({
        text: `SELECT ${cols} FROM ${quoteIdent(t.meta.schema)}.${quoteIdent(t.meta.table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${keys.join(', ')} LIMIT ${this.settings.incrementalChunkSize}`,
        values: params,
        rowMode: 'array',
      });
      const rows = r.rows as Array<Array<string | null>>;
      this.buffer.clear();
      for (const values of rows) {
        const row = t.row(values, false);
        this.buffer.set(keyString(t.keyColumns.map((c) => row.get(c.name))), row);
      }
      // Progress moves only when the chunk is emitted (closeWindow), so a crash before that re-reads it.
      const last = rows[rows.length - 1];
      this.pendingLastKey = last ? t.keyColumns.map((c) => last[c.sourceIndex] as string) : null;
      const first = rows[0];
      this.chunkPosition = nextChunk(
        this.chunkPosition,
        chunkId,
        first ? t.keyColumns.map((c) => first[c.sourceIndex] as string) : null,
        this.pendingLastKey,
        this.state.lastKey === null,
        this.state.maxKey,
      );
      this.chunkExhaustedTable = rows.length < this.settings.incrementalChunkSize;
      this.chunkId = chunkId;
      this.windowOpen = false;
      await sql.query(`INSERT INTO ${this.signalId} VALUES ($1, 'snapshot-window-close', $2)`, [
        `${chunkId}-close`,
        windowCloseData(openedAt, new Date()),
      ]);
    } finally {
      this.reading = false;
    }
  }

  private chunkExhaustedTable = false;
  private pendingLastKey: string[] | null = null;

  private async openTable(): Promise<void> {
    const name = this.plan.current!.id;
    const [schema, table] = splitCollection(name);
    const oid = await this.sql().query<{ oid: string }>(
      'SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2',
      [schema, table],
    );
    if (oid.rows.length === 0) {
      this.logger.warn({ table: name }, 'Incremental snapshot: table not found; skipped');
      this.nextTable();
      return;
    }
    const meta = await tableMeta(this.sql(), Number(oid.rows[0].oid));
    const t = new TableSchema(
      meta,
      meta.columns.map((c) => ({ name: c.name, typeOid: c.typeOid, typmod: c.typmod })),
      this.types,
      this.settings,
      postgresSourceSchema(this.settings.layout),
    );
    if (t.keyColumns.length === 0) {
      this.logger.warn({ table: name }, 'Incremental snapshot: table has no primary key; skipped');
      this.nextTable();
      return;
    }
    if (this.tables.withoutEstimate().includes(name)) {
      const est = await this.sql().query<{ rows: string }>(
        'SELECT GREATEST(reltuples, 0)::bigint::text AS rows FROM pg_class WHERE oid = $1',
        [Number(oid.rows[0].oid)],
      );
      this.tables.estimate(name, Number(est.rows[0]?.rows ?? 0));
    }
    if (this.state!.maxKey === null) {
      const keys = t.keyColumns.map((c) => quoteIdent(c.name));
      const filter = this.plan.current!.condition;
      const r = await this.sql().query({
        text: `SELECT ${keys.join(', ')} FROM ${quoteIdent(schema)}.${quoteIdent(table)}${filter ? ` WHERE (${filter})` : ''} ORDER BY ${keys.map((k) => `${k} DESC`).join(', ')} LIMIT 1`,
        rowMode: 'array',
      });
      if (r.rows.length === 0) {
        this.nextTable();
        return;
      }
      this.state!.maxKey = (r.rows[0] as string[]).map(String);
    }
    this.table = t;
  }

  private nextTable(): void {
    this.table = null;
    this.chunkPosition = null;
    const name = this.plan.nextTable()?.id;
    if (name !== undefined) this.tables.done(name);
    if (name !== undefined && !this.plan.active) this.finish();
  }

  private finish(): void {
    if (this.phase === 'incremental') this.phase = 'done';
    this.plan.finish();
    this.voidChunk();
  }

  /** Emits what is left of the chunk and moves on. */
  private closeWindow(offset: () => Record<string, unknown>): SourceRecord[] {
    const t = this.table;
    const rows = [...this.buffer.values()];
    this.buffer.clear();
    this.chunkId = null;
    this.windowOpen = false;
    if (this.state && this.pendingLastKey) this.state.lastKey = this.pendingLastKey;
    this.pendingLastKey = null;
    if (this.chunkExhaustedTable) this.nextTable();
    if (!t) return [];
    this.tables.scanned(t.dataCollection, rows.length);
    const ts = nowMicros();
    const o = offset();
    return rows.map((row) =>
      readRecord(
        t,
        {
          partition: { server: this.settings.topicPrefix },
          offset: o,
          source: postgresSource(
            {
              serverName: this.settings.topicPrefix,
              db: this.settings.dbname,
              schema: t.meta.schema,
              table: t.meta.table,
              tsMicros: ts,
              snapshot: 'incremental',
              txId: null,
              lsn: null,
              lastCommitLsn: null,
            },
            this.settings.layout,
          ),
          transactionBlock: () => null,
          tombstonesOnDelete: false,
          skipped: new Set(),
          contextHeaders: this.settings.contextHeaders,
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
