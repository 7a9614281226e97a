/**
 * PostgreSQL (a private server the scenario may crash, reached through a TCP proxy the scenario
 * owns) → PostgreSQL source (pgoutput) → embedded log → JDBC sink → a PostgreSQL table.
 * Source state: the source table's rows; sink state: the sink table's rows (no primary key).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PrivatePostgres } from '../../helpers/private-postgres.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';
import { ChaosWorker, type Pipeline } from '../harness.ts';
import { jdbcSinkTable } from './jdbc-sink-table.ts';

export interface PostgresPipeline extends Pipeline {
  server: PrivatePostgres;
  proxy: TcpProxy;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined); // a crash ends this connection too; the query reports it
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function postgresToJdbc(): Promise<PostgresPipeline> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-chaos-pg-'));
  const server = await PrivatePostgres.start();
  const proxy = await new TcpProxy('127.0.0.1', server.port).start();
  const sink = await jdbcSinkTable('chaospg');
  await withClient(server.url, (c) =>
    c.query('CREATE TABLE public.chaos_events (id int PRIMARY KEY, payload text NOT NULL)'),
  );
  const worker = await ChaosWorker.create(dir, { 'tributary.data.dir': path.join(dir, 'data') }, [
    {
      name: 'pg-source',
      config: {
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'database.hostname': '127.0.0.1',
        'database.port': String(proxy.port),
        'database.user': 'postgres',
        'database.password': 'postgres',
        'database.dbname': 'postgres',
        'topic.prefix': 'chaos',
        'slot.name': 'chaos_slot',
        'publication.name': 'chaos_pub',
        'plugin.name': 'pgoutput',
        'snapshot.mode': 'initial',
        'table.include.list': 'public.chaos_events',
        'slot.retry.delay.ms': '500',
        'slot.max.retries': '1000',
        'poll.interval.ms': '100',
        'errors.retry.timeout': '-1',
        'errors.retry.delay.max.ms': '1000',
      },
    },
    { name: 'jdbc-sink', config: sink.connector('chaos.public.chaos_events') },
  ]);
  return {
    server,
    proxy,
    worker,
    produce: (from, count) =>
      withClient(server.url, (c) =>
        c.query(
          `INSERT INTO public.chaos_events SELECT g, 'payload ' || g FROM generate_series(${from}, ${from + count - 1}) g ON CONFLICT DO NOTHING`,
        ),
      ).then(() => undefined),
    sourceIds: () =>
      withClient(server.url, async (c) =>
        (await c.query<{ id: number }>('SELECT id FROM public.chaos_events')).rows.map((r) => r.id),
      ),
    sinkState: async () => ({ ids: await sink.ids(), malformed: 0 }),
    async close() {
      await worker.kill();
      await proxy.stop();
      server.destroy();
      await sink.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
