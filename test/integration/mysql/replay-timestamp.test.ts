/**
 * Replay of a MySQL/MariaDB source from a point in time: PATCH /connectors/<name>/offsets with
 * {"timestamp": …} on the stopped connector finds the first binlog transaction at or after it (in a
 * later binlog file than the one it started in) and the resumed connector reads everything from
 * there again — the changes after the timestamp twice, those before it once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import type { RunningWorker } from '../../../app/workers.ts';
import { waitFor } from '../../helpers/wait.ts';
import {
  connectorConfig,
  connectorStatus,
  createConnector,
  createDatabase,
  readTopic,
  startWorker,
} from './helpers.ts';

let worker: RunningWorker | undefined;
let conn: Connection | undefined;
afterAll(async () => {
  await worker?.stop();
  await conn?.end();
});

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(worker!.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('MySQL source: replay from a timestamp', () => {
  it('re-reads the binlog from the first transaction at or after the timestamp', async () => {
    const created = await createDatabase('replay');
    conn = created.conn;
    await conn.query('CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(20))');
    const started = await startWorker();
    worker = started.worker;
    const name = 'replay-src';
    await createConnector(worker, name, connectorConfig(created.db, started.dir));
    const topic = `dbserver1.${created.db}.items`;
    await waitFor(() => readTopic(worker!, 'dbserver1').length >= 1, { what: 'snapshot schema record' });

    for (let i = 1; i <= 20; i++) await conn.query('INSERT INTO items VALUES (?, ?)', [i, 'before']);
    // Binlog timestamps are whole seconds: the replay point is in a later second than every change before it.
    const lastBefore = Date.now();
    await waitFor(() => Math.floor(Date.now() / 1000) > Math.floor(lastBefore / 1000), { what: 'the next second' });
    const replayFrom = new Date();
    const [[status]] = (await conn.query('SHOW MASTER STATUS')) as unknown as [Array<{ File: string }>];
    await conn.query('FLUSH BINARY LOGS');
    for (let i = 101; i <= 130; i++) await conn.query('INSERT INTO items VALUES (?, ?)', [i, 'after']);
    await conn.query('UPDATE items SET v = ? WHERE id = 101', ['changed']);

    const creates = (id: number) =>
      readTopic(worker!, topic).filter((r) => r.value?.payload.op === 'c' && r.key.payload.id === id).length;
    await waitFor(() => readTopic(worker!, topic).length >= 51, {
      timeoutMs: 60_000,
      what: 'every change captured once',
    });

    // Only a stopped connector's offsets move, as with Kafka Connect's offsets API.
    expect((await api('PATCH', `/connectors/${name}/offsets`, { timestamp: replayFrom.toISOString() })).status).toBe(
      400,
    );
    expect((await api('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    const replay = await api('PATCH', `/connectors/${name}/offsets`, { timestamp: replayFrom.toISOString() });
    expect(replay.status).toBe(200);
    process.stderr.write(`mysql replay: ${replay.body.message}\n`);
    // The shared server's binlog also holds other tests' transactions after the timestamp.
    expect(replay.body.redelivery.records).toBeGreaterThanOrEqual(31);
    const [part] = replay.body.redelivery.partitions as Array<{
      partition: { server: string };
      offset: { file: string; pos: number; gtids?: string };
      transactions: number;
      rows_events: number;
    }>;
    expect(part.partition).toEqual({ server: 'dbserver1' });
    expect(part.rows_events).toBeGreaterThanOrEqual(31);
    expect(replay.body.message).toMatch(/transaction\(s\) with \d+ rows event\(s\) from binlog \S+ position \d+/);
    // Found in a binlog file started after the timestamp, not the one current at that time.
    expect(part.offset.file > status.File).toBe(true);
    expect((await api('GET', `/connectors/${name}/offsets`)).body.offsets[0].offset).toMatchObject({
      file: part.offset.file,
      pos: part.offset.pos,
    });

    expect((await api('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await waitFor(
      async () => {
        const st = await connectorStatus(worker!, name);
        if (st.tasks[0]?.state === 'FAILED') throw new Error(`task failed: ${st.tasks[0].trace}`);
        return Array.from({ length: 30 }, (_x, i) => creates(101 + i)).every((n) => n === 2);
      },
      { timeoutMs: 60_000, what: 'the changes after the timestamp read again' },
    );
    await waitFor(() => readTopic(worker!, topic).filter((r) => r.value?.payload.op === 'u').length === 2, {
      timeoutMs: 30_000,
      what: 'the update read again',
    });
    for (let i = 1; i <= 20; i++) expect(creates(i)).toBe(1);
  }, 120_000);

  it('is refused for source connectors that cannot read their history from a point in time', async () => {
    if (!worker) worker = (await startWorker()).worker;
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'trib-replay-'));
    expect(
      (
        await api('POST', '/connectors', {
          name: 'replay-file',
          config: { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), topic: 'replay-file' },
        })
      ).status,
    ).toBe(201);
    expect((await api('PUT', '/connectors/replay-file/stop')).status).toBe(204);
    const res = await api('PATCH', '/connectors/replay-file/offsets', { timestamp: '2026-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/does not offer it \(the MySQL source does, from the binlog\)/);
  });
});
