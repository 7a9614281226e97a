/**
 * PostgreSQL crashes (immediate shutdown) and restarts while the connector streams: a private
 * server of this test's own, so the shared one is not disturbed. The connector reconnects and
 * resumes: every committed row reaches the topic, none that was not committed does.
 */
import { describe, it, expect, afterAll } from 'vitest';
import pg from 'pg';
import { PrivatePostgres } from '../../helpers/private-postgres.ts';
import { waitFor } from '../../helpers/wait.ts';
import { connectorStatus, createConnector, readTopic, startWorker } from './helpers.ts';
import type { RunningWorker } from '../../../app/workers.ts';

let server: PrivatePostgres | undefined;
let worker: RunningWorker | undefined;
afterAll(async () => {
  await worker?.stop();
  server?.destroy();
});

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined); // the crash ends this client's connection too; the query reports it
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe('PostgreSQL server restart mid-stream', () => {
  it('reconnects and resumes without losing a committed change', async () => {
    server = await PrivatePostgres.start();
    await withClient(server.url, (c) => c.query('CREATE TABLE public.r (id int PRIMARY KEY)'));
    ({ worker } = await startWorker());
    await createConnector(worker, 'pg-restart', {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': '127.0.0.1',
      'database.port': String(server.port),
      'database.user': 'postgres',
      'database.password': 'postgres',
      'database.dbname': 'postgres',
      'topic.prefix': 'crash',
      'slot.name': 'crash_slot',
      'publication.name': 'crash_pub',
      'plugin.name': 'pgoutput',
      'snapshot.mode': 'no_data',
      'slot.retry.delay.ms': '200',
      'slot.max.retries': '100',
      'poll.interval.ms': '100',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    const ids = () =>
      readTopic(worker!, 'crash.public.r')
        .filter((r) => r.value)
        .map((r) => (JSON.parse(r.value!) as { after: { id: number } }).after.id);
    await waitFor(async () => (await connectorStatus(worker!, 'pg-restart')).tasks[0]?.state === 'RUNNING', {
      what: 'task running',
    });
    const insert = (from: number, to: number) =>
      withClient(server!.url, (c) =>
        c.query(`INSERT INTO public.r SELECT g FROM generate_series(${from}, ${to}) g ON CONFLICT DO NOTHING`),
      );
    for (let b = 0; b < 10; b++) await insert(b * 100 + 1, b * 100 + 100);
    await waitFor(() => new Set(ids()).size === 1000, { timeoutMs: 30_000, what: 'the first 1000 changes' });

    // Commits keep coming while the server crashes; some may fail, the rest must all arrive.
    const writes = (async () => {
      for (let b = 10; b < 30; b++) await insert(b * 100 + 1, b * 100 + 100).catch(() => undefined);
    })();
    await new Promise((r) => setTimeout(r, 50));
    server.stop('immediate');
    await writes;
    await new Promise((r) => setTimeout(r, 1000));
    server.start();
    for (let b = 30; b < 40; b++) await insert(b * 100 + 1, b * 100 + 100);

    const committed = await withClient(server.url, async (c) =>
      (await c.query<{ id: number }>('SELECT id FROM public.r ORDER BY id')).rows.map((r) => r.id),
    );
    expect(committed.length).toBeGreaterThanOrEqual(2000);
    await waitFor(() => new Set(ids()).size >= committed.length, {
      timeoutMs: 60_000,
      what: `all ${committed.length} committed changes in the topic`,
    });
    expect([...new Set(ids())].sort((a, b) => a - b)).toEqual(committed);
    expect((await connectorStatus(worker, 'pg-restart')).tasks[0].state).toBe('RUNNING');
  }, 120_000);
});
