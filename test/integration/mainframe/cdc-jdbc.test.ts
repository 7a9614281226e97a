/**
 * A mainframe CDC feed (EBCDIC records: op code, timestamp, before and after images with COMP-3
 * fields) on a topic of the embedded log goes through CopybookConverter + MainframeCdcEnvelope
 * into the JDBC sink and lands in a real PostgreSQL table: inserts, updates and deletes.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { CDC_COPYBOOK, cdcRecord } from '../../../connectors/mainframe/testing.ts';
import { createTestDb, type TestDb } from '../jdbc/helpers.ts';
import { waitFor } from '../../helpers/wait.ts';

let worker: RunningWorker | undefined;
let db: TestDb | undefined;
afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

describe('mainframe CDC feed into PostgreSQL', () => {
  it('applies inserts, updates and deletes decoded from EBCDIC', async () => {
    db = await createTestDb('postgresql', 'mfcdc');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mf-cdc-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': dir,
        'offset.flush.interval.ms': '0',
        'tributary.log.sync': 'os',
      },
      { logger: silentLogger },
    );
    const topic = 'mfcdc_customers';
    const ts = (i: number) =>
      `2024-05-01-12.${String(10 + Math.floor(i / 60)).padStart(2, '0')}.${String(i % 60).padStart(2, '0')}.000000`;
    const feed: Buffer[] = [];
    const expected = new Map<number, [string, string]>();
    for (let id = 1; id <= 30; id++) {
      feed.push(cdcRecord('PT', ts(id), null, [id, `CUST ${id}`, BigInt(id * 1001)]));
      expected.set(id, [`CUST ${id}`, (id * 10.01).toFixed(2)]);
    }
    for (let id = 1; id <= 30; id += 3) {
      feed.push(
        cdcRecord('UP', ts(40 + id), [id, `CUST ${id}`, BigInt(id * 1001)], [id, `RENAMED ${id}`, BigInt(-id)]),
      );
      expected.set(id, [`RENAMED ${id}`, (-id / 100).toFixed(2)]);
    }
    for (let id = 2; id <= 30; id += 5) {
      feed.push(cdcRecord('DL', ts(80 + id), [id, 'gone', 0n], null));
      expected.delete(id);
    }
    const sender = worker.transport.createSender('mainframe-cdc');
    await sender.send(
      feed.map((value, i) => ({
        topic,
        partition: 0,
        key: null,
        value,
        timestamp: 1_714_560_000_000 + i,
        headers: [],
      })),
    );

    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'mf-cdc-jdbc',
        config: {
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
          'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
          'value.converter': 'io.tributary.connector.mainframe.CopybookConverter',
          'value.converter.copybook.contents': CDC_COPYBOOK,
          'value.converter.ebcdic.code.page': 'cp037',
          transforms: 'cdc',
          'transforms.cdc.type': 'MainframeCdcEnvelope',
          'transforms.cdc.op.field': 'HDR.OP-CODE',
          'transforms.cdc.op.map': 'PT=c,UP=u,DL=d',
          'transforms.cdc.timestamp.field': 'HDR.CHANGE-TS',
          'transforms.cdc.before.field': 'BEFORE-IMAGE',
          'transforms.cdc.after.field': 'AFTER-IMAGE',
          'transforms.cdc.key.fields': 'CUST-ID',
        },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);

    const want = [...expected].sort((a, b) => a[0] - b[0]).map(([id, [name, bal]]) => `${id}|${name}|${bal}`);
    const read = async () =>
      (
        await db!.query('SELECT "CUST_ID" AS id, "NAME" AS name, "BALANCE" AS bal FROM "mfcdc_customers" ORDER BY 1')
      ).map((r) => `${r.id}|${r.name}|${String(r.bal)}`);
    await waitFor(async () => JSON.stringify(await read().catch(() => [])) === JSON.stringify(want), {
      what: 'the table to hold the last image of every customer',
      timeoutMs: 30_000,
    });
    expect(want.length).toBe(24);
    const status = (await (await fetch(`${worker.url}/connectors/mf-cdc-jdbc/status`)).json()) as {
      tasks: Array<{ state: string; trace?: string }>;
    };
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  }, 60_000);
});
