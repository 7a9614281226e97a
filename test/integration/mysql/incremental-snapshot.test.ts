/**
 * Incremental snapshots on MariaDB: signals inserted into the signal table start, pause, resume and
 * stop a snapshot read in watermarked chunks while the binlog keeps streaming. The final state
 * rebuilt from the records equals the table while a writer inserts, updates and deletes
 * concurrently; a change made inside a chunk's window supersedes the chunk's stale row; additional
 * conditions filter the rows; a worker restart continues the snapshot from the offsets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import type { RunningWorker } from '../../../app/workers.ts';
import type { MysqlSourceTask } from '../../../connectors/mysql/mysql-source-task.ts';
import { waitFor } from '../../helpers/wait.ts';
import {
  connectorConfig,
  connectorStatus,
  createConnector,
  createDatabase,
  pollUntil,
  readTopic,
  startTask,
  startWorker,
  type TopicRecord,
} from './helpers.ts';

const SIGNAL_DDL =
  'CREATE TABLE debezium_signal (id VARCHAR(64) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL)';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'trib-inc-'));
}

async function setup(prefix: string, rows: number): Promise<{ db: string; conn: Connection }> {
  const created = await createDatabase(prefix);
  cleanups.push(() => created.conn.end());
  const conn = created.conn;
  await conn.query(SIGNAL_DDL);
  await conn.query('CREATE TABLE items (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40))');
  for (let start = 1; start <= rows; start += 2000) {
    const end = Math.min(rows, start + 1999);
    const values = Array.from(
      { length: end - start + 1 },
      (_, k) => `(${start + k}, ${(start + k) % 97}, 'row ${start + k}')`,
    ).join(',');
    await conn.query(`INSERT INTO items VALUES ${values}`);
  }
  return created;
}

async function signal(conn: Connection, ...rows: Array<[string, string, unknown]>): Promise<void> {
  await conn.query(
    `INSERT INTO debezium_signal VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`,
    rows.flatMap(([id, type, data]) => [id, type, data === null ? null : JSON.stringify(data)]),
  );
}

interface Row {
  id: number;
  v: number;
  note: string | null;
}
const rowOf = (s: Struct | null): Row | null =>
  s ? { id: Number(s.get('id')), v: Number(s.get('v')), note: s.get('note') as string | null } : null;
/** The change event's op; null for a tombstone and for records that are not change events (schema changes of
 * concurrently running tests reach the schema change topic). */
const opOf = (r: SourceRecord): string | null => {
  const value = r.value as Struct | null;
  return value?.schema.field('op') ? (value.get('op') as string) : null;
};
const snapshotOf = (r: SourceRecord): string => ((r.value as Struct).get('source') as Struct).get('snapshot') as string;
const idOf = (r: SourceRecord): number => Number((r.key as Struct).get('id'));

/** The table as the records describe it: the last event of each key wins, deletes remove. */
function finalState(records: SourceRecord[], topic: string): Map<number, Row> {
  const state = new Map<number, Row>();
  for (const r of records) {
    if (r.topic !== topic || r.value === null) continue;
    const op = opOf(r);
    if (op === 'd') state.delete(idOf(r));
    else state.set(idOf(r), rowOf((r.value as Struct).get('after') as Struct)!);
  }
  return state;
}

async function tableState(conn: Connection, table = 'items'): Promise<Map<number, Row>> {
  const [rows] = (await conn.query(`SELECT id, v, note FROM ${table} ORDER BY id`)) as unknown as [Row[]];
  return new Map(rows.map((r) => [r.id, { id: r.id, v: r.v, note: r.note }]));
}

/** The incremental snapshot of `table` completed (the no_data initial snapshot reports done with no tables). */
const incrementalDone = (task: MysqlSourceTask, table: string): boolean => {
  const p = task.snapshotProgress();
  return p.phase === 'done' && p.tables.some((t) => t.table === table);
};

/** Every record of a topic: readTopic stops at one read's byte budget, this pages to the end. */
function readAll(worker: RunningWorker, topic: string): TopicRecord[] {
  const out: TopicRecord[] = [];
  if (!worker.embedded.log.listTopics().some((t: { name: string }) => t.name === topic)) return out;
  for (;;) {
    const page = worker.embedded.log.read({ topic, partition: 0 }, out.length, { maxRecords: 5000 });
    if (page.length === 0) return out;
    for (const r of page) {
      out.push({
        rawKey: r.key?.toString('utf8') ?? null,
        rawValue: r.value?.toString('utf8') ?? null,
        key: r.key ? JSON.parse(r.key.toString('utf8')) : null,
        value: r.value ? JSON.parse(r.value.toString('utf8')) : null,
        headers: {},
      });
    }
  }
}

