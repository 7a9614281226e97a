/**
 * Issue 22: a MariaDB source stopped while the server purges its binlogs (a private server of the
 * test's own, so PURGE BINARY LOGS touches nobody else): on resume the task fails with Debezium's
 * wording naming the stored file, the server's oldest binlog file and snapshot.mode=when_needed;
 * with snapshot.mode=when_needed it takes a new snapshot and streams again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrivateMariadb } from '../../helpers/private-mariadb.ts';
import { waitFor } from '../../helpers/wait.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';

let server: PrivateMariadb | undefined;
let worker: RunningWorker | undefined;
afterAll(async () => {
  await worker?.stop();
  await server?.destroy();
});

describe('MariaDB binlog purged while the connector was stopped', () => {
  it('fails naming the stored file, the oldest binlog file and the fix; when_needed recovers', async () => {
    server = await PrivateMariadb.start();
    const sql = async (text: string) => {
      const c = await server!.connection();
      try {
        return (await c.query(text))[0] as Array<Record<string, unknown>>;
      } finally {
        await c.end();
      }
    };
    await sql('CREATE DATABASE purgedb');
    await sql('CREATE TABLE purgedb.t (id INT PRIMARY KEY)');
    await sql('INSERT INTO purgedb.t VALUES (1), (2)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-purged-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': path.join(dir, 'data'),
        'offset.flush.interval.ms': '100',
        'tributary.log.sync': 'os',
      },
      { logger: silentLogger },
    );
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(worker!.url + p, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    const status = async () =>
      (await call('GET', '/connectors/purged/status')).body as { tasks: Array<{ state: string; trace?: string }> };
    const storedFile = async () =>
      ((await call('GET', '/connectors/purged/offsets')).body.offsets as Array<{ offset: { file?: string } }>)[0]
        ?.offset.file;
    const config = {
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'database.hostname': '127.0.0.1',
      'database.port': String(server.port),
      'database.user': 'root',
      'database.password': 'tributary',
      'database.server.id': '4343',
      'topic.prefix': 'purged',
      'database.include.list': 'purgedb',
      'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
      'schema.history.internal.file.filename': path.join(dir, 'history.jsonl'),
    };
    expect((await call('POST', '/connectors', { name: 'purged', config })).status).toBe(201);
    await waitFor(async () => (await status()).tasks[0]?.state === 'RUNNING' && (await storedFile()) !== undefined, {
      timeoutMs: 60_000,
      what: 'the source running with a stored position',
    });
    await sql('INSERT INTO purgedb.t VALUES (3)');
    expect((await call('PUT', '/connectors/purged/stop')).status).toBeLessThan(300);
    const stored = (await storedFile())!;

    // While stopped, the server moves on and purges the file the connector would resume from.
    await sql('FLUSH BINARY LOGS');
    await sql('INSERT INTO purgedb.t VALUES (4)');
    await sql('FLUSH BINARY LOGS');
    // MariaDB keeps a file until its binlog checkpoint has passed it: purge until only the newest is left.
    const newest = await waitFor(
      async () => {
        const logs = (await sql('SHOW BINARY LOGS')).map((l) => String(l.Log_name));
        const last = logs[logs.length - 1];
        await sql(`PURGE BINARY LOGS TO '${last}'`);
        const left = (await sql('SHOW BINARY LOGS')).map((l) => String(l.Log_name));
        return left.length === 1 && left[0] !== stored ? left[0] : null;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the older binlog files purged' },
    );

    expect((await call('PUT', '/connectors/purged/resume')).status).toBeLessThan(300);
    const failed = await waitFor(
      async () => {
        const s = await status();
        return s.tasks[0]?.state === 'FAILED' ? s.tasks[0] : null;
      },
      { timeoutMs: 60_000, what: 'the task to fail' },
    );
    expect(failed.trace).toContain(`The connector is trying to read binlog starting at file ${stored}, position `);
    expect(failed.trace).toContain(
      `but this is no longer available on the server (its oldest binlog file is ${newest};`,
    );
    expect(failed.trace).toContain('set snapshot.mode=when_needed');

    expect((await call('PUT', '/connectors/purged/config', { ...config, 'snapshot.mode': 'when_needed' })).status).toBe(
      200,
    );
    await waitFor(async () => (await status()).tasks[0]?.state === 'RUNNING' && (await storedFile()) === newest, {
      timeoutMs: 60_000,
      what: 'a new snapshot from the oldest available binlog',
    });
  }, 240_000);
});
