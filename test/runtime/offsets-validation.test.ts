/**
 * Issue 22: offsets PATCH is vetted by the connector (Kafka Connect's alterOffsets) before anything
 * is stored: bad types, negative positions, unknown partitions and sink partitions a topic does not
 * have are refused with 400 naming the field and value, and the stored offsets stay as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { waitFor } from '../helpers/wait.ts';

let worker: RunningWorker;
let dir: string;

async function api(
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: { message?: string; offsets?: unknown[] } }> {
  const res = await fetch(worker.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-offsets-validation-'));
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'offset.flush.interval.ms': '0',
      'tributary.log.sync': 'os',
      'file.allowed.paths': dir,
    },
    { logger: silentLogger },
  );
});
afterAll(() => worker?.stop());

const patch = (name: string, offsets: unknown[]) => api('PATCH', `/connectors/${name}/offsets`, { offsets });

describe('FileStreamSource offsets PATCH', () => {
  const input = () => path.join(dir, 'in.txt');
  it('refuses bad positions and unknown partitions with 400 naming the field, storing nothing', async () => {
    fs.writeFileSync(input(), 'a\nb\n');
    expect(
      (
        await api('POST', '/connectors', {
          name: 'fsrc',
          config: { 'connector.class': 'FileStreamSource', file: input(), topic: 'fsrc-topic' },
        })
      ).status,
    ).toBe(201);
    await waitFor(
      async () => JSON.stringify((await api('GET', '/connectors/fsrc/offsets')).body).includes('"position":4'),
      { what: 'the source offset after two lines' },
    );
    expect((await api('PUT', '/connectors/fsrc/stop')).status).toBeLessThan(300);
    const before = (await api('GET', '/connectors/fsrc/offsets')).body;

    const zzz = await patch('fsrc', [{ partition: { filename: input() }, offset: { position: 'zzz' } }]);
    expect(zzz.status).toBe(400);
    expect(zzz.body.message).toMatch(/'position'.*non-negative integer.*"zzz"/);
    const negative = await patch('fsrc', [{ partition: { filename: input() }, offset: { position: -5 } }]);
    expect(negative.status).toBe(400);
    expect(negative.body.message).toMatch(/'position'.*-5/);
    const missing = await patch('fsrc', [{ partition: { filename: input() }, offset: { pos: 3 } }]);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("contain the key 'position'");
    const other = await patch('fsrc', [{ partition: { filename: '/elsewhere/x.txt' }, offset: { position: 1 } }]);
    expect(other.status).toBe(400);
    expect(other.body.message).toContain('Unknown source partition {"filename":"/elsewhere/x.txt"}');
    const noFilename = await patch('fsrc', [{ partition: { file: input() }, offset: { position: 1 } }]);
    expect(noFilename.status).toBe(400);
    expect(noFilename.body.message).toContain("should contain the key 'filename'");
    // A refused request changes nothing, even when some of its entries were valid.
    const mixed = await patch('fsrc', [
      { partition: { filename: input() }, offset: { position: 2 } },
      { partition: { filename: input() }, offset: { position: 'zzz' } },
    ]);
    expect(mixed.status).toBe(400);
    expect((await api('GET', '/connectors/fsrc/offsets')).body).toEqual(before);

    const ok = await patch('fsrc', [{ partition: { filename: input() }, offset: { position: 2 } }]);
    expect(ok.status).toBe(200);
    expect((await api('GET', '/connectors/fsrc/offsets')).body.offsets).toEqual([
      { partition: { filename: input() }, offset: { position: 2 } },
    ]);
    // Resetting a stale partition (null offset) stays possible, so leftovers can be cleaned up.
    expect((await patch('fsrc', [{ partition: { filename: '/elsewhere/x.txt' }, offset: null }])).status).toBe(200);
  });
});

describe('sink offsets PATCH', () => {
  it('refuses a kafka_partition the topic does not have and an unknown topic', async () => {
    await worker.transport.admin.createTopic('one-partition', 1);
    const out = path.join(dir, 'out.txt');
    expect(
      (
        await api('POST', '/connectors', {
          name: 'fsink',
          config: { 'connector.class': 'FileStreamSink', file: out, topics: 'one-partition' },
        })
      ).status,
    ).toBe(201);
    expect((await api('PUT', '/connectors/fsink/stop')).status).toBeLessThan(300);
    const r = await patch('fsink', [
      { partition: { kafka_topic: 'one-partition', kafka_partition: 99 }, offset: { kafka_offset: 0 } },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      "The offsets for connector fsink were not changed: Invalid kafka_partition 99 for topic 'one-partition': the topic has 1 partition(s), numbered 0 to 0",
    );
    const unknown = await patch('fsink', [
      { partition: { kafka_topic: 'no-such-topic', kafka_partition: 0 }, offset: { kafka_offset: 0 } },
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain("Invalid kafka_topic 'no-such-topic'");
    expect(JSON.stringify((await api('GET', '/connectors/fsink/offsets')).body)).not.toContain('99');
    expect(
      (
        await patch('fsink', [
          { partition: { kafka_topic: 'one-partition', kafka_partition: 0 }, offset: { kafka_offset: 0 } },
        ])
      ).status,
    ).toBe(200);
  });
});

describe('PostgreSQL and MySQL/MariaDB offsets PATCH', () => {
  const db = {
    'database.hostname': '127.0.0.1',
    'database.port': '1',
    'database.user': 'u',
    'database.password': 'p',
    'topic.prefix': 'shop',
  };
  it('vets the shapes of Debezium PostgreSQL offsets (lsn, txId, partition)', async () => {
    expect(
      (
        await api('POST', '/connectors', {
          name: 'pgsrc',
          initial_state: 'STOPPED',
          config: {
            'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
            'database.dbname': 'shop',
            ...db,
          },
        })
      ).status,
    ).toBe(201);
    const lsnText = await patch('pgsrc', [{ partition: { server: 'shop' }, offset: { lsn: '0/16E0740' } }]);
    expect(lsnText.status).toBe(400);
    expect(lsnText.body.message).toMatch(/'lsn'.*"0\/16E0740"/);
    expect((await patch('pgsrc', [{ partition: { server: 'shop' }, offset: { txId: 5 } }])).body.message).toContain(
      "lacks the key 'lsn'",
    );
    expect((await patch('pgsrc', [{ partition: { server: 'other' }, offset: { lsn: 1 } }])).body.message).toContain(
      'Unknown source partition {"server":"other"}',
    );
    expect(
      (
        await patch('pgsrc', [
          { partition: { server: 'shop' }, offset: { lsn: 23987520, lsn_commit: 23987520, txId: 770, ts_usec: 1 } },
        ])
      ).status,
    ).toBe(200);
  });

  it('vets the shapes of Debezium binlog offsets (file, pos, gtids)', async () => {
    const created = await api('POST', '/connectors', {
      name: 'mysrc',
      initial_state: 'STOPPED',
      config: {
        'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
        'database.server.id': '5400',
        'schema.history.internal.file.filename': path.join(dir, 'history.jsonl'),
        ...db,
      },
    });
    expect(created.status, created.body.message).toBe(201);
    const noPos = await patch('mysrc', [{ partition: { server: 'shop' }, offset: { file: 'mysql-bin.000003' } }]);
    expect(noPos.status).toBe(400);
    expect(noPos.body.message).toContain("lacks the key 'pos'");
    expect(
      (await patch('mysrc', [{ partition: { server: 'shop' }, offset: { file: '../x', pos: 4 } }])).body.message,
    ).toMatch(/'file'.*binlog file name.*"\.\.\/x"/);
    expect(
      (await patch('mysrc', [{ partition: { server: 'shop' }, offset: { file: 'mysql-bin.000003', pos: -1 } }])).body
        .message,
    ).toMatch(/'pos'.*-1/);
    expect(
      (
        await patch('mysrc', [
          { partition: { server: 'shop' }, offset: { file: 'mysql-bin.000003', pos: 4, gtids: 'garbage' } },
        ])
      ).body.message,
    ).toMatch(/'gtids'.*GTID set.*"garbage"/);
    expect(
      (
        await patch('mysrc', [
          { partition: { server: 'shop' }, offset: { file: 'mysql-bin.000003', pos: 4, gtids: '0-1-100' } },
        ])
      ).status,
    ).toBe(200);
  });
});