async function startDirect(db: string, extra: Record<string, string>): Promise<MysqlSourceTask> {
  const config = connectorConfig(db, tmpDir(), {
    'snapshot.mode': 'no_data',
    'table.include.list': `${db}\\.items,${db}\\.other`,
    'signal.data.collection': `${db}.debezium_signal`,
    'max.batch.size': '500',
    ...extra,
  });
  const { task, abort } = await startTask(config, null, `inc-${db}`);
  cleanups.push(() => {
    task.stop();
    abort.abort();
  });
  // The schema records of the no_data snapshot come first.
  await pollUntil(task, (all) => all.some((r) => r.topic === 'dbserver1'));
  return task;
}

describe('MySQL source: incremental snapshot', () => {
  it('snapshots a table while a writer inserts, updates and deletes: the final state equals the table', async () => {
    const { db, conn } = await setup('inc_conc', 12000);
    const task = await startDirect(db, { 'incremental.snapshot.chunk.size': '700' });
    const topic = `dbserver1.${db}.items`;
    await signal(conn, ['ad-hoc-1', 'execute-snapshot', { 'data-collections': [`${db}.items`], type: 'incremental' }]);

    let writing = true;
    let writes = 0;
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Besides the free-running writer, each chunk gets changes to its own rows between its SELECT
    // and its close watermark, so every window has something to deduplicate.
    const inc = (
      task as unknown as {
        incremental: { engine: { nextChunk: (...a: unknown[]) => Promise<{ end: string[] } | null> } };
      }
    ).incremental.engine;
    const original = inc.nextChunk.bind(inc);
    let inWindow = 0;
    inc.nextChunk = async (...a: unknown[]) => {
      const chunk = await original(...a);
      if (chunk) {
        for (let i = 0; i < 4; i++) {
          const id = Math.max(1, Number(chunk.end[0]) - rnd(700));
          if (i % 2 === 0) await conn.query("UPDATE items SET v = v + 1000, note = 'in window' WHERE id = ?", [id]);
          else await conn.query('DELETE FROM items WHERE id = ?', [id]);
          inWindow++;
        }
      }
      return chunk;
    };
    const writer = (async () => {
      let next = 20001;
      while (writing) {
        const k = rnd(3);
        const id = 1 + rnd(12000);
        if (k === 0) await conn.query('INSERT INTO items VALUES (?, ?, ?)', [next++, rnd(1000), 'new']);
        else if (k === 1) await conn.query("UPDATE items SET v = v + 1, note = 'updated' WHERE id = ?", [id]);
        else await conn.query('DELETE FROM items WHERE id = ?', [id]);
        writes++;
      }
    })();
    const records: SourceRecord[] = [];
    try {
      await waitFor(
        async () => {
          const batch = await task.poll();
          if (batch) records.push(...batch);
          return incrementalDone(task, `${db}.items`);
        },
        { what: 'the incremental snapshot to complete', timeoutMs: 120_000, intervalMs: 1 },
      );
    } finally {
      writing = false;
      await writer;
    }
    expect(writes).toBeGreaterThan(0);
    expect(inWindow).toBeGreaterThan(40);
    await conn.query("INSERT INTO items VALUES (999999, 0, 'sentinel')");
    records.push(
      ...(await pollUntil(task, (all) => all.some((r) => r.topic === topic && r.key !== null && idOf(r) === 999999))),
    );

    const reads = records.filter((r) => r.topic === topic && opOf(r) === 'r');
    expect(reads.length).toBeGreaterThan(5000);
    expect(reads.every((r) => snapshotOf(r) === 'incremental')).toBe(true);
    // No key is read twice (each key lies in exactly one chunk).
    expect(new Set(reads.map(idOf)).size).toBe(reads.length);
    // Streaming never stopped: changes were emitted between the chunks.
    const readAt = records.map((r, i) => (r.topic === topic && opOf(r) === 'r' ? i : -1)).filter((i) => i >= 0);
    expect(records.slice(readAt[0], readAt[readAt.length - 1]).some((r) => r.topic === topic && opOf(r) !== 'r')).toBe(
      true,
    );
    expect(finalState(records, topic)).toEqual(await tableState(conn));

    const progress = task.snapshotProgress();
    expect(progress).toMatchObject({ phase: 'done', tablesTotal: 1, tablesDone: 1, currentTable: null });
    expect(progress.tables[0]).toMatchObject({ table: `${db}.items`, done: true });
    // Rows read by a chunk but changed inside its window are scanned, not emitted.
    expect(progress.rowsScanned).toBeGreaterThanOrEqual(reads.length);
    expect(progress.rowsEstimated).toBeGreaterThan(0);
  }, 180_000);

  it('a change committed inside a chunk window supersedes the stale row read by the chunk', async () => {
    const { db, conn } = await setup('inc_window', 300);
    const task = await startDirect(db, { 'incremental.snapshot.chunk.size': '100' });
    const topic = `dbserver1.${db}.items`;
    // Between the chunk's SELECT and its close watermark, row 5 changes, row 7 goes away, row 9 changes key:
    // the chunk holds their old images, the binlog has the changes inside the window.
    const inc = (task as unknown as { incremental: { engine: { nextChunk: (...a: unknown[]) => Promise<unknown> } } })
      .incremental.engine;
    const original = inc.nextChunk.bind(inc);
    let injected = false;
    const chunkAttributes: unknown[] = [];
    inc.nextChunk = async (...a: unknown[]) => {
      const chunk = await original(...a);
      chunkAttributes.push(task.snapshotProgress().chunk);
      if (!injected) {
        injected = true;
        await conn.query("UPDATE items SET v = 5000, note = 'in window' WHERE id = 5");
        await conn.query('DELETE FROM items WHERE id = 7');
        // A key change: the delete of key 9 evicts the chunk's row 9.
        await conn.query('UPDATE items SET id = 100009 WHERE id = 9');
      }
      return chunk;
    };
    await signal(conn, ['ad-hoc-2', 'execute-snapshot', { 'data-collections': [`${db}\\.ite.*`] }]);
    const records = await pollUntil(task, () => incrementalDone(task, `${db}.items`), 60_000);
    expect(injected).toBe(true);
    const reads = records.filter((r) => r.topic === topic && opOf(r) === 'r');
    expect(reads.map(idOf)).toEqual(
      Array.from({ length: 300 }, (_, k) => k + 1).filter((id) => id !== 5 && id !== 7 && id !== 9),
    );
    const five = records.filter((r) => r.topic === topic && r.key !== null && idOf(r) === 5 && r.value !== null);
    expect(five.map(opOf)).toEqual(['u']);
    expect(rowOf((five[0].value as Struct).get('after') as Struct)).toEqual({ id: 5, v: 5000, note: 'in window' });
    expect(finalState(records, topic)).toEqual(await tableState(conn));
    // The first read row of each chunk carries the close watermark's binlog position and its own key.
    const offset = reads[0].sourceOffset;
    expect(offset).toMatchObject({
      incremental_snapshot_primary_key: '["1"]',
      incremental_snapshot_maximum_key: '["300"]',
      incremental_snapshot_correlation_id: 'ad-hoc-2',
    });
    expect(JSON.parse(offset.incremental_snapshot_collections as string)).toEqual([
      {
        incremental_snapshot_collections_id: `${db}.items`,
        incremental_snapshot_collections_additional_condition: null,
        incremental_snapshot_collections_surrogate_key: null,
      },
    ]);
    expect(typeof offset.file).toBe('string');
    // The snapshot bean's chunk attributes per chunk read (Debezium's currentChunk): TableFrom/TableTo from the first chunk, all cleared once the table is done.
    const uuid = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(chunkAttributes).toEqual([
      { id: uuid, from: ['1'], to: ['100'], tableFrom: ['1'], tableTo: ['300'] },
      { id: uuid, from: ['101'], to: ['200'], tableFrom: ['1'], tableTo: ['300'] },
      { id: uuid, from: ['201'], to: ['300'], tableFrom: ['1'], tableTo: ['300'] },
      null,
    ]);
    // The streaming bean's LastEvent/SourceEventPosition describe the last streamed change (the key change of row 9: its create of 100009).
    const streaming = (
      task as unknown as { streamingStats: { lastEvent: string | null; sourceEventPosition: Record<string, string> } }
    ).streamingStats;
    expect(streaming.sourceEventPosition).toEqual({
      file: expect.any(String),
      pos: expect.stringMatching(/^\d+$/),
      row: '0',
    });
    const p = streaming.sourceEventPosition;
    expect(streaming.lastEvent).toBe(`position: {file: ${p.file}, pos: ${p.pos}, row: ${p.row}}, key: {"id" : 100009}`);
  }, 90_000);

  it('a table altered while a chunk window is open: the chunk is read again with the new structure', async () => {
    const { db, conn } = await setup('inc_ddl', 400);
    const task = await startDirect(db, { 'incremental.snapshot.chunk.size': '100' });
    const topic = `dbserver1.${db}.items`;
    const inc = (task as unknown as { incremental: { engine: { nextChunk: (...a: unknown[]) => Promise<unknown> } } })
      .incremental.engine;
    const original = inc.nextChunk.bind(inc);
    let calls = 0;
    inc.nextChunk = async (...a: unknown[]) => {
      const chunk = await original(...a);
      if (++calls === 2) await conn.query('ALTER TABLE items ADD COLUMN extra INT NOT NULL DEFAULT 7');
      return chunk;
    };
    await signal(conn, ['ad-hoc-ddl', 'execute-snapshot', { 'data-collections': [`${db}.items`] }]);
    const records = await pollUntil(task, () => incrementalDone(task, `${db}.items`), 60_000);
    expect(calls).toBeGreaterThan(2);
    const reads = records.filter((r) => r.topic === topic && opOf(r) === 'r');
    expect(reads.map(idOf)).toEqual(Array.from({ length: 400 }, (_, k) => k + 1));
    const afterOf = (r: SourceRecord) => (r.value as Struct).get('after') as Struct;
    // Rows 1-100 were emitted before the ALTER; the voided chunk (101-200) and the rest carry the new column.
    expect(reads.slice(0, 100).every((r) => afterOf(r).schema.field('extra') === undefined)).toBe(true);
    expect(reads.slice(100).every((r) => afterOf(r).get('extra') === 7)).toBe(true);
  }, 90_000);

  it("a TRUNCATE inside a chunk window drops the chunk's rows", async () => {
    const { db, conn } = await setup('inc_trunc', 250);
    const task = await startDirect(db, { 'incremental.snapshot.chunk.size': '100' });
    const topic = `dbserver1.${db}.items`;
    const inc = (task as unknown as { incremental: { engine: { nextChunk: (...a: unknown[]) => Promise<unknown> } } })
      .incremental.engine;
    const original = inc.nextChunk.bind(inc);
    let calls = 0;
    inc.nextChunk = async (...a: unknown[]) => {
      const chunk = await original(...a);
      if (++calls === 2) await conn.query('TRUNCATE TABLE items');
      return chunk;
    };
    await signal(conn, ['ad-hoc-tr', 'execute-snapshot', { 'data-collections': [`${db}.items`] }]);
    const records = await pollUntil(task, () => incrementalDone(task, `${db}.items`), 60_000);
    // The first chunk was emitted before the TRUNCATE; the second was read before it and is dropped.
    expect(records.filter((r) => r.topic === topic && opOf(r) === 'r').map(idOf)).toEqual(
      Array.from({ length: 100 }, (_, k) => k + 1),
    );
    expect(task.snapshotProgress().tables[0]).toMatchObject({ rowsScanned: 200, done: true });
  }, 60_000);

  it('refuses to start when the signal table is missing or has other columns', async () => {
    const { db, conn } = await setup('inc_nosig', 0);
    const base = { 'snapshot.mode': 'no_data', 'table.include.list': `${db}\\.items` };
    await expect(
      startTask(
        connectorConfig(db, tmpDir(), { ...base, 'signal.data.collection': `${db}.missing_signal` }),
        null,
        `inc-nosig-${db}`,
      ),
    ).rejects.toThrow(/signal\.data\.collection=.*missing_signal: the table does not exist.*CREATE TABLE/);
    await conn.query('CREATE TABLE bad_signal (k VARCHAR(64) PRIMARY KEY, type VARCHAR(32))');
    await expect(
      startTask(
        connectorConfig(db, tmpDir(), { ...base, 'signal.data.collection': `${db}.bad_signal` }),
        null,
        `inc-nosig-${db}`,
      ),
    ).rejects.toThrow(/has columns \(k, type\); a signal table needs id, type, data/);
  }, 60_000);

  it('applies additional-conditions to the rows read', async () => {
    const { db, conn } = await setup('inc_cond', 1000);
    const task = await startDirect(db, { 'incremental.snapshot.chunk.size': '64' });
    const topic = `dbserver1.${db}.items`;
    await signal(conn, [
      'ad-hoc-3',
      'execute-snapshot',
      {
        'data-collections': [`${db}.items`],
        'additional-conditions': [{ 'data-collection': `${db}.items`, filter: 'v < 10 AND id > 100' }],
      },
    ]);
    const records = await pollUntil(task, () => incrementalDone(task, `${db}.items`), 60_000);
    const reads = records.filter((r) => r.topic === topic && opOf(r) === 'r');
    const expected = [...(await tableState(conn)).values()].filter((r) => r.v < 10 && r.id > 100).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(reads.map(idOf)).toEqual(expected);
    expect(
      JSON.parse(reads[0].sourceOffset.incremental_snapshot_collections as string)[0]
        .incremental_snapshot_collections_additional_condition,
    ).toBe('v < 10 AND id > 100');
  }, 90_000);

  it("reads a table without a primary key in the order of the signal's surrogate-key column", async () => {
    const { db, conn } = await setup('inc_surr', 0);
    await conn.query('CREATE TABLE other (seq INT NOT NULL, v INT NOT NULL)');
    const seqs = Array.from({ length: 150 }, (_, k) => 150 - k);
    await conn.query(`INSERT INTO other VALUES ${seqs.map((n) => `(${n}, ${n * 10})`).join(', ')}`);
    const task = await startDirect(db, { 'incremental.snapshot.chunk.size': '64' });
    await signal(conn, [
      'ad-hoc-s',
      'execute-snapshot',
      { 'data-collections': [`${db}.other`], 'surrogate-key': 'seq' },
    ]);
    const records = await pollUntil(task, () => incrementalDone(task, `${db}.other`), 60_000);
    const reads = records.filter((r) => r.topic === `dbserver1.${db}.other` && opOf(r) === 'r');
    const seqOf = (r: SourceRecord) => ((r.value as Struct).get('after') as Struct).get('seq');
    expect(reads.map(seqOf)).toEqual(Array.from({ length: 150 }, (_, k) => k + 1));
    expect(reads[99].sourceOffset.incremental_snapshot_primary_key).toBe('["100"]');
    expect(
      JSON.parse(reads[0].sourceOffset.incremental_snapshot_collections as string)[0]
        .incremental_snapshot_collections_surrogate_key,
    ).toBe('seq');
  }, 90_000);

  it('pause-snapshot, stop-snapshot and resume-snapshot: a stopped table is not read, the others are', async () => {
    const { db, conn } = await setup('inc_stop', 500);
    await conn.query('CREATE TABLE other (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40))');
    await conn.query("INSERT INTO other SELECT id, v, 'other' FROM items WHERE id <= 200");
    const task = await startDirect(db, { 'incremental.snapshot.chunk.size': '50' });
    // One statement: the snapshot is requested and paused before its first chunk.
    await signal(
      conn,
      ['ad-hoc-4', 'execute-snapshot', { 'data-collections': [`${db}\\.(items|other)`] }],
      ['p-1', 'pause-snapshot', null],
    );
    await pollUntil(task, () => task.snapshotProgress().phase === 'incremental');
    expect(task.snapshotProgress()).toMatchObject({ tablesTotal: 2, tablesDone: 0, rowsScanned: 0 });
    await signal(conn, ['s-1', 'stop-snapshot', { 'data-collections': [`${db}.items`], type: 'INCREMENTAL' }]);
    await pollUntil(task, () => task.snapshotProgress().tablesTotal === 1);
    await signal(conn, ['r-1', 'resume-snapshot', null]);
    const records = await pollUntil(task, () => incrementalDone(task, `${db}.other`), 60_000);
    expect(records.filter((r) => r.topic === `dbserver1.${db}.items` && opOf(r) === 'r')).toHaveLength(0);
    expect(records.filter((r) => r.topic === `dbserver1.${db}.other` && opOf(r) === 'r').map(idOf)).toEqual(
      Array.from({ length: 200 }, (_, k) => k + 1),
    );
    expect(task.snapshotProgress()).toMatchObject({
      phase: 'done',
      tablesTotal: 1,
      tablesDone: 1,
      rowsScanned: 200,
      tables: [{ table: `${db}.other`, rowsScanned: 200, done: true }],
    });

    // stop-snapshot without data-collections stops everything, mid-table.
    await signal(
      conn,
      ['ad-hoc-5', 'execute-snapshot', { 'data-collections': [`${db}.items`] }],
      ['p-2', 'pause-snapshot', null],
      ['s-2', 'stop-snapshot', null],
    );
    await conn.query("INSERT INTO items VALUES (777777, 1, 'after stop')");
    const after = await pollUntil(task, (all) =>
      all.some((r) => r.topic === `dbserver1.${db}.items` && r.key !== null && idOf(r) === 777777),
    );
    expect(after.filter((r) => opOf(r) === 'r')).toHaveLength(0);
    expect(after[after.length - 1].sourceOffset.incremental_snapshot_collections).toBeUndefined();
  }, 90_000);
});

