/**
 * Snapshot + streaming through a worker on the embedded log, with JsonConverter (schemas on):
 * keys, envelopes and schemas are compared byte for byte with Debezium 3.x's layout (the
 * reference PostgreSQL example: REPLICA IDENTITY FULL update with transaction metadata), then
 * deletes with tombstones, a primary-key change (d + tombstone + c), truncate and BEGIN/END.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { RunningWorker } from '../../../app/workers.ts';
import { createPgTestDb, startWorker, createConnector, readTopic, connectorStatus, type PgTestDb } from './helpers.ts';
import { waitFor } from '../../helpers/wait.ts';

let db: PgTestDb;
let worker: RunningWorker;

beforeAll(async () => {
  db = await createPgTestDb('pgenv');
  await db.query(`CREATE TABLE public.orders (
    id SERIAL PRIMARY KEY, amount NUMERIC(10,2) NOT NULL, note TEXT, payload JSONB,
    created_at TIMESTAMP(6) DEFAULT now(), uid UUID)`);
  await db.query('ALTER TABLE public.orders REPLICA IDENTITY FULL');
  await db.query(`INSERT INTO public.orders (id, amount, note, payload, created_at, uid)
    VALUES (42, 123.45, NULL, '{"a": 1}', '2024-05-01 12:34:56.789123', 'a8098c1a-f86e-11da-bd1a-00112444be1e')`);
  ({ worker } = await startWorker());
  // The Debezium 3.2 wire layout (no source.origin fields, context headers without runId): the 3.6 default is checked against Debezium itself in test/compat/postgres-differential.test.ts.
  await createConnector(
    worker,
    'pg-env',
    db.connectorConfig({
      'provide.transaction.metadata': 'true',
      'skipped.operations': 'none',
      'tributary.debezium.layout': '3.2',
    }),
  );
});

afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

const P = (): string => db.name;

function rowFields(): string {
  return (
    '[{"type":"int32","optional":false,"default":0,"field":"id"},' +
    '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"amount"},' +
    '{"type":"string","optional":true,"field":"note"},' +
    '{"type":"string","optional":true,"name":"io.debezium.data.Json","version":1,"field":"payload"},' +
    '{"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","version":1,"default":0,"field":"created_at"},' +
    '{"type":"string","optional":true,"name":"io.debezium.data.Uuid","version":1,"field":"uid"}]'
  );
}

function expectedValueSchema(): string {
  const row = (field: string): string =>
    `{"type":"struct","fields":${rowFields()},"optional":true,"name":"${P()}.public.orders.Value","field":"${field}"}`;
  return (
    `{"type":"struct","fields":[${row('before')},${row('after')},` +
    '{"type":"struct","fields":[{"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},{"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},"default":"false","field":"snapshot"},{"type":"string","optional":false,"field":"db"},{"type":"string","optional":true,"field":"sequence"},{"type":"int64","optional":true,"field":"ts_us"},{"type":"int64","optional":true,"field":"ts_ns"},{"type":"string","optional":false,"field":"schema"},{"type":"string","optional":false,"field":"table"},{"type":"int64","optional":true,"field":"txId"},{"type":"int64","optional":true,"field":"lsn"},{"type":"int64","optional":true,"field":"xmin"}],"optional":false,"name":"io.debezium.connector.postgresql.Source","version":1,"field":"source"},' +
    '{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},{"type":"int64","optional":false,"field":"total_order"},{"type":"int64","optional":false,"field":"data_collection_order"}],"optional":true,"name":"event.block","version":1,"field":"transaction"},' +
    '{"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"},{"type":"int64","optional":true,"field":"ts_us"},{"type":"int64","optional":true,"field":"ts_ns"}]' +
    `,"optional":false,"name":"${P()}.public.orders.Envelope","version":2}`
  );
}

const expectedKey = (id: number): string =>
  `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"default":0,"field":"id"}],"optional":false,"name":"${P()}.public.orders.Key"},"payload":{"id":${id}}}`;

interface Envelope {
  schema: unknown;
  payload: {
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    source: Record<string, unknown>;
    transaction: { id: string; total_order: number; data_collection_order: number } | null;
    op: string;
    ts_ms: number;
    ts_us: number;
    ts_ns: number;
  };
}

/** The schema part of a value, as written (compact JSON, attribute order kept). */
function schemaText(value: string): string {
  const start = value.indexOf('{"schema":') + '{"schema":'.length;
  const end = value.indexOf(',"payload":{"before"');
  return value.slice(start, end);
}

/** ts_ms / ts_us / ts_ns of the envelope and of `source` describe one instant each (checked on the text: ns exceed 2^53). */
function checkTimes(text: string): void {
  const env = /"ts_ms":(\d+),"ts_us":(\d+),"ts_ns":(\d+)\}\}$/.exec(text)!;
  const src = /"source":\{[^}]*"ts_ms":(\d+),[^}]*"ts_us":(\d+),"ts_ns":(\d+),/.exec(text)!;
  for (const [, ms, us, ns] of [env, src]) {
    expect(ns).toBe(`${us}000`);
    expect(us.slice(0, -3)).toBe(ms);
  }
  expect(BigInt(env[1])).toBeGreaterThanOrEqual(BigInt(src[1]));
}

const topic = (): string => `${P()}.public.orders`;

