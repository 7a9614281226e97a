/**
 * The JDBC sink inside a worker: Debezium change events as JsonConverter bytes on the embedded log,
 * the connector created through the REST API with Debezium's JDBC sink JSON, rows applied to the
 * real PostgreSQL and MariaDB, consumer offsets committed, the password never shown.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import { SchemaBuilder, Schemas } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { BigDecimal, Decimal } from '../../../runtime/data/logical.ts';
import { waitFor } from '../../helpers/wait.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';
import { createTestDb, envelope, envelopeSchema, row, type Target, type TestDb } from './helpers.ts';

const KEY = SchemaBuilder.struct().name('srv.inventory.items.Key').field('id', Schemas.INT32).build();
const ROW = SchemaBuilder.struct()
  .name('srv.inventory.items.Value')
  .field('id', Schemas.INT32)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('price', Decimal.builder(2).optional())
  .optional()
  .build();
const ENV = envelopeSchema(ROW, 'srv.inventory.items.Envelope');

describe.each<Target>(['postgresql', 'mariadb'])('JDBC sink connector in a worker, target %s', (target) => {
  let worker: RunningWorker;
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(target, 'jdbcworker');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-jdbc-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': dir,
        'offset.flush.interval.ms': '200',
        'tributary.log.sync': 'os',
      },
      { logger: silentLogger },
    );
  });
  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
  });

  it('applies 2,000 change events (inserts, updates, deletes, tombstones) and commits the offsets after the rows', async () => {
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'true' }, false);
    const keyJson = new JsonConverter();
    keyJson.configure({ 'schemas.enable': 'true' }, true);
    const topic = 'srv.inventory.items';
    const expected = new Map<number, { name: string; price: string }>();
    const messages: Array<{ key: Buffer | null; value: Buffer | null }> = [];
    const key = (id: number) => keyJson.fromConnectData(topic, KEY, new Struct(KEY).put('id', id));
    for (let i = 0; i < 2000; i++) {
      const id = i % 500;
      const op = i < 500 ? 'c' : i % 7 === 0 ? 'd' : 'u';
      const r = row(ROW, { id, name: `item-${i}`, price: new BigDecimal(BigInt(i * 100 + 99), 2) });
      messages.push({ key: key(id), value: json.fromConnectData(topic, ENV, envelope(ENV, op, r)) });
      if (op === 'd') {
        expected.delete(id);
        messages.push({ key: key(id), value: null }); // Debezium's tombstone after a delete
      } else expected.set(id, { name: `item-${i}`, price: `${i}.99` });
    }
    const sender = worker.transport.createSender('test-producer');
    await sender.send(
      messages.map((m) => ({ topic, partition: 0, key: m.key, value: m.value, timestamp: Date.now(), headers: [] })),
    );

    const config = {
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      topics: topic,
      'tasks.max': '1',
      'connection.url': db.jdbcUrl,
      'connection.username': db.user,
      'connection.password': db.password,
      'insert.mode': 'upsert',
      'delete.enabled': 'true',
      'primary.key.mode': 'record_key',
      'schema.evolution': 'basic',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    };
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'jdbc-sink', config }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { config: Record<string, string> }).config['connection.password']).toBe('[hidden]');

    const table = target === 'postgresql' ? '"srv_inventory_items"' : '`srv_inventory_items`';
    const want = [...expected].sort((a, b) => a[0] - b[0]).map(([id, v]) => `${id}|${v.name}|${v.price}`);
    const read = async () =>
      (await db.query(`SELECT id, name, price FROM ${table} ORDER BY id`)).map(
        (r) => `${r.id}|${r.name}|${String(r.price)}`,
      );
    await waitFor(async () => JSON.stringify(await read().catch(() => [])) === JSON.stringify(want), {
      what: 'the target table to hold the last state of every key',
      timeoutMs: 30_000,
    });
    expect(want.length).toBeGreaterThan(400);

    await waitFor(
      async () => {
        const offs = (await (await fetch(`${worker.url}/connectors/jdbc-sink/offsets`)).json()) as {
          offsets: Array<{
            partition: { kafka_topic: string; kafka_partition: number };
            offset: { kafka_offset: number };
          }>;
        };
        return offs.offsets.some((o) => o.partition.kafka_topic === topic && o.offset.kafka_offset === messages.length);
      },
      { what: 'the committed sink offset to reach the end of the topic' },
    );

    const shown = (await (await fetch(`${worker.url}/connectors/jdbc-sink/config`)).json()) as Record<string, string>;
    expect(shown['connection.password']).toBe('[hidden]');
    const status = (await (await fetch(`${worker.url}/connectors/jdbc-sink/status`)).json()) as {
      tasks: Array<{ state: string }>;
    };
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  });

  it('loses nothing when the database goes away mid-stream and comes back', async () => {
    const u = new URL(db.jdbcUrl.slice('jdbc:'.length));
    const proxy = await new TcpProxy(u.hostname, Number(u.port)).start();
    const topic = 'outage';
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'true' }, false);
    const V = SchemaBuilder.struct().name('outage.Value').field('id', Schemas.INT32).field('n', Schemas.INT32).build();
    const sender = worker.transport.createSender('outage-producer');
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
    await send(0, 500);
    const config = {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      topics: topic,
      'connection.url': `jdbc:${u.protocol}//127.0.0.1:${proxy.port}${u.pathname}`,
      'connection.user': db.user,
      'connection.password': db.password,
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'retry.backoff.ms': '200',
      'max.retries': '50',
      'connection.backoff.ms': '200',
      'connection.attempts': '50',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    };
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'jdbc-outage', config }),
    });
    expect(res.status).toBe(201);
    const count = async () =>
      Number((await db.query('SELECT count(*) AS n, sum(n) AS s FROM outage').catch(() => [{ n: 0 }]))[0].n);
    await waitFor(async () => (await count()) === 500, { what: 'the first 500 rows' });
    proxy.outage();
    await send(500, 1500);
    await new Promise((r) => setTimeout(r, 1500));
    proxy.restore();
    await waitFor(async () => (await count()) === 2000, { what: 'all 2000 rows after the outage', timeoutMs: 30_000 });
    const [sum] = await db.query('SELECT sum(n) AS s FROM outage');
    expect(Number(sum.s)).toBe((1999 * 2000) / 2);
    const status = (await (await fetch(`${worker.url}/connectors/jdbc-outage/status`)).json()) as {
      tasks: Array<{ state: string }>;
    };
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
    await fetch(`${worker.url}/connectors/jdbc-outage`, { method: 'DELETE' });
    await proxy.stop();
  });

  it('rejects an invalid config through /config/validate, naming the key and the fix', async () => {
    const res = await fetch(`${worker.url}/connector-plugins/JdbcSinkConnector/config/validate`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bad-jdbc',
        'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
        topics: 't',
        'connection.url': db.jdbcUrl,
        'insert.mode': 'upsert',
        'pk.mode': 'none',
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      error_count: number;
      configs: Array<{ value: { name: string; errors: string[] } }>;
    };
    expect(body.error_count).toBe(1);
    const err = body.configs.find((c) => c.value.errors.length)!;
    expect(err.value.name).toBe('insert.mode');
    expect(err.value.errors[0]).toMatch(/needs a primary key: set pk.mode/);
  });
});