describe('MySQL source: incremental snapshot key order', () => {
  it('pages composite keys in collation order and binary keys in byte order, each row once', async () => {
    const { db, conn } = await setup('inc_keys', 0);
    await conn.query(
      'CREATE TABLE other (region VARCHAR(20) COLLATE utf8mb4_general_ci, n INT, v INT, PRIMARY KEY (region, n))',
    );
    const regions = ['a', 'B', 'c', 'Éa', 'e', 'ß', 'Z', 'zz', "O'Hara", ''];
    await conn.query(
      `INSERT INTO other VALUES ${regions.flatMap((r, i) => [1, 2, 3, 10].map((n) => `(${conn.escape(r)}, ${n}, ${i})`)).join(',')}`,
    );
    await conn.query('CREATE TABLE items2 (k VARBINARY(8) PRIMARY KEY, v INT)');
    const keys = [[0], [0, 0], [1], [0x7f], [0x80], [0xff], [0xff, 0], [0x41], [0x61], [0x20]].map((b) =>
      Buffer.from(b),
    );
    for (const [i, k] of keys.entries()) await conn.query('INSERT INTO items2 VALUES (?, ?)', [k, i]);
    const task = await startDirect(db, {
      'incremental.snapshot.chunk.size': '3',
      'table.include.list': `${db}\\.other,${db}\\.items2`,
    });
    await signal(conn, ['ad-hoc-k', 'execute-snapshot', { 'data-collections': [`${db}.other`, `${db}.items2`] }]);
    const records = await pollUntil(
      task,
      () => incrementalDone(task, `${db}.items2`) && task.snapshotProgress().tablesDone === 2,
      60_000,
    );
    const reads = (t: string) =>
      records.filter((r) => r.topic === `dbserver1.${db}.${t}` && opOf(r) === 'r').map((r) => r.key as Struct);
    const pairs = reads('other').map((k) => `${k.get('region') as string}/${String(k.get('n'))}`);
    const [ordered] = (await conn.query('SELECT region, n FROM other ORDER BY region, n')) as unknown as [
      Array<{ region: string; n: number }>,
    ];
    expect(pairs).toEqual(ordered.map((r) => `${r.region}/${r.n}`));
    const bins = reads('items2').map((k) => Buffer.from(k.get('k') as Uint8Array).toString('hex'));
    expect(bins).toEqual(keys.map((k) => k.toString('hex')).sort());
  }, 90_000);
});

