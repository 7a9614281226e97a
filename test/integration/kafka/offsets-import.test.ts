/**
 * `tributary offsets import`: Kafka Connect's offset topic (records as Kafka Connect writes them,
 * including overwritten offsets, a deleted partition and another connector) migrated into a
 * Tributary worker's stopped connector through the REST API.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { testKafkaBrokers } from '../../setup/env.ts';
import { startStandaloneWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { main } from '../../../cli/main.ts';

function capture(): { io: { stdout: Writable; stderr: Writable }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _e, cb) {
        f(String(chunk));
        cb();
      },
    });
  return {
    io: {
      stdout: sink((s) => {
        out += s;
      }),
      stderr: sink((s) => {
        err += s;
      }),
    },
    out: () => out,
    err: () => err,
  };
}

describe('tributary offsets import (from Kafka Connect)', () => {
  it('writes the last offset of every partition of the named connector into its stopped namesake', async () => {
    const brokers = testKafkaBrokers();
    const topic = `connect-offsets-${randomUUID()}`;
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-offimport-'));
    // FileStreamSource validates offsets against the one file it reads (alterOffsets), so the
    // migrated partitions name that file; the overwritten offset and the tombstone still apply.
    const file = path.join(dir, 'in.txt');
    const rec = (connector: string, partition: object, offset: object | null) => ({
      key: JSON.stringify([connector, partition]),
      value: offset === null ? null : JSON.stringify(offset),
    });
    await producer.send({
      topic,
      messages: [
        rec('files', { filename: file }, { position: 10 }),
        rec('other', { filename: '/data/c.txt' }, { position: 1 }),
        rec('files', { filename: file }, { position: 42 }),
        rec('files', { filename: '/data/gone.txt' }, { position: 3 }),
        rec('files', { filename: '/data/gone.txt' }, null),
      ],
    });
    await producer.disconnect();

    const worker = await startStandaloneWorker(
      { listeners: 'http://127.0.0.1:0', 'tributary.data.dir': dir, 'file.allowed.paths': dir },
      { logger: silentLogger },
    );
    try {
      const res = await fetch(`${worker.url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'files',
          config: { 'connector.class': 'FileStreamSource', file, topic: 'lines' },
          initial_state: 'STOPPED',
        }),
      });
      expect(res.status).toBe(201);

      const dry = capture();
      expect(
        await main(
          [
            'offsets',
            'import',
            '--bootstrap-server',
            brokers.join(','),
            '--topic',
            topic,
            '--connector',
            'files',
            '--dry-run',
            '--url',
            worker.url,
          ],
          dry.io,
        ),
      ).toBe(0);
      expect(JSON.parse(dry.out().trim())).toEqual({
        connector: 'files',
        offsets: [{ partition: { filename: file }, offset: { position: 42 } }],
      });

      const run = capture();
      expect(
        await main(
          [
            'offsets',
            'import',
            '--bootstrap-server',
            brokers.join(','),
            '--topic',
            topic,
            '--connector',
            'files',
            '--url',
            worker.url,
          ],
          run.io,
        ),
      ).toBe(0);
      expect(run.out()).toContain('files: imported 1 partition offset(s)');
      const got = (await (await fetch(`${worker.url}/connectors/files/offsets`)).json()) as {
        offsets: Array<{ partition: object; offset: object }>;
      };
      expect(got.offsets).toEqual([{ partition: { filename: file }, offset: { position: 42 } }]);

      // A connector that is not stopped (or missing) is reported with the fix, and the command fails.
      const all = capture();
      expect(
        await main(
          ['offsets', 'import', '--bootstrap-server', brokers.join(','), '--topic', topic, '--url', worker.url],
          all.io,
        ),
      ).toBe(1);
      expect(all.err()).toMatch(/other: HTTP 404 .*initial_state/);
    } finally {
      await worker.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
