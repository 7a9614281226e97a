/**
 * message.key.columns (custom message keys) and snapshot progress: Debezium's snapshot MBean read
 * through /jolokia and /metrics, and the progress in the task status.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createPgTestDb, startDirectTask, startWorker, type PgTestDb } from './helpers.ts';

const dbs: PgTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

const keyOf = (r: SourceRecord): Record<string, unknown> => {
  const k = r.key as Struct;
  return Object.fromEntries(k.schema.fields.map((f) => [f.name, k.get(f.name)]));
};

describe('PostgreSQL message.key.columns', () => {
  it('keys listed tables by the named columns, in snapshot and streaming, also tables without a primary key', async () => {
    const db = await createPgTestDb('pgkeys');
    dbs.push(db);
    await db.query(
      'CREATE TABLE public.orders (id int PRIMARY KEY, region text NOT NULL, code text NOT NULL, note text)',
    );
    await db.query('ALTER TABLE public.orders REPLICA IDENTITY FULL');
    await db.query('CREATE TABLE public.nokey (a int, b text)');
    await db.query("INSERT INTO public.orders VALUES (1, 'eu', 'A1', 'x')");
    const task = await startDirectTask(
      db.connectorConfig({ 'message.key.columns': 'public.orders:code,region;public\\.nokey:b' }),
      null,
    );
    try {
      const snap = await task.pollUntil(1);
      expect(snap).toHaveLength(1);
      expect(snap[0].keySchema!.fields.map((f) => f.name)).toEqual(['region', 'code']);
      expect(keyOf(snap[0])).toEqual({ region: 'eu', code: 'A1' });
      await db.query("INSERT INTO public.nokey VALUES (7, 'bee')");
      await db.query("UPDATE public.orders SET code = 'A2' WHERE id = 1");
      const rs = await task.pollUntil(4);
      // nokey insert; the key change of orders: delete + tombstone + create.
      expect(rs.map((r) => (r.value === null ? 'tombstone' : ((r.value as Struct).get('op') as string)))).toEqual([
        'c',
        'd',
        'tombstone',
        'c',
      ]);
      expect(keyOf(rs[0])).toEqual({ b: 'bee' });
      expect(keyOf(rs[1])).toEqual({ region: 'eu', code: 'A1' });
      expect(keyOf(rs[3])).toEqual({ region: 'eu', code: 'A2' });
    } finally {
      await task.stop();
    }
  });

  it('refuses a malformed setting and names an unknown column with the fix', async () => {
    const db = await createPgTestDb('pgkeys2');
    dbs.push(db);
    await db.query('CREATE TABLE public.t (id int PRIMARY KEY)');
    await expect(startDirectTask(db.connectorConfig({ 'message.key.columns': 'public.t' }), null)).rejects.toThrow(
      /message\.key\.columns.*<fully-qualified table>:<column>/,
    );
    await db.query('INSERT INTO public.t VALUES (1)');
    const task = await startDirectTask(db.connectorConfig({ 'message.key.columns': 'public.t:nope' }), null);
    try {
      await expect(task.pollUntil(1)).rejects.toThrow(
        /names column nope, which table public\.t does not have \(columns: id\)/,
      );
    } finally {
      await task.stop();
    }
  });
});

describe('PostgreSQL snapshot progress', () => {
  it('reports tables and rows scanned against the estimates in the snapshot MBean, /metrics and the task status', async () => {
    const db = await createPgTestDb('pgprogress');
    dbs.push(db);
    await db.query('CREATE TABLE public.big (id int PRIMARY KEY, v text)');
    await db.query('CREATE TABLE public.small (id int PRIMARY KEY)');
    await db.query("INSERT INTO public.big SELECT g, 'v' || g FROM generate_series(1, 3000) g");
    await db.query('INSERT INTO public.small SELECT g FROM generate_series(1, 10) g');
    await db.query('ANALYZE public.big');
    await db.query('ANALYZE public.small');
    const { worker, dir } = await startWorker();
    try {
      const res = await fetch(`${worker.url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'progress',
          config: db.connectorConfig({ 'snapshot.mode': 'initial', 'snapshot.fetch.size': '500' }),
        }),
      });
      expect(res.status).toBe(201);
      const mbean = `debezium.postgres:type=connector-metrics,context=snapshot,server=${db.name}`;
      const read = async (): Promise<Record<string, unknown>> =>
        ((await (await fetch(`${worker.url}/jolokia/read/${mbean}`)).json()) as { value: Record<string, unknown> })
          .value;
      await waitFor(async () => (await read())?.SnapshotCompleted === true, { timeoutMs: 30_000 });
      const v = await read();
      expect(v).toMatchObject({
        TotalTableCount: 2,
        RemainingTableCount: 0,
        SnapshotRunning: false,
        SnapshotCompleted: true,
        SnapshotAborted: false,
        RowsScanned: { 'public.big': 3000, 'public.small': 10 },
        RowsEstimated: { 'public.big': 3000, 'public.small': 10 },
        TotalRowsScanned: 3010,
        TotalRowsEstimated: 3010,
        CapturedTables: 'public.big,public.small',
      });
      const prom = await (await fetch(`${worker.url}/metrics`)).text();
      expect(prom).toContain(
        `debezium_metrics_SnapshotCompleted{plugin="postgres",context="snapshot",name="${db.name}"} 1`,
      );
      expect(prom).toContain(
        `debezium_metrics_RowsScanned{plugin="postgres",context="snapshot",name="${db.name}",table="public.big"} 3000`,
      );
      const status = (await (await fetch(`${worker.url}/connectors/progress/status`)).json()) as {
        tasks: Array<{ snapshot?: unknown }>;
      };
      expect(status.tasks[0].snapshot).toEqual({
        phase: 'done',
        tablesTotal: 2,
        tablesDone: 2,
        rowsScanned: 3010,
        rowsEstimated: 3010,
        currentTable: null,
      });

      // Streaming after the snapshot: Debezium's streaming MBean counts the changes.
      await db.query('INSERT INTO public.small VALUES (11), (12)');
      await db.query('UPDATE public.small SET id = 13 WHERE id = 1');
      const streaming = `debezium.postgres:type=connector-metrics,context=streaming,server=${db.name}`;
      const readStreaming = async (): Promise<Record<string, unknown>> =>
        ((await (await fetch(`${worker.url}/jolokia/read/${streaming}`)).json()) as { value: Record<string, unknown> })
          .value;
      await waitFor(async () => (await readStreaming())?.TotalNumberOfEventsSeen === 3, { timeoutMs: 20_000 });
      expect(await readStreaming()).toMatchObject({
        Connected: true,
        TotalNumberOfCreateEventsSeen: 2,
        TotalNumberOfUpdateEventsSeen: 1,
        NumberOfCommittedTransactions: 2,
        CapturedTables: 'public.small',
      });
    } finally {
      await worker.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
