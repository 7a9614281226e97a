/**
 * Issue 22 operator hints, against the real servers: deleting or stopping a PostgreSQL source whose
 * replication slot stays answers (Warning header) and logs the slot name and how to drop it; a
 * MySQL/MariaDB source whose stored binlog position is no longer on the server fails with the file,
 * the server's oldest binlog file and snapshot.mode=when_needed as the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Connection } from 'mysql2/promise';
import { createLogger } from '../../../runtime/logging.ts';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import { connectorConfig, createDatabase } from '../mysql/helpers.ts';
import { waitFor } from '../../helpers/wait.ts';
import { main } from '../../../cli/main.ts';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

let worker: RunningWorker;
let pgdb: PgTestDb | undefined;
let mysqlDb: { db: string; conn: Connection } | undefined;
const logLines: string[] = [];
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-hints-'));
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'offset.flush.interval.ms': '100',
      'tributary.log.sync': 'os',
    },
    { logger: createLogger({ level: 'warn', destination }) },
  );
});
afterAll(async () => {
  await worker?.stop();
  await pgdb?.drop();
  if (mysqlDb) {
    await mysqlDb.conn.query(`DROP DATABASE IF EXISTS \`${mysqlDb.db}\``);
    await mysqlDb.conn.end();
  }
});

async function call(method: string, p: string, body?: unknown): Promise<Response> {
  return fetch(worker.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const status = async (name: string) =>
  (await (await call('GET', `/connectors/${name}/status`)).json()) as {
    connector: { state: string };
    tasks: Array<{ state: string; trace?: string }>;
  };
const warnings = (needle: string) =>
  logLines
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level === 40 && l.msg.includes(needle));

describe('PostgreSQL replication slot left by DELETE and stop', () => {
  it('answers and logs the slot name and how to drop it; the slot stays as in Debezium', async () => {
    pgdb = await createPgTestDb('hints');
    await pgdb.query('CREATE TABLE public.t (id int PRIMARY KEY)');
    const slot = pgdb.name;
    const slotExists = async () =>
      (await pgdb!.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot])).length === 1;
    expect(
      (
        await call('POST', '/connectors', {
          name: 'pg-hints',
          config: pgdb.connectorConfig({ 'table.include.list': 'public.t' }),
        })
      ).status,
    ).toBe(201);
    await waitFor(async () => (await status('pg-hints')).tasks[0]?.state === 'RUNNING' && (await slotExists()), {
      timeoutMs: 120_000,
      what: `the source running with its slot: ${JSON.stringify(await status('pg-hints'))}`,
    });

    // Through the CLI, which prints the worker's Warning header.
    const cliOut = { stdout: new Collect(), stderr: new Collect() };
    expect(await main(['connectors', 'stop', 'pg-hints', '--url', worker.url], cliOut)).toBe(0);
    expect(cliOut.stderr.text).toContain(`Warning: The replication slot '${slot}' on 127.0.0.1:`);
    expect(cliOut.stderr.text).toContain('stays while the connector is stopped');
    expect(cliOut.stderr.text).toContain(`SELECT pg_drop_replication_slot('${slot}');`);

    const del = await call('DELETE', '/connectors/pg-hints');
    expect(del.status).toBe(204);
    const header = del.headers.get('warning')!;
    expect(header).toMatch(/^299 tributary "/);
    expect(header).toContain(`The replication slot '${slot}' on 127.0.0.1:`);
    expect(header).toContain(`SELECT pg_drop_replication_slot('${slot}');`);
    expect(header).toContain('slot.drop.on.stop=true');
    const logged = warnings(`The replication slot '${slot}'`);
    expect(logged.length).toBe(2);
    expect(logged[1].msg).toContain(`pg_drop_replication_slot('${slot}')`);
    expect(await slotExists()).toBe(true);

    // With slot.drop.on.stop=true nothing stays, and nothing is said.
    expect(
      (
        await call('POST', '/connectors', {
          name: 'pg-hints-drop',
          config: pgdb.connectorConfig({ 'table.include.list': 'public.t', 'slot.drop.on.stop': 'true' }),
        })
      ).status,
    ).toBe(201);
    await waitFor(async () => (await status('pg-hints-drop')).tasks[0]?.state === 'RUNNING', {
      timeoutMs: 60_000,
      what: 'the second source running',
    });
    const del2 = await call('DELETE', '/connectors/pg-hints-drop');
    expect(del2.status).toBe(204);
    expect(del2.headers.get('warning')).toBeNull();
    await waitFor(async () => !(await slotExists()), { what: 'the slot dropped by slot.drop.on.stop' });
  }, 180_000);
});

describe('MySQL/MariaDB binlog position no longer on the server', () => {
  it('fails with the file, the oldest binlog file and snapshot.mode=when_needed; when_needed recovers', async () => {
    mysqlDb = await createDatabase('hints');
    await mysqlDb.conn.query('CREATE TABLE t (id INT PRIMARY KEY)');
    await mysqlDb.conn.query('INSERT INTO t VALUES (1)');
    const config = connectorConfig(mysqlDb.db, dir, {
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'topic.prefix': mysqlDb.db,
    });
    expect((await call('POST', '/connectors', { name: 'my-hints', config })).status).toBe(201);
    await waitFor(async () => (await status('my-hints')).tasks[0]?.state === 'RUNNING', {
      timeoutMs: 60_000,
      what: 'the MariaDB source running',
    });
    const stop = await call('PUT', '/connectors/my-hints/stop');
    expect(stop.headers.get('warning')).toContain('snapshot.mode=when_needed');

    // The stored position names a binlog file the server no longer has (as after PURGE BINARY LOGS).
    const [logs] = (await mysqlDb.conn.query('SHOW BINARY LOGS')) as unknown as [Array<{ Log_name: string }>];
    const oldest = logs[0].Log_name;
    const purged = oldest.replace(/\d+$/, (n) => '0'.repeat(n.length));
    const patch = await call('PATCH', '/connectors/my-hints/offsets', {
      offsets: [{ partition: { server: mysqlDb.db }, offset: { file: purged, pos: 4 } }],
    });
    expect(patch.status).toBe(200);
    expect((await call('PUT', '/connectors/my-hints/resume')).status).toBeLessThan(300);
    const failed = await waitFor(
      async () => {
        const s = await status('my-hints');
        return s.tasks[0]?.state === 'FAILED' ? s.tasks[0] : null;
      },
      { timeoutMs: 60_000, what: 'the task to fail' },
    );
    expect(failed.trace).toContain(
      `The connector is trying to read binlog starting at file ${purged}, position 4, but this is no longer available on the server (its oldest binlog file is ${oldest}`,
    );
    expect(failed.trace).toContain('set snapshot.mode=when_needed');

    // The fix the message names: a new snapshot, then streaming.
    expect(
      (await call('PUT', '/connectors/my-hints/config', { ...config, 'snapshot.mode': 'when_needed' })).status,
    ).toBe(200);
    await waitFor(async () => (await status('my-hints')).tasks[0]?.state === 'RUNNING', {
      timeoutMs: 60_000,
      what: 'the source running again after a new snapshot',
    });
    await waitFor(
      async () => {
        const offsets = (await (await call('GET', '/connectors/my-hints/offsets')).json()) as {
          offsets: Array<{ offset: { file?: string } }>;
        };
        return offsets.offsets.some((o) => o.offset.file !== undefined && o.offset.file !== purged);
      },
      { what: 'a new stored position from the snapshot' },
    );
  }, 180_000);
});
