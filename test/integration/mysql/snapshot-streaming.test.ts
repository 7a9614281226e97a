/**
 * Snapshot then streaming against the real MariaDB: `r` events for existing rows, then c/u/d with
 * tombstones from the binlog, checked as exact Debezium JSON (schemas on) for a few events.
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
  readTopic,
  startWorker,
} from './helpers.ts';

let worker: RunningWorker | undefined;
let conn: Connection | undefined;
afterAll(async () => {
  await worker?.stop();
  await conn?.end();
});

describe('MySQL source: snapshot + streaming', () => {
  it('emits the snapshot as r events, then inserts, updates and deletes with tombstones', async () => {
    const created = await createDatabase('snap');
    conn = created.conn;
    const db = created.db;
    await conn.query(`CREATE TABLE customers (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL, balance DECIMAL(10,2) NULL,
      updated_at DATETIME(3) NULL, status ENUM('active','closed') NOT NULL DEFAULT 'active')`);
    await conn.query(
      `INSERT INTO customers VALUES (1001, 'sally@example.com', 1234.56, '2018-06-20 06:37:03.123', 'active'), (1002, 'george@example.com', NULL, NULL, 'closed')`,
    );
    const started = await startWorker();
    worker = started.worker;
    await createConnector(worker, 'mysql-src', connectorConfig(db, started.dir));
    const topic = `dbserver1.${db}.customers`;
    await waitFor(() => readTopic(worker!, topic).length === 2, { what: 'snapshot records', timeoutMs: 30_000 });
    const snap = readTopic(worker, topic);
    expect(snap.map((r) => [r.value.payload.op, r.value.payload.source.snapshot, r.key.payload.id])).toEqual([
      ['r', 'first', 1001],
      ['r', 'last', 1002],
    ]);

    const schema = snap[0].value.schema;
    expect(snap[0].rawKey).toBe(
      `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"dbserver1.${db}.customers.Key"},"payload":{"id":1001}}`,
    );
    expect(JSON.stringify(schema.fields[0])).toBe(
      `{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":false,"field":"email"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"balance"},{"type":"int64","optional":true,"name":"io.debezium.time.Timestamp","version":1,"field":"updated_at"},{"type":"string","optional":false,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"active,closed"},"default":"active","field":"status"}],"optional":true,"name":"dbserver1.${db}.customers.Value","field":"before"}`,
    );
    expect(JSON.stringify(schema.fields[2])).toBe(
      '{"type":"struct","fields":[{"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},{"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},"default":"false","field":"snapshot"},{"type":"string","optional":false,"field":"db"},{"type":"string","optional":true,"field":"sequence"},{"type":"int64","optional":true,"field":"ts_us"},{"type":"int64","optional":true,"field":"ts_ns"},{"type":"string","optional":true,"field":"table"},{"type":"int64","optional":false,"field":"server_id"},{"type":"string","optional":true,"field":"gtid"},{"type":"string","optional":false,"field":"file"},{"type":"int64","optional":false,"field":"pos"},{"type":"int32","optional":false,"field":"row"},{"type":"int64","optional":true,"field":"thread"},{"type":"string","optional":true,"field":"query"}],"optional":false,"name":"io.debezium.connector.mysql.Source","version":1,"field":"source"}',
    );
    expect(schema.name).toBe(`dbserver1.${db}.customers.Envelope`);
    expect(schema.version).toBe(2);
    expect(snap[0].value.payload.after).toEqual({
      id: 1001,
      email: 'sally@example.com',
      balance: 'AeJA',
      updated_at: 1529476623123,
      status: 'active',
    });
    expect(snap[0].value.payload.source).toMatchObject({
      connector: 'mysql',
      name: 'dbserver1',
      db,
      table: 'customers',
      server_id: 0,
      gtid: null,
      thread: null,
      query: null,
      row: 0,
    });
    expect(snap[0].value.payload.source.file).toMatch(/^mysql-bin\.\d+$/);
    expect(snap[0].value.payload.source.pos).toBeGreaterThan(4);

    await conn.query(`INSERT INTO customers VALUES (1003, 'ed@example.com', -1.00, '2020-01-01 00:00:00', 'active')`);
    await conn.query(`UPDATE customers SET email = 'sally@new.example.com' WHERE id = 1001`);
    await conn.query(`DELETE FROM customers WHERE id = 1002`);
    await waitFor(
      async () => {
        const st = await connectorStatus(worker!, 'mysql-src');
        if (st.tasks[0]?.state === 'FAILED') throw new Error(`task failed: ${st.tasks[0].trace}`);
        return readTopic(worker!, topic).length === 6;
      },
      { what: 'streamed records', timeoutMs: 30_000 },
    );
    const all = readTopic(worker, topic);
    const streamed = all.slice(2);
    expect(streamed.map((r) => r.value?.payload.op ?? null)).toEqual(['c', 'u', 'd', null]);
    const [ins, upd, del, tomb] = streamed;
    expect(ins.value.payload.before).toBeNull();
    expect(ins.value.payload.after).toEqual({
      id: 1003,
      email: 'ed@example.com',
      balance: 'nA==',
      updated_at: 1577836800000,
      status: 'active',
    });
    const src = ins.value.payload.source;
    expect(src).toMatchObject({
      version: '3.6.1.Final',
      connector: 'mysql',
      name: 'dbserver1',
      snapshot: 'false',
      db,
      sequence: null,
      table: 'customers',
      server_id: 1,
      row: 0,
      query: null,
    });
    expect(src.gtid).toMatch(/^0-1-\d+$/);
    expect(src.file).toMatch(/^mysql-bin\.\d+$/);
    expect(src.pos).toBeGreaterThan(4);
    expect(src.thread).toBeNull(); // MariaDB starts transactions with a GTID event, not a BEGIN query carrying the thread id
    expect(src.ts_ms % 1000).toBe(0);
    expect(src.ts_us).toBe(src.ts_ms * 1000);
    expect(upd.value.payload.before.email).toBe('sally@example.com');
    expect(upd.value.payload.after.email).toBe('sally@new.example.com');
    expect(del.value.payload.before).toEqual({
      id: 1002,
      email: 'george@example.com',
      balance: null,
      updated_at: null,
      status: 'closed',
    });
    expect(del.value.payload.after).toBeNull();
    expect(tomb.rawValue).toBeNull();
    expect(tomb.key.payload).toEqual({ id: 1002 });

    const schemaChanges = readTopic(worker, 'dbserver1');
    // Debezium's snapshot order: SET character sets (databaseName ""), DROP TABLE IF EXISTS per table,
    // DROP/CREATE DATABASE and USE per database, then each table's CREATE.
    expect(schemaChanges[0].key.payload).toEqual({ databaseName: '' });
    expect(schemaChanges[0].value.payload.ddl).toMatch(/^SET character_set_server=/);
    const create = schemaChanges.find(
      (r) =>
        r.value.payload.tableChanges?.[0]?.type === 'CREATE' &&
        r.value.payload.tableChanges[0].id === `"${db}"."customers"`,
    );
    expect(create?.key.payload).toEqual({ databaseName: db });
    expect((await connectorStatus(worker, 'mysql-src')).tasks[0].state).toBe('RUNNING');
  });
});