describe('MySQL source: initial snapshot progress', () => {
  it('reports tables, rows scanned and estimates while the initial snapshot runs and after it', async () => {
    const { db, conn } = await setup('inc_initial', 3000);
    await conn.query('CREATE TABLE other (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40))');
    await conn.query('INSERT INTO other SELECT id, v, note FROM items WHERE id <= 500');
    await conn.query('ANALYZE TABLE items, other');
    const config = connectorConfig(db, tmpDir(), {
      'table.include.list': `${db}\\.items,${db}\\.other`,
      'max.batch.size': '200',
    });
    const { task, abort } = await startTask(config, null, `inc-initial-${db}`);
    cleanups.push(() => {
      task.stop();
      abort.abort();
    });
    const first = task.snapshotProgress();
    expect(first).toMatchObject({ phase: 'initial', tablesTotal: 2, tablesDone: 0, rowsScanned: 0 });
    expect(first.tables.map((t) => t.table)).toEqual([`${db}.items`, `${db}.other`]);
    expect(first.rowsEstimated).toBeGreaterThan(0);
    await pollUntil(
      task,
      (all) => all.filter((r) => r.topic === `dbserver1.${db}.items` && opOf(r) === 'r').length >= 400,
    );
    const during = task.snapshotProgress();
    expect(during.phase).toBe('initial');
    expect(during.currentTable).toBe(`${db}.items`);
    expect(during.rowsScanned).toBeGreaterThanOrEqual(400);
    await pollUntil(task, () => task.snapshotProgress().phase === 'done', 60_000);
    expect(task.snapshotProgress()).toMatchObject({
      phase: 'done',
      tablesTotal: 2,
      tablesDone: 2,
      rowsScanned: 3500,
      currentTable: null,
      tables: [
        { table: `${db}.items`, rowsScanned: 3000, done: true },
        { table: `${db}.other`, rowsScanned: 500, done: true },
      ],
    });
  }, 90_000);
});

