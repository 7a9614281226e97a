/**
 * docs/migrating.md's worked example, CLI only on the Tributary side: a Debezium binlog offset as
 * Kafka Connect stores it (key ["<connector>",{"server":<topic.prefix>}], value Debezium's
 * BinlogOffsetContext map: file, pos, gtids, server_id, ts_sec) is imported into a STOPPED
 * MariaDbConnector of the same name, which resumes from that position: the rows written after it
 * arrive, the row before it does not, and there is no snapshot.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { testKafkaBrokers } from '../../setup/env.ts';
import { startStandaloneWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { main } from '../../../cli/main.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createDatabase, mysqlServer } from '../mysql/helpers.ts';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _e, cb) {
        f(String(chunk));
        cb();
      },
    });
  const code = await main(argv, {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
  });
  return { code, out, err };
}

describe('migrating a Debezium MariaDB connector with tributary offsets import', () => {
  it('resumes from the imported binlog position', async () => {
    const id = randomBytes(4).toString('hex');
    const { db, conn } = await createDatabase('migrate');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-migrate-'));
    const worker = await startStandaloneWorker(
      { listeners: 'http://127.0.0.1:0', 'tributary.data.dir': path.join(dir, 'data'), 'tributary.log.sync': 'os' },
      { logger: silentLogger },
    );
    try {
      await conn.query('CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(100))');
      await conn.query("INSERT INTO customers VALUES (1, 'before-the-offset@example.com')");
      // Where "Debezium" stopped: after row 1.
      const [[status]] = (await conn.query('SHOW MASTER STATUS')) as unknown as [[{ File: string; Position: number }]];
      const [[gtid]] = (await conn.query('SELECT @@gtid_binlog_pos AS pos, @@server_id AS server_id')) as unknown as [
        [{ pos: string; server_id: number }],
      ];
      await conn.query("INSERT INTO customers VALUES (2, 'after-1@example.com'), (3, 'after-2@example.com')");

      const name = `inventory-${id}`;
      const prefix = `dbserver_${id}`;
      const offsetsTopic = `connect-offsets-${id}`;
      const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      // Kafka Connect's OffsetStorageWriter: key [connector, partition], value the offset map (JSON, no schemas).
      await producer.send({
        topic: offsetsTopic,
        messages: [
          {
            key: JSON.stringify([name, { server: prefix }]),
            value: JSON.stringify({ file: status.File, pos: 4, server_id: gtid.server_id, ts_sec: 1 }),
          },
          {
            key: JSON.stringify([name, { server: prefix }]),
            value: JSON.stringify({
              ts_sec: Math.floor(Date.now() / 1000),
              file: status.File,
              pos: Number(status.Position),
              gtids: gtid.pos,
              server_id: gtid.server_id,
            }),
          },
        ],
      });
      await producer.disconnect();

      const s = mysqlServer();
      const file = path.join(dir, 'inventory-connector.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          name,
          config: {
            'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
            'database.hostname': s.host,
            'database.port': s.port,
            'database.user': s.user,
            'database.password': s.password,
            'database.server.id': String(200_000 + Math.floor(Math.random() * 100_000)),
            'topic.prefix': prefix,
            'database.include.list': db,
            'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
            'schema.history.internal.file.filename': path.join(dir, 'history.jsonl'),
          },
        }),
      );
      const url = ['--url', worker.url];
      expect((await cli(['connectors', 'create', file, '--initial-state', 'STOPPED', ...url])).code).toBe(0);

      const dry = await cli([
        'offsets',
        'import',
        '--bootstrap-server',
        testKafkaBrokers().join(','),
        '--topic',
        offsetsTopic,
        '--connector',
        name,
        '--dry-run',
        ...url,
      ]);
      expect(dry.code, dry.err).toBe(0);
      expect(JSON.parse(dry.out)).toEqual({
        connector: name,
        offsets: [
          {
            partition: { server: prefix },
            offset: expect.objectContaining({ pos: Number(status.Position), gtids: gtid.pos }),
          },
        ],
      });
      const imported = await cli([
        'offsets',
        'import',
        '--bootstrap-server',
        testKafkaBrokers().join(','),
        '--topic',
        offsetsTopic,
        '--connector',
        name,
        ...url,
      ]);
      expect(imported, imported.err).toMatchObject({ code: 0, out: `${name}: imported 1 partition offset(s)\n` });
      const got = await cli(['offsets', 'get', name, ...url]);
      expect(JSON.parse(got.out).offsets[0]).toMatchObject({
        partition: { server: prefix },
        offset: { file: status.File, pos: Number(status.Position), gtids: gtid.pos },
      });

      expect((await cli(['connectors', 'resume', name, ...url])).code).toBe(0);
      const topic = `${prefix}.${db}.customers`;
      const records = await waitFor(
        async () => {
          const r = await cli(['consume', topic, ...url]);
          const lines =
            r.code === 0
              ? r.out
                  .trim()
                  .split('\n')
                  .filter(Boolean)
                  .map((l) => JSON.parse(l) as { value: { op: string; after: { id: number } } })
              : [];
          return lines.length >= 2 ? lines : null;
        },
        { timeoutMs: 60_000, what: `the rows after the imported offset on ${topic}` },
      );
      expect(records.map((r) => [r.value.op, r.value.after.id])).toEqual([
        ['c', 2],
        ['c', 3],
      ]);
    } finally {
      await worker.stop();
      await conn.query(`DROP DATABASE \`${db}\``).catch(() => undefined);
      await conn.end();
    }
  }, 180_000);
});
