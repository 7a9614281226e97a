/**
 * The JDBC sink while its PostgreSQL server crashes (immediate shutdown, no checkpoint) and comes
 * back mid-stream: a private server of this test's own, so the shared one is not disturbed. Every
 * record lands once the server is back; the task stays RUNNING.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import { SchemaBuilder, Schemas } from '../../../runtime/data/schema.ts';
import { waitFor } from '../../helpers/wait.ts';
import { PrivatePostgres } from '../../helpers/private-postgres.ts';
import { row } from './helpers.ts';

let server: PrivatePostgres | undefined;
let worker: RunningWorker | undefined;
afterAll(async () => {
  await worker?.stop();
  server?.destroy();
});

describe('JDBC sink across a PostgreSQL crash and restart', () => {
  it('writes every record once the server is back, without failing the task', async () => {
    server = await PrivatePostgres.start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-jdbc-restart-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': dir,
        'offset.flush.interval.ms': '200',
        'tributary.log.sync': 'os',
        'consumer.max.poll.records': '200',
      },
      { logger: silentLogger },
    );
    const topic = 'restart';
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'true' }, false);
    const V = SchemaBuilder.struct().name('restart.Value').field('id', Schemas.INT32).field('n', Schemas.INT32).build();
    const sender = worker.transport.createSender('restart-producer');
    const send = (from: number, count: number) =>
      sender.send(
        Array.from({ length: count }, (_x, i) => ({
          topic,
          partition: 0,
          key: null,
          value: json.fromConnectData(topic, V, row(V, { id: from + i, n: from + i })),
          timestamp: Date.now(),
          headers: [],
        })),
      );
    await send(0, 1000);
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'jdbc-restart',
        config: {
          'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
          topics: topic,
          'connection.url': `jdbc:postgresql://127.0.0.1:${server.port}/postgres`,
          'connection.user': 'postgres',
          'connection.password': 'postgres',
          'insert.mode': 'upsert',
          'pk.mode': 'record_value',
          'pk.fields': 'id',
          'auto.create': 'true',
          'max.retries': '100',
          'retry.backoff.ms': '200',
          'connection.attempts': '100',
          'connection.backoff.ms': '200',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        },
      }),
    });
    expect(res.status).toBe(201);
    const count = async (): Promise<{ n: number; s: number }> => {
      const c = new pg.Client({ connectionString: server!.url, connectionTimeoutMillis: 2000 });
      try {
        await c.connect();
        const r = await c.query<{ n: string; s: string | null }>('SELECT count(*) AS n, sum(n) AS s FROM restart');
        return { n: Number(r.rows[0].n), s: Number(r.rows[0].s ?? 0) };
      } catch {
        return { n: -1, s: -1 };
      } finally {
        await c.end().catch(() => undefined);
      }
    };
    await waitFor(async () => (await count()).n === 1000, { what: 'the first 1000 rows' });

    // Records keep arriving while the server crashes and restarts.
    const more = send(1000, 4000);
    server.stop('immediate');
    await more;
    await new Promise((r) => setTimeout(r, 1500));
    server.start();
    await waitFor(async () => (await count()).n === 5000, {
      timeoutMs: 60_000,
      what: 'all 5000 rows after the restart',
    });
    expect((await count()).s).toBe((4999 * 5000) / 2);
    const status = (await (await fetch(`${worker.url}/connectors/jdbc-restart/status`)).json()) as {
      tasks: Array<{ state: string }>;
    };
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  }, 120_000);
});