describe('MySQL source: incremental snapshot across a worker restart', () => {
  let worker: RunningWorker | undefined;
  afterAll(async () => {
    await worker?.stop();
  });

  it('continues the table from the offsets after the worker restarts', async () => {
    const { db, conn } = await setup('inc_restart', 20000);
    const started = await startWorker();
    worker = started.worker;
    const config = connectorConfig(db, started.dir, {
      'snapshot.mode': 'no_data',
      'table.include.list': `${db}\\.items`,
      'signal.data.collection': `${db}.debezium_signal`,
      'incremental.snapshot.chunk.size': '100',
      'max.batch.size': '100',
    });
    await createConnector(worker, 'inc-restart', config);
    const topic = `dbserver1.${db}.items`;
    await waitFor(() => readTopic(worker!, 'dbserver1').length >= 1, { what: 'the schema records' });
    await signal(conn, ['ad-hoc-6', 'execute-snapshot', { 'data-collections': [`${db}.items`] }]);
    const reads = () => readAll(worker!, topic).filter((r) => r.value?.payload.op === 'r');
    await waitFor(
      async () => {
        const st = await connectorStatus(worker!, 'inc-restart');
        if (st.tasks[0]?.state === 'FAILED') throw new Error(`task failed: ${st.tasks[0].trace}`);
        return reads().length >= 1500;
      },
      { what: '1500 snapshot rows', timeoutMs: 60_000, intervalMs: 10 },
    );
    const firstRun = reads().length;
    await worker.stop();
    // Stopped mid-snapshot (the guard keeps the test honest).
    expect(firstRun).toBeLessThan(20000);
    await conn.query("UPDATE items SET note = 'while stopped' WHERE id IN (1, 19999)");
    await conn.query('DELETE FROM items WHERE id = 20000');

    worker = (await startWorker(started.dir)).worker;
    await waitFor(
      async () => {
        const st = await connectorStatus(worker!, 'inc-restart');
        if (st.tasks[0]?.state === 'FAILED') throw new Error(`task failed: ${st.tasks[0].trace}`);
        return new Set(reads().map((r) => r.key.payload.id)).size >= 19999;
      },
      { what: 'every row read', timeoutMs: 120_000, intervalMs: 500 },
    );
    const all = reads().map((r) => r.key.payload.id as number);
    const distinct = new Set(all);
    expect(distinct.size).toBe(19999);
    expect(distinct.has(20000)).toBe(false);
    // The second run continued where the first stopped: only rows of uncommitted offsets are read twice.
    expect(all.length - distinct.size).toBeLessThanOrEqual(200);
    // Final state from the topic equals the table.
    await conn.query("INSERT INTO items VALUES (999999, 0, 'sentinel')");
    await waitFor(() => readAll(worker!, topic).some((r) => r.key?.payload.id === 999999), {
      what: 'the sentinel row',
    });
    const state = new Map<number, Row>();
    for (const r of readAll(worker, topic)) {
      if (!r.value) continue;
      if (r.value.payload.op === 'd') state.delete(r.key.payload.id);
      else state.set(r.key.payload.id, r.value.payload.after as Row);
    }
    expect(state).toEqual(await tableState(conn));
  }, 240_000);
});
