/**
 * Restart: the worker stops mid-stream (including inside a large multi-row transaction) and a new
 * worker on the same data directory resumes from the stored GTID offset; every row change arrives,
 * and the only duplicates are records whose offsets were not yet committed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import type { RunningWorker } from '../../../app/workers.ts';
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
} from './helpers.ts';

let worker: RunningWorker | undefined;
let conn: Connection | undefined;
afterAll(async () => {
  await worker?.stop();
  await conn?.end();
});

async function waitRunningAndCount(w: RunningWorker, topic: string, n: number): Promise<void> {
  await waitFor(
    async () => {
      const st = await connectorStatus(w, 'restart-src');
      if (st.tasks[0]?.state === 'FAILED') throw new Error(`task failed: ${st.tasks[0].trace}`);
      return new Set(readTopic(w, topic).map((r) => r.key.payload.id)).size >= n;
    },
    { what: `${n} distinct ids`, timeoutMs: 60_000 },
  );
}

describe('MySQL source: restart', () => {
  it('resumes from the stored GTID offset without losing changes', async () => {
    const created = await createDatabase('restart');
    conn = created.conn;
    await conn.query('CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(20))');
    const started = await startWorker();
    worker = started.worker;
    await createConnector(worker, 'restart-src', connectorConfig(created.db, started.dir, { 'max.batch.size': '50' }));
    const topic = `dbserver1.${created.db}.items`;
    // Wait for the snapshot to complete (no rows: the schema change record carries the offset).
    await waitFor(() => readTopic(worker!, 'dbserver1').length >= 1, { what: 'snapshot schema record' });
    for (let i = 1; i <= 100; i++) await conn.query('INSERT INTO items VALUES (?, ?)', [i, `v${i}`]);
    // One transaction of 2000 rows in several rows events: the stop lands inside it.
    const values = Array.from({ length: 2000 }, (_, k) => `(${1000 + k}, 'bulk')`).join(',');
    await conn.query(`INSERT INTO items VALUES ${values}`);
    await waitRunningAndCount(worker, topic, 150);
    await worker.stop();

    for (let i = 101; i <= 200; i++) await conn.query('INSERT INTO items VALUES (?, ?)', [i, `v${i}`]);
    await conn.query('UPDATE items SET v = ? WHERE id = 1', ['changed']);

    worker = (await startWorker(started.dir)).worker;
    await waitRunningAndCount(worker, topic, 2200);
    await waitFor(() => readTopic(worker!, topic).some((r) => r.value?.payload.op === 'u'), { what: 'the update' });
    const records = readTopic(worker, topic);
    const ids = records.filter((r) => r.value.payload.op === 'c').map((r) => r.key.payload.id as number);
    const distinct = new Set(ids);
    expect(distinct.size).toBe(2200);
    for (let i = 1; i <= 200; i++) expect(distinct.has(i)).toBe(true);
    for (let k = 0; k < 2000; k++) expect(distinct.has(1000 + k)).toBe(true);
    // Duplicates only from one uncommitted batch (max.batch.size=50, offsets flushed after each batch).
    expect(ids.length - distinct.size).toBeLessThanOrEqual(50);
    const update = records.find((r) => r.value.payload.op === 'u')!;
    expect(update.value.payload.after).toEqual({ id: 1, v: 'changed' });
    // Row order within the bulk transaction is preserved across the restart.
    const bulk = ids.filter((id) => id >= 1000);
    const firstSeen = [...new Set(bulk)];
    expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
  });
});

describe('MySQL source: resume inside a transaction', () => {
  it('continues exactly after the last committed row of a multi-event transaction (offset event/row)', async () => {
    const created = await createDatabase('resume');
    const c = created.conn;
    await c.query('CREATE TABLE bulk (id INT PRIMARY KEY, pad VARCHAR(200))');
    const dir = (await import('node:fs')).mkdtempSync(
      (await import('node:path')).join((await import('node:os')).tmpdir(), 'trib-resume-'),
    );
    const config = connectorConfig(created.db, dir, { 'max.batch.size': '100', 'snapshot.mode': 'no_data' });
    const first = await startTask(config, null, 'resume-1');
    await pollUntil(first.task, (all) => all.some((r) => r.topic === 'dbserver1'));
    // ~5000 rows of 200 bytes: several rows events (8 KiB each) in one transaction.
    const pad = 'x'.repeat(200);
    await c.query(`INSERT INTO bulk VALUES ${Array.from({ length: 5000 }, (_, k) => `(${k}, '${pad}')`).join(',')}`);
    const topic = `dbserver1.${created.db}.bulk`;
    const part1 = (await pollUntil(first.task, (all) => all.filter((r) => r.topic === topic).length >= 1234)).filter(
      (r) => r.topic === topic,
    );
    first.task.stop();
    first.abort.abort();
    const cut = part1[1233];
    const offset = cut.sourceOffset;
    expect(offset.event).toBeGreaterThan(0); // the cut is past the first rows event of the transaction
    expect(offset.row).toBeGreaterThan(0);
    const ids1 = part1.slice(0, 1234).map((r) => (r.key as { get(n: string): unknown }).get('id') as number);
    expect(ids1).toEqual(Array.from({ length: 1234 }, (_, k) => k));

    const second = await startTask(config, offset, 'resume-1');
    const part2 = (
      await pollUntil(second.task, (all) => all.filter((r) => r.topic === topic).length >= 5000 - 1234)
    ).filter((r) => r.topic === topic);
    second.task.stop();
    second.abort.abort();
    const ids2 = part2.map((r) => (r.key as { get(n: string): unknown }).get('id') as number);
    expect(ids2).toEqual(Array.from({ length: 5000 - 1234 }, (_, k) => 1234 + k));
    await c.end();
  });
});
