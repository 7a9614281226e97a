/**
 * A distributed worker's log: group rebalances in Kafka Connect's DistributedHerder wording, with
 * what this worker was assigned, and the connector/task lifecycle lines of what it runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { startDistributedWorker, type RunningDistributedWorker } from '../../../app/workers.ts';
import { createLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { waitFor } from '../../helpers/wait.ts';

let worker: RunningDistributedWorker | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-dist-log-'));
afterAll(async () => {
  await worker?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('distributed worker log lines', () => {
  it('rebalances and assignments as Kafka Connect words them', { timeout: 90_000 }, async () => {
    const id = randomUUID().slice(0, 8);
    const msgs: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        for (const l of chunk.toString().split('\n')) if (l) msgs.push((JSON.parse(l) as { msg: string }).msg);
        done();
      },
    });
    worker = await startDistributedWorker(
      {
        'bootstrap.servers': testKafkaBrokers().join(','),
        listeners: 'http://127.0.0.1:0',
        'group.id': `tributary-log-${id}`,
        'config.storage.topic': `log-${id}-configs`,
        'offset.storage.topic': `log-${id}-offsets`,
        'status.storage.topic': `log-${id}-status`,
        'config.storage.replication.factor': '1',
        'offset.storage.replication.factor': '1',
        'status.storage.replication.factor': '1',
        'offset.storage.partitions': '1',
        'status.storage.partitions': '1',
        'session.timeout.ms': '6000',
        'heartbeat.interval.ms': '1000',
        'file.allowed.paths': dir,
        'scheduled.rebalance.max.delay.ms': '0',
      },
      { logger: createLogger({ level: 'info', destination, format: 'json' }) },
    );
    await waitFor(
      async () =>
        msgs.some((m) =>
          /^Joined group at generation \d+ and got assignment: Assignment\{leader='[^']+', connectorIds=\[\], taskIds=\[\]\}$/.test(
            m,
          ),
        ),
      { what: 'the first join', timeoutMs: 60_000 },
    );

    fs.writeFileSync(path.join(dir, 'in.txt'), 'x\n');
    const name = `log-src-${id}`;
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        config: {
          'connector.class': 'FileStreamSource',
          file: path.join(dir, 'in.txt'),
          topic: `log-${id}-lines`,
          'topic.creation.default.partitions': '1',
          'topic.creation.default.replication.factor': '1',
        },
      }),
    });
    expect(res.status).toBe(201);
    const assigned = new RegExp(
      `^Joined group at generation \\d+ and got assignment: Assignment\\{leader='[^']+', connectorIds=\\[${name}\\], taskIds=\\[${name}-0\\]\\}$`,
    );
    await waitFor(async () => msgs.some((m) => assigned.test(m)), {
      what: 'the assignment with the new connector and its task',
      timeoutMs: 60_000,
    });
    expect(msgs).toContain('Rebalance started');
    await waitFor(
      async () => msgs.includes(`WorkerSourceTask{id=${name}-0} Source task finished initialization and start`),
      { what: 'the task to start', timeoutMs: 30_000 },
    );
    expect(msgs).toContain(`Finished creating connector ${name}`);
  });
});