async function records(n: number, t = topic()) {
  return waitFor(
    () => {
      const r = readTopic(worker, t);
      return r.length >= n ? r : null;
    },
    { what: `${n} records on ${t}`, timeoutMs: 30_000 },
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}; status ${JSON.stringify(await connectorStatus(worker, 'pg-env'))}`);
  });
}

describe('PostgreSQL envelopes (Debezium 3.x layout)', () => {
  it('snapshot read event', async () => {
    const [r] = await records(1);
    expect(r.key).toBe(expectedKey(42));
    expect(schemaText(r.value!)).toBe(expectedValueSchema());
    const e = JSON.parse(r.value!) as Envelope;
    checkTimes(r.value!);
    const lsn = e.payload.source.lsn as number;
    expect(e.payload).toMatchObject({
      before: null,
      after: {
        id: 42,
        amount: 'MDk=',
        note: null,
        payload: '{"a": 1}',
        created_at: 1714566896789123,
        uid: 'a8098c1a-f86e-11da-bd1a-00112444be1e',
      },
      source: {
        version: '3.2.0.Final',
        connector: 'postgresql',
        name: P(),
        snapshot: 'last',
        db: P(),
        sequence: `[null,"${lsn}"]`,
        schema: 'public',
        table: 'orders',
        xmin: null,
      },
      transaction: null,
      op: 'r',
    });
    expect(typeof e.payload.source.txId).toBe('number');
  });

  it('REPLICA IDENTITY FULL update with transaction metadata, and BEGIN/END records', async () => {
    await db.query("UPDATE public.orders SET amount = 150.00, note = 'paid' WHERE id = 42");
    const r = (await records(2))[1];
    expect(r.key).toBe(expectedKey(42));
    expect(schemaText(r.value!)).toBe(expectedValueSchema());
    const e = JSON.parse(r.value!) as Envelope;
    checkTimes(r.value!);
    const src = e.payload.source;
    expect(e.payload).toMatchObject({
      before: {
        id: 42,
        amount: 'MDk=',
        note: null,
        payload: '{"a": 1}',
        created_at: 1714566896789123,
        uid: 'a8098c1a-f86e-11da-bd1a-00112444be1e',
      },
      after: {
        id: 42,
        amount: 'Opg=',
        note: 'paid',
        payload: '{"a": 1}',
        created_at: 1714566896789123,
        uid: 'a8098c1a-f86e-11da-bd1a-00112444be1e',
      },
      source: { snapshot: 'false', schema: 'public', table: 'orders', xmin: null },
      op: 'u',
    });
    const seq = JSON.parse(src.sequence as string) as [string, string];
    expect(seq[1]).toBe(String(src.lsn));
    // The first change streamed after the snapshot: no commit seen yet, so Debezium writes null first.
    expect(seq[0]).toBeNull();
    const tx = e.payload.transaction!;
    expect(tx).toEqual({ id: `${src.txId}:${tx.id.split(':')[1]}`, total_order: 1, data_collection_order: 1 });

    const txTopic = `${P()}.transaction`;
    const [begin, end] = await records(2, txTopic);
    expect(begin.key).toBe(
      `{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"}],"optional":false,"name":"io.debezium.connector.common.TransactionMetadataKey","version":1},"payload":{"id":"${tx.id}"}}`,
    );
    const b = JSON.parse(begin.value!) as { payload: Record<string, unknown> };
    expect(b.payload).toEqual({
      status: 'BEGIN',
      id: tx.id,
      event_count: null,
      data_collections: null,
      ts_ms: src.ts_ms,
    });
    // END is identified by the commit's LSN, BEGIN and the event by the event's (as Debezium 3.6 writes them).
    expect(JSON.parse(end.value!).payload).toEqual({
      status: 'END',
      id: expect.stringMatching(new RegExp(`^${src.txId}:\\d+$`)),
      event_count: 1,
      data_collections: [{ data_collection: 'public.orders', event_count: 1 }],
      ts_ms: src.ts_ms,
    });
  });

  it('primary key change: delete + tombstone + create with oldkey/newkey headers', async () => {
    await db.query('UPDATE public.orders SET id = 43 WHERE id = 42');
    const rs = (await records(5)).slice(2, 5);
    expect(rs.map((r) => r.key)).toEqual([expectedKey(42), expectedKey(42), expectedKey(43)]);
    expect((JSON.parse(rs[0].value!) as Envelope).payload.op).toBe('d');
    expect(rs[1].value).toBeNull();
    const c = JSON.parse(rs[2].value!) as Envelope;
    expect(c.payload.op).toBe('c');
    expect(c.payload.after).toMatchObject({ id: 43, note: 'paid' });
    expect(Object.keys(rs[0].headers)).toContain('__debezium.newkey');
    expect(Object.keys(rs[2].headers)).toContain('__debezium.oldkey');
  });

  it('delete with tombstone, then truncate (skipped.operations=none)', async () => {
    await db.query('DELETE FROM public.orders WHERE id = 43');
    await db.query('INSERT INTO public.orders (amount) VALUES (1)');
    await db.query('TRUNCATE public.orders');
    const rs = (await records(9)).slice(5, 9);
    const d = JSON.parse(rs[0].value!) as Envelope;
    expect(rs[0].key).toBe(expectedKey(43));
    expect(d.payload.op).toBe('d');
    expect(d.payload.before).toMatchObject({ id: 43, amount: 'Opg=', note: 'paid' });
    expect(d.payload.after).toBeNull();
    expect([rs[1].key, rs[1].value]).toEqual([expectedKey(43), null]);
    const c = JSON.parse(rs[2].value!) as Envelope;
    expect(c.payload.after).toMatchObject({ id: 1, amount: 'ZA==', note: null, payload: null, uid: null });
    expect(typeof c.payload.after!.created_at).toBe('number');
    expect(rs[3].key).toBeNull();
    const t = JSON.parse(rs[3].value!) as Envelope;
    expect(t.payload).toMatchObject({
      before: null,
      after: null,
      op: 't',
      source: { table: 'orders', schema: 'public' },
    });
    expect(t.payload.transaction).toMatchObject({ total_order: 1, data_collection_order: 1 });
  });
});
