/** The shared incremental snapshot engine over a fake dialect: an in-memory database whose "stream" the test plays. */
import { describe, expect, it, vi } from 'vitest';
import type { SourceOffset, SourceRecord } from '../../../sdk/data.ts';
import type { Logger } from '../../../sdk/logging.ts';
import {
  type ChunkBounds,
  type ChunkFailure,
  type ChunkRow,
  type IncrementalDialect,
  IncrementalSnapshotEngine,
} from './incremental-snapshot-engine.ts';
import { PRIMARY_KEY_KEY } from './incremental-state.ts';

interface Table {
  name: string;
  ids: number[];
  keyless?: boolean;
  version?: number;
}
type Row = { table: string; id: number };
type At = { pos: number };
type Watermark = { id: string; type: string; data: string };

class ServerError extends Error {
  constructor(
    message: string,
    readonly kind: ChunkFailure = 'server',
  ) {
    super(message);
  }
}

/** Conditions the fake database knows: `even`, `id > N`, and `broken` (fails on the server). */
function matches(condition: string | null, id: number): boolean {
  if (condition === null) return true;
  if (condition === 'even') return id % 2 === 0;
  const gt = /^id > (\d+)$/.exec(condition);
  if (gt) return id > Number(gt[1]);
  throw new ServerError(`syntax error near ${condition}`);
}

class FakeDatabase implements IncrementalDialect<Table, Row, At> {
  readonly signalTable = 'inv.signals';
  readonly tables = new Map<string, Table>();
  readonly watermarks: Watermark[] = [];
  readonly reads: ChunkBounds[] = [];
  failNext: ServerError | null = null;
  failWatermark: ServerError | null = null;
  reconnects = 0;
  /** The structure version each chunk was read with (a DDL bumps it). */
  private readonly readVersion = new Map<Table, number>();

  constructor(tables: Table[]) {
    for (const t of tables) this.tables.set(t.name, t);
  }
  capturedTables = () => [...this.tables.keys()];
  table = (name: string) => this.tables.get(name) ?? null;
  /** The fake tables' only other column usable as a surrogate key is `id` itself. */
  keyless = (t: Table, surrogateKey: string | null) => (surrogateKey ? surrogateKey !== 'id' : t.keyless === true);
  maxKey(t: Table, condition: string | null): Promise<string[] | null> {
    const ids = t.ids.filter((id) => matches(condition, id));
    return Promise.resolve(ids.length ? [String(Math.max(...ids))] : null);
  }
  readChunk(t: Table, b: ChunkBounds): Promise<Array<ChunkRow<Row>>> {
    const fail = this.failNext;
    this.failNext = null;
    if (fail) return Promise.reject(fail);
    this.reads.push(b);
    this.readVersion.set(t, t.version ?? 0);
    const rows = [...t.ids]
      .sort((a, b2) => a - b2)
      .filter((id) => (b.after === null || id > Number(b.after[0])) && id <= Number(b.upTo[0]))
      .filter((id) => matches(b.condition, id))
      .slice(0, b.limit);
    return Promise.resolve(rows.map((id) => ({ row: { table: t.name, id }, key: [String(id)], identity: `k${id}` })));
  }
  writeWatermark(id: string, type: string, data: string): Promise<void> {
    const fail = this.failWatermark;
    if (fail) return Promise.reject(fail);
    this.watermarks.push({ id, type, data });
    return Promise.resolve();
  }
  estimateRows = (name: string) => Promise.resolve(this.tables.get(name)?.ids.length ?? null);
  classify = (err: unknown): ChunkFailure => (err instanceof ServerError ? err.kind : 'other');
  reconnect = () => void this.reconnects++;
  stale = (t: Table) => (t.version ?? 0) !== this.readVersion.get(t);
  baseOffset = (at: At): SourceOffset => ({ pos: at.pos });
  records = (t: Table, rows: ReadonlyArray<{ row: Row; offset: SourceOffset }>): SourceRecord[] =>
    rows.map((r) => ({ topic: t.name, key: r.row.id, value: 'r', sourceOffset: r.offset }) as unknown as SourceRecord);
}

const quietLogger = (): Logger & Record<'info' | 'warn' | 'error', ReturnType<typeof vi.fn>> =>
  ({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() }) as never;

