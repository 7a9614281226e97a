/**
 * Delivery guarantees: the slot's confirmed_flush_lsn moves only when commit() says the polled
 * records are durable; a task restarted from any durable offset (even inside a transaction)
 * emits exactly the changes after it; a worker restarted on the same data directory loses no
 * change; heartbeats advance the slot on a database whose captured tables are idle.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { createPgTestDb, startDirectTask, startWorker, createConnector, readTopic, type PgTestDb } from './helpers.ts';
import { waitFor } from '../../helpers/wait.ts';

const dbs: PgTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

const idOf = (r: SourceRecord): number => ((r.value as Struct).get('after') as Struct).get('id') as number;

describe('offsets and slot acknowledgement', () => {
  it('confirms the slot only in commit(), and resumes exactly after a durable offset inside a transaction', async () => {
    const db = await createPgTestDb('pgflush');
    dbs.push(db);
    await db.query('CREATE TABLE public.t (id int PRIMARY KEY, v text)');
    const config = db.connectorConfig({
      'snapshot.mode': 'no_data',
      'max.batch.size': '7',
      'status.update.interval.ms': '50',
      'poll.interval.ms': '100',
    });

    const a = await startDirectTask(config, null);
    const c0 = await db.confirmedFlush(config['slot.name']);
    expect(c0).not.toBeNull();
    for (let tx = 0; tx < 4; tx++) {
      await db.query('BEGIN');
      for (let i = 0; i < 5; i++) await db.query('INSERT INTO public.t VALUES ($1, $2)', [tx * 5 + i, `v${tx}`]);
      await db.query('COMMIT');
    }
    await db.query("INSERT INTO public.t SELECT g, 'bulk' FROM generate_series(20, 29) g");

    const batches: SourceRecord[][] = [];
    let total = 0;
    const deadline = Date.now() + 20_000;
    while (total < 30 && Date.now() < deadline) {
      const b = await a.task.poll();
      if (b && b.length > 0) {
        batches.push(b);
        total += b.length;
      }
    }
    const all = batches.flat();
    expect(all.map(idOf)).toEqual(Array.from({ length: 30 }, (_v, i) => i));
    expect(batches.every((b) => b.length <= 7)).toBe(true);
    // Status updates went out every 50 ms while polling, but nothing was committed: the slot did not move.
    await a.task.poll();
    expect(await db.confirmedFlush(config['slot.name'])).toBe(c0);

    // "Crash": only the batches up to one ending inside a transaction are durable.
    const k = batches.findIndex(
      (b) =>
        b[b.length - 1].sourceOffset.tx_events_emitted !== undefined &&
        (b[b.length - 1].sourceOffset.tx_events_emitted as number) < 5,
    );
    expect(k).toBeGreaterThanOrEqual(0);
    const durable = batches[k][batches[k].length - 1].sourceOffset;
    const emittedBefore = batches.slice(0, k + 1).flat().length;
    await a.stop();
    expect(await db.confirmedFlush(config['slot.name'])).toBe(c0);

    const b = await startDirectTask(config, durable);
    const replay = await b.pollUntil(30 - emittedBefore);
    expect(replay.map(idOf)).toEqual(all.slice(emittedBefore).map(idOf));
    expect(await db.confirmedFlush(config['slot.name'])).toBe(c0);

    // Once the worker says the polled records are durable, the slot advances to their resume point.
    b.task.commit();
    const expected = BigInt(replay[replay.length - 1].sourceOffset.lsn_commit as number);
    expect(expected).toBeGreaterThan(c0!);
    await waitFor(async () => (await db.confirmedFlush(config['slot.name'])) === expected, {
      what: 'confirmed_flush_lsn to advance',
    });
    await b.stop();
  });

  it('a restarted worker resumes from its committed offsets without losing or repeating changes', async () => {
    const db = await createPgTestDb('pgrestart');
    dbs.push(db);
    await db.query('CREATE TABLE public.items (id int PRIMARY KEY)');
    await db.query('INSERT INTO public.items SELECT g FROM generate_series(1, 50) g');
    const config = db.connectorConfig({ 'max.batch.size': '10' });
    const topic = `${db.name}.public.items`;

    const first = await startWorker();
    let worker = first.worker;
    const dir = first.dir;
    await createConnector(worker, 'pg-restart', config);
    await waitFor(() => readTopic(worker, topic).length >= 50, { what: 'snapshot', timeoutMs: 30_000 });
    for (let i = 51; i <= 100; i++) await db.query('INSERT INTO public.items VALUES ($1)', [i]);
    await waitFor(() => readTopic(worker, topic).length >= 60, { what: 'some streamed changes', timeoutMs: 30_000 });
    await worker.stop();
    const slotAfterStop = await db.confirmedFlush(config['slot.name']);
    for (let i = 101; i <= 150; i++) await db.query('INSERT INTO public.items VALUES ($1)', [i]);

    ({ worker } = await startWorker(dir));
    try {
      await waitFor(() => readTopic(worker, topic).length >= 150, {
        what: 'all changes after restart',
        timeoutMs: 30_000,
      });
      const ids = readTopic(worker, topic).map(
        (r) => (JSON.parse(r.value!) as { payload: { after: { id: number } } }).payload.after.id,
      );
      expect([...ids].sort((x, y) => x - y)).toEqual(Array.from({ length: 150 }, (_v, i) => i + 1));
      await waitFor(async () => ((await db.confirmedFlush(config['slot.name'])) ?? 0n) > (slotAfterStop ?? 0n), {
        what: 'slot to advance after restart',
      });
    } finally {
      await worker.stop();
    }
  });

  it('heartbeats with heartbeat.action.query advance the slot while captured tables are idle', async () => {
    const db = await createPgTestDb('pghb');
    dbs.push(db);
    await db.query('CREATE TABLE public.data (id int PRIMARY KEY)');
    await db.query('CREATE TABLE public.heartbeat (id int PRIMARY KEY, ts timestamptz)');
    const config = db.connectorConfig({
      'snapshot.mode': 'no_data',
      'table.include.list': 'public.data',
      'heartbeat.interval.ms': '100',
      'heartbeat.action.query':
        'INSERT INTO public.heartbeat VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts = now()',
    });
    const { worker } = await startWorker();
    try {
      await createConnector(worker, 'pg-hb', config);
      await waitFor(() => readTopic(worker, `__debezium-heartbeat.${db.name}`).length > 0, {
        what: 'a heartbeat record',
        timeoutMs: 30_000,
      });
      const first = await waitFor(() => db.confirmedFlush(config['slot.name']), { what: 'slot' });
      await waitFor(async () => ((await db.confirmedFlush(config['slot.name'])) ?? 0n) > first, {
        what: 'confirmed_flush_lsn to advance on heartbeats',
        timeoutMs: 30_000,
      });
      const hb = readTopic(worker, `__debezium-heartbeat.${db.name}`)[0];
      expect(hb.key).toBe(
        `{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"serverName"}],"optional":false,"name":"io.debezium.connector.common.ServerNameKey","version":1},"payload":{"serverName":"${db.name}"}}`,
      );
      expect(readTopic(worker, `${db.name}.public.data`)).toEqual([]);
      expect(readTopic(worker, `${db.name}.public.heartbeat`)).toEqual([]);
    } finally {
      await worker.stop();
    }
  });
});
