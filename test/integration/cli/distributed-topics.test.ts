/** A distributed worker serves the topic console over its Kafka transport: its own config topic, read through the CLI. */
import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { startDistributedWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { waitFor } from '../../helpers/wait.ts';
import { main } from '../../../cli/main.ts';

function io(stdin?: string) {
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
      ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }),
    },
    out: () => out,
    err: () => err,
  };
}

describe('topic console on a distributed worker (Kafka)', () => {
  it('lists, describes and reads Kafka topics through /tributary/topics', async () => {
    const id = randomBytes(4).toString('hex');
    const worker = await startDistributedWorker(
      {
        'bootstrap.servers': testKafkaBrokers().join(','),
        listeners: 'http://127.0.0.1:0',
        'group.id': `tributary-console-${id}`,
        'config.storage.topic': `console-${id}-configs`,
        'offset.storage.topic': `console-${id}-offsets`,
        'status.storage.topic': `console-${id}-status`,
        'config.storage.replication.factor': '1',
        'offset.storage.replication.factor': '1',
        'status.storage.replication.factor': '1',
        'offset.storage.partitions': '2',
        'status.storage.partitions': '2',
        'file.allowed.paths': os.tmpdir(),
      },
      { logger: silentLogger },
    );
    try {
      await waitFor(async () => (await fetch(`${worker.url}/connectors`)).status === 200, {
        timeoutMs: 60_000,
        what: 'the worker to join its group',
      });
      // GET /connectors answers before the first rebalance ends; writes get 409 until then, as in Kafka Connect.
      const created = await waitFor(
        async () => {
          const res = await fetch(`${worker.url}/connectors`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              name: `console-${id}`,
              initial_state: 'STOPPED',
              config: {
                'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
                topics: `t-${id}`,
                file: path.join(os.tmpdir(), `console-${id}.txt`),
              },
            }),
          });
          return res.status === 409 ? null : { status: res.status, body: await res.text() };
        },
        { timeoutMs: 60_000, what: 'the connector to be created after the first rebalance' },
      );
      expect(created.status, created.body).toBe(201);

      const listed = io();
      expect(await main(['topics', 'list', '--url', worker.url], listed.io), listed.err()).toBe(0);
      expect(JSON.parse(listed.out())).toEqual(
        expect.arrayContaining([
          { name: `console-${id}-configs`, partitions: 1 },
          { name: `console-${id}-status`, partitions: 2 },
        ]),
      );

      const read = io();
      expect(
        await main(
          [
            'consume',
            `console-${id}-configs`,
            '--url',
            worker.url,
            '--value-converter',
            'string',
            '--key-converter',
            'string',
          ],
          read.io,
        ),
        read.err(),
      ).toBe(0);
      const records = read
        .out()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { key: string; value: string });
      const connectorRecord = records.find((r) => r.key === `connector-console-${id}`);
      expect(connectorRecord, read.out()).toBeDefined();
      expect(JSON.parse(connectorRecord!.value)).toMatchObject({ properties: { topics: `t-${id}` } });
    } finally {
      await worker.stop();
    }
  }, 180_000);
});