function setup(tables: Table[], chunkSize = 10, resumed: SourceOffset | null = null) {
  const db = new FakeDatabase(tables);
  const logger = quietLogger();
  const engine = new IncrementalSnapshotEngine(db, logger, { chunkSize, resumed, retryMs: 60_000 });
  let pos = 0;
  const signal = async (type: string, data: unknown, id = `sig-${++pos}`): Promise<SourceRecord[]> => {
    const out: SourceRecord[] = [];
    await engine.onSignal({ id, type, data: data === null ? null : JSON.stringify(data) }, { pos: ++pos }, out);
    return out;
  };
  /** The stream delivers the last chunk's watermarks; `between` runs inside the window. */
  const deliver = async (between: () => void = () => undefined): Promise<SourceRecord[]> => {
    const [open, close] = db.watermarks.slice(-2);
    const out: SourceRecord[] = [];
    await engine.onSignal({ ...open }, { pos: ++pos }, out);
    between();
    await engine.onSignal({ ...close }, { pos: ++pos }, out);
    return out;
  };
  const chunk = async (between?: () => void): Promise<number[]> => {
    await engine.readChunk();
    return (await deliver(between)).map((r) => r.key as number);
  };
  return { db, engine, logger, signal, deliver, chunk };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('incremental snapshot engine', () => {
  it('evicts buffered rows changed in the stream while the window is open, and only then; rows count as scanned when read (PostgreSQL counted emitted rows)', async () => {
    const { db, engine, signal, deliver } = setup([{ name: 'inv.a', ids: range(1, 5) }]);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    await engine.readChunk();
    expect(db.watermarks.map((w) => w.type)).toEqual(['snapshot-window-open', 'snapshot-window-close']);
    expect(db.watermarks[0].id.replace(/-open$/, '')).toBe(db.watermarks[1].id.replace(/-close$/, ''));
    // Before the open watermark the stream is older than the chunk: nothing is evicted.
    expect(engine.windowTable).toBeNull();
    engine.evict('k1');
    const out = await deliver(() => {
      expect(engine.windowTable).toMatchObject({ name: 'inv.a' });
      engine.evict('k3');
    });
    expect(out.map((r) => r.key)).toEqual([1, 2, 4, 5]);
    expect(engine.active).toBe(false);
    expect(engine.progress()).toMatchObject({ phase: 'done', tablesDone: 1, rowsScanned: 5, rowsEstimated: 5 });
  });

  it('ignores the watermarks of other chunks and empties the window on a TRUNCATE inside it', async () => {
    const { db, engine, signal, deliver } = setup([{ name: 'inv.a', ids: range(1, 3) }]);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    await engine.readChunk();
    expect(await signal('snapshot-window-close', null, 'other-chunk-close')).toEqual([]);
    expect(engine.needsChunk).toBe(false);
    expect(await deliver(() => engine.truncated('inv.a'))).toEqual([]);
    expect(db.reads).toHaveLength(1);
  });

  it('reads chunks in key order from the last key up to the maximum key, offsets in Debezium keys', async () => {
    const { db, engine, signal, chunk } = setup([{ name: 'inv.a', ids: range(1, 5) }], 2);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    expect(await chunk()).toEqual([1, 2]);
    expect(engine.offsetKeys()).toMatchObject({
      [PRIMARY_KEY_KEY]: '["2"]',
      incremental_snapshot_maximum_key: '["5"]',
    });
    expect(engine.progress()?.chunk).toMatchObject({ from: ['1'], to: ['2'], tableFrom: ['1'], tableTo: ['5'] });
    db.tables.get('inv.a')!.ids.push(6); // above the maximum key when the table started: not read
    expect(await chunk()).toEqual([3, 4]);
    expect(engine.progress()?.chunk).toMatchObject({ from: ['3'], to: ['4'], tableFrom: ['1'], tableTo: ['5'] });
    expect(await chunk()).toEqual([5]);
    expect(db.reads.map((b) => b.after)).toEqual([null, ['2'], ['4']]);
    expect(engine.active).toBe(false);
    expect(engine.offsetKeys()).toBeNull();
  });

  it("each record's offset names its own key, so a restart mid-chunk re-reads the rest (PostgreSQL named the chunk's last key and lost it)", async () => {
    const first = setup([{ name: 'inv.a', ids: range(1, 6) }], 4);
    await first.signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    await first.engine.readChunk();
    const out = await first.deliver();
    expect(out.map((r) => r.sourceOffset[PRIMARY_KEY_KEY])).toEqual(['["1"]', '["2"]', '["3"]', '["4"]']);
    expect(out[0].sourceOffset.pos).toBeTypeOf('number');
    // Crash after the record of key 2 was committed: the restart continues after it.
    const again = setup([{ name: 'inv.a', ids: range(1, 6) }], 4, out[1].sourceOffset);
    expect(again.engine.active).toBe(true);
    expect(await again.chunk()).toEqual([3, 4, 5, 6]);
    expect(again.db.reads[0]).toMatchObject({ after: ['2'], upTo: ['6'] });
  });

  it("the last chunk's records still name their table, the next table starts after them", async () => {
    const { engine, signal, chunk } = setup(
      [
        { name: 'inv.a', ids: [1] },
        { name: 'inv.b', ids: [7] },
      ],
      2,
    );
    await signal('execute-snapshot', { 'data-collections': ['inv\\..*'] });
    await engine.readChunk();
    const out: SourceRecord[] = [];
    const wms = (engine as unknown as { dialect: FakeDatabase }).dialect.watermarks;
    await engine.onSignal(wms[0], { pos: 1 }, out);
    await engine.onSignal(wms[1], { pos: 2 }, out);
    expect(JSON.parse(out[0].sourceOffset.incremental_snapshot_collections as string)[0]).toMatchObject({
      incremental_snapshot_collections_id: 'inv.a',
    });
    expect(engine.progress()?.currentTable).toBe('inv.b');
    expect(await chunk()).toEqual([7]);
  });

  it('passes missing, keyless and empty tables inside one window (PostgreSQL closed a window per empty table)', async () => {
    const { db, engine, signal, chunk, logger } = setup([
      { name: 'inv.a', ids: [] },
      { name: 'inv.b', ids: [1, 2], keyless: true },
      { name: 'inv.c', ids: [3] },
      { name: 'inv.d', ids: [4] },
    ]);
    await signal('execute-snapshot', { 'data-collections': ['inv\\..*'] });
    db.tables.delete('inv.d');
    expect(await chunk()).toEqual([3]);
    expect(db.watermarks).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledWith({ table: 'inv.b' }, expect.stringMatching(/no primary key/));
    // After inv.c the last queued table is missing: one more window, empty, and the snapshot ends.
    await engine.readChunk();
    expect(db.watermarks).toHaveLength(4);
    expect(engine.active).toBe(false);
  });

  it('pause-snapshot holds the next chunk, resume-snapshot releases it; stop-snapshot of the current table voids its chunk', async () => {
    const { db, engine, signal, deliver } = setup(
      [
        { name: 'inv.a', ids: range(1, 4) },
        { name: 'inv.b', ids: [9] },
      ],
      2,
    );
    await signal('execute-snapshot', { 'data-collections': ['inv\\..*'] });
    await signal('pause-snapshot', null);
    expect(engine.needsChunk).toBe(false);
    await engine.readChunk();
    expect(db.watermarks).toHaveLength(0);
    await signal('resume-snapshot', null);
    expect(engine.needsChunk).toBe(true);
    await engine.readChunk();
    await signal('stop-snapshot', { 'data-collections': ['inv\\.a'], type: 'incremental' });
    expect(await deliver()).toEqual([]);
    expect(engine.progress()?.tables.map((t) => t.table)).toEqual(['inv.b']);
    await engine.readChunk();
    expect((await deliver()).map((r) => r.key)).toEqual([9]);
    expect(engine.active).toBe(false);
  });

  it('stop-snapshot without collections ends the snapshot and clears its offset keys', async () => {
    const { engine, signal, deliver } = setup([{ name: 'inv.a', ids: range(1, 4) }], 2);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    await engine.readChunk();
    await signal('stop-snapshot', { type: 'INCREMENTAL' });
    expect(await deliver()).toEqual([]);
    expect(engine.active).toBe(false);
    expect(engine.offsetKeys()).toBeNull();
    expect(engine.progress()?.phase).toBe('done');
  });

  it('applies additional conditions to the maximum key and every chunk', async () => {
    const { db, signal, chunk } = setup([{ name: 'inv.a', ids: range(1, 9) }], 2);
    await signal('execute-snapshot', {
      'data-collections': ['inv\\.a'],
      'additional-conditions': [{ 'data-collection': 'inv\\.a', filter: 'even' }],
    });
    expect(await chunk()).toEqual([2, 4]);
    expect(await chunk()).toEqual([6, 8]);
    expect(db.reads.every((b) => b.condition === 'even' && b.upTo[0] === '8')).toBe(true);
  });

  it('refuses a condition with a statement separator for that table (PostgreSQL did not check it)', async () => {
    const { engine, logger, signal } = setup([{ name: 'inv.a', ids: [1] }]);
    await signal('execute-snapshot', {
      'data-collections': ['inv\\.a'],
      'additional-conditions': [{ 'data-collection': 'inv\\.a', filter: "id > 0; DELETE FROM t WHERE x = ';'" }],
    });
    expect(engine.active).toBe(false);
    expect(logger.error).toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/single SQL expression/));
  });

  it('a condition failing on the server skips that table (PostgreSQL failed the task); without a condition the task fails', async () => {
    const { engine, logger, signal, chunk } = setup([
      { name: 'inv.a', ids: [1, 2] },
      { name: 'inv.b', ids: [5] },
    ]);
    await signal('execute-snapshot', {
      'data-collections': ['inv\\..*'],
      'additional-conditions': [{ 'data-collection': 'inv\\.a', filter: 'broken' }],
    });
    expect(await chunk()).toEqual([5]);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ table: 'inv.a' }),
      expect.stringMatching(/table skipped/),
    );

    const plain = setup([{ name: 'inv.a', ids: [1] }]);
    await plain.signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    plain.db.failNext = new ServerError('permission denied for table a');
    await expect(plain.engine.readChunk()).rejects.toThrow(/Incremental snapshot of inv.a failed: permission denied/);
    expect(engine.active).toBe(false);
  });

  it('retries a chunk later after a connection loss or a structure the stream has not reached', async () => {
    const { db, engine, signal, chunk } = setup([{ name: 'inv.a', ids: [1] }]);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    db.failNext = new ServerError('connection lost', 'connection');
    await engine.readChunk();
    expect(db.reconnects).toBe(1);
    expect(engine.needsChunk).toBe(false);
    (engine as unknown as { retryAt: number }).retryAt = 0;
    db.failNext = new ServerError('Unknown column', 'schema-lag');
    await engine.readChunk();
    expect(db.reconnects).toBe(1);
    expect(engine.needsChunk).toBe(false);
    (engine as unknown as { retryAt: number }).retryAt = 0;
    expect(await chunk()).toEqual([1]);
  });

  it('a watermark that cannot be written fails naming the signal table and the grant', async () => {
    const { db, engine, signal } = setup([{ name: 'inv.a', ids: [1] }]);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    db.failWatermark = new ServerError('INSERT command denied');
    await expect(engine.readChunk()).rejects.toThrow(/inv\.signals failed: INSERT command denied .*needs INSERT/);
  });

  it('a chunk whose table changed structure before its close watermark is read again', async () => {
    const { db, signal, chunk } = setup([{ name: 'inv.a', ids: [1, 2], version: 1 }]);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'] });
    expect(await chunk(() => (db.tables.get('inv.a')!.version = 2))).toEqual([]);
    expect(await chunk()).toEqual([1, 2]);
    expect(db.reads.map((b) => b.after)).toEqual([null, null]);
  });

  it("reads a keyless table by the signal's surrogate-key column and keeps the column in the offsets", async () => {
    const { db, engine, logger, signal, chunk } = setup(
      [
        { name: 'inv.a', ids: [3, 1, 2], keyless: true },
        { name: 'inv.b', ids: [1] },
      ],
      2,
    );
    await signal('execute-snapshot', { 'data-collections': ['inv\\.a'], 'surrogate-key': 'id' });
    expect(engine.offsetKeys()?.incremental_snapshot_collections).toContain(
      '"incremental_snapshot_collections_surrogate_key":"id"',
    );
    expect(await chunk()).toEqual([1, 2]);
    expect(db.reads[0].surrogateKey).toBe('id');
    expect(await chunk()).toEqual([3]);
    await signal('execute-snapshot', { 'data-collections': ['inv\\.b'], 'surrogate-key': 'missing' });
    await engine.readChunk();
    expect(engine.active).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      { table: 'inv.b' },
      expect.stringMatching(/no column "missing" \(surrogate-key\)/),
    );
  });
});
