/**
 * The worker's log as Kafka Connect and Debezium users read it: connector and task lifecycle lines
 * in Kafka Connect's words, Debezium's snapshot lines (per table, with row counts) from a real
 * PostgreSQL source, sink offset commits at DEBUG, and the connector and task ids on every line a
 * connector or task writes. Expectations are Kafka Connect's and Debezium's message texts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { createLogger } from '../../../runtime/logging.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import { connectorConfig as mysqlConfig, createDatabase } from '../mysql/helpers.ts';

type Line = { level: number; msg: string; connector?: string; task?: number; [k: string]: unknown };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-worker-log-'));
const lines: Line[] = [];
let worker: RunningWorker | undefined;
let pg: PgTestDb | undefined;
let maria: Awaited<ReturnType<typeof createDatabase>> | undefined;

afterAll(async () => {
  await worker?.stop();
  await pg?.drop();
  if (maria) {
    await maria.conn.query(`DROP DATABASE \`${maria.db}\``);
    await maria.conn.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, p: string, body?: unknown): Promise<number> {
  const res = await fetch(`${worker!.url}${p}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.text();
  return res.status;
}

const find = (re: RegExp) => lines.find((l) => re.test(l.msg));
const has = (re: RegExp) => async () => find(re) !== undefined;

describe('worker log lines', () => {
  it(
    'connector and task lifecycle, snapshot progress and offset commits, with connector and task ids',
    { timeout: 300_000 },
    async () => {
      pg = await createPgTestDb('logsnap');
      await pg.query('CREATE TABLE public.alpha (id int PRIMARY KEY, v text)');
      await pg.query("INSERT INTO public.alpha SELECT g, 'a' || g FROM generate_series(1, 30) g");
      await pg.query('CREATE TABLE public.beta (id int PRIMARY KEY)');
      await pg.query('INSERT INTO public.beta SELECT g FROM generate_series(1, 12) g');
      maria = await createDatabase('logmaria');
      await maria.conn.query(`CREATE TABLE \`${maria.db}\`.orders (id INT PRIMARY KEY)`);
      await maria.conn.query(`INSERT INTO \`${maria.db}\`.orders SELECT seq FROM seq_1_to_7`);
      const destination = new Writable({
        write(chunk: Buffer, _e, done) {
          for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Line);
          done();
        },
      });
      fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\n');
      worker = await startStandaloneWorker(
        {
          listeners: 'http://127.0.0.1:0',
          'tributary.data.dir': path.join(dir, 'data'),
          'tributary.log.sync': 'os',
          'offset.flush.interval.ms': '200',
          'file.allowed.paths': dir,
        },
        { logger: createLogger({ level: 'debug', destination, format: 'json' }) },
      );

      expect(
        await call('POST', '/connectors', {
          name: 'log-src',
          config: {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
            file: path.join(dir, 'in.txt'),
            topic: 'log-lines',
          },
        }),
      ).toBe(201);
      expect(
        await call('POST', '/connectors', {
          name: 'log-sink',
          config: {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
            file: path.join(dir, 'out.txt'),
            topics: 'log-lines',
          },
        }),
      ).toBe(201);
      expect(
        await call('POST', '/connectors', {
          name: 'log-pg',
          config: pg.connectorConfig({ 'snapshot.fetch.size': '5' }),
        }),
      ).toBe(201);
      expect(
        await call('POST', '/connectors', {
          name: 'log-maria',
          config: mysqlConfig(maria.db, dir, {
            'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
            'topic.prefix': `lm_${maria.db.slice(-6)}`,
          }),
        }),
      ).toBe(201);

      await waitFor(
        has(
          /^WorkerSinkTask\{id=log-sink-0\} Finished offset commit successfully in \d+ ms for sequence number \d+: \{log-lines-0=2\}$/,
        ),
        { what: 'the sink offset commit at DEBUG', timeoutMs: 60_000 },
      );
      const ended = (connector: string) => async () =>
        lines.some(
          (l) => l.connector === connector && /^Snapshot ended with SnapshotResult \[status=COMPLETED\]/.test(l.msg),
        );
      await waitFor(ended('log-pg'), { what: 'the end of the PostgreSQL snapshot', timeoutMs: 180_000 });
      await waitFor(ended('log-maria'), { what: 'the end of the MariaDB snapshot', timeoutMs: 60_000 });

      // Kafka Connect's Worker.startConnector / startTask and the task's start.
      expect(
        find(/^Creating connector log-src of type org\.apache\.kafka\.connect\.file\.FileStreamSourceConnector$/),
      ).toMatchObject({ level: 30, connector: 'log-src' });
      expect(
        find(
          /^Instantiated connector log-src with version \S+ of type org\.apache\.kafka\.connect\.file\.FileStreamSourceConnector$/,
        ),
      ).toMatchObject({ level: 30, connector: 'log-src' });
      expect(find(/^Finished creating connector log-src$/)).toMatchObject({ level: 30 });
      expect(find(/^Creating task log-src-0$/)).toMatchObject({ connector: 'log-src', task: 0 });
      expect(find(/^Instantiated task log-src-0 with version \S+ of type \w+$/)).toMatchObject({
        connector: 'log-src',
        task: 0,
      });
      expect(find(/^WorkerSourceTask\{id=log-src-0\} Source task finished initialization and start$/)).toMatchObject({
        level: 30,
        connector: 'log-src',
        task: 0,
      });
      expect(find(/^WorkerSinkTask\{id=log-sink-0\} Sink task finished initialization and start$/)).toMatchObject({
        level: 30,
        connector: 'log-sink',
        task: 0,
      });
      expect(find(/^WorkerSourceTask\{id=log-src-0\} Finished commitOffsets successfully in \d+ ms$/)).toMatchObject({
        level: 20,
        connector: 'log-src',
        task: 0,
      });
      expect(
        find(/^WorkerSinkTask\{id=log-sink-0\} Committing offsets using sequence number \d+: \{log-lines-0=2\}$/),
      ).toMatchObject({ level: 20, connector: 'log-sink', task: 0 });

      // Debezium's snapshot lines, per table in order, from the task's logger.
      const snapshot = lines
        .filter((l) => l.connector === 'log-pg' && /snapshot|export/i.test(l.msg))
        .map((l) => l.msg);
      const expected = [
        /^Snapshot step 7 - Snapshotting data$/,
        /^Exporting data from table 'public\.alpha' \(1 of 2 tables\)$/,
        /^\t Finished exporting 30 records for table 'public\.alpha' \(1 of 2 tables\); total duration '\d\d:\d\d:\d\d\.\d{3}'$/,
        /^Exporting data from table 'public\.beta' \(2 of 2 tables\)$/,
        /^\t Finished exporting 12 records for table 'public\.beta' \(2 of 2 tables\); total duration '\d\d:\d\d:\d\d\.\d{3}'$/,
        /^Snapshot - Final stage$/,
        /^Snapshot ended with SnapshotResult \[status=COMPLETED\] after \d\d:\d\d:\d\d\.\d{3}: 42 records from 2 tables$/,
      ];
      const ordered = snapshot.filter((m) => expected.some((re) => re.test(m)));
      expect(ordered.length, snapshot.join('\n')).toBe(expected.length);
      expected.forEach((re, i) => expect(ordered[i]).toMatch(re));
      for (const l of lines.filter((x) => x.connector === 'log-pg' && /export/i.test(x.msg))) expect(l.task).toBe(0);
      // The same lines for a MariaDB source (its own snapshotter, the same Debezium bean).
      const mariaDb = maria.db;
      const mariaLines = lines.filter((l) => l.connector === 'log-maria').map((l) => l.msg);
      expect(mariaLines).toContain(`Exporting data from table '${mariaDb}.orders' (1 of 1 tables)`);
      expect(
        mariaLines.some((m) =>
          m.startsWith(
            `\t Finished exporting 7 records for table '${mariaDb}.orders' (1 of 1 tables); total duration '`,
          ),
        ),
      ).toBe(true);

      // Pause, then delete: the target state and the stop.
      expect(await call('PUT', '/connectors/log-src/pause')).toBe(202);
      await waitFor(has(/^Setting connector log-src state to PAUSED$/), { what: 'the pause line', timeoutMs: 10_000 });
      expect(await call('DELETE', '/connectors/log-src')).toBe(204);
      await waitFor(has(/^Stopping connector log-src$/), { what: 'the stop line', timeoutMs: 10_000 });
      expect(find(/^Stopping task log-src-0$/)).toMatchObject({ level: 30, connector: 'log-src', task: 0 });

      // Every line a connector's task writes carries both ids.
      const taskLines = lines.filter((l) => typeof l.logger === 'string' && /\.task\.\d+$/.test(l.logger as string));
      expect(taskLines.length).toBeGreaterThan(10);
      for (const l of taskLines) {
        expect(typeof l.connector, l.msg).toBe('string');
        expect(typeof l.task, l.msg).toBe('number');
      }
    },
  );
});
