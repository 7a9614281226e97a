/**
 * The REST conformance cases of test/runtime/rest-api.test.ts against a three-worker distributed
 * cluster, once through each worker: every request enters through that worker, which answers
 * reads from the internal topics, forwards writes to the leader and task restarts to the worker
 * running the task. Connectors and tasks land wherever the leader assigns them.
 */
import { describe, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startDistributedWorker, type RunningDistributedWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { testPlugins } from '../../helpers/test-plugins.ts';
import { waitFor } from '../../helpers/wait.ts';
import { restConformanceSuite } from '../../runtime/rest-conformance.ts';

const id = randomUUID().slice(0, 8);
const workers: RunningDistributedWorker[] = [];

beforeAll(async () => {
  const props = {
    'bootstrap.servers': testKafkaBrokers().join(','),
    listeners: 'http://127.0.0.1:0',
    'group.id': `tributary-rest-${id}`,
    'config.storage.topic': `rest-${id}-configs`,
    'offset.storage.topic': `rest-${id}-offsets`,
    'status.storage.topic': `rest-${id}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '3',
    'status.storage.partitions': '3',
    'session.timeout.ms': '6000',
    'heartbeat.interval.ms': '1000',
    'offset.flush.interval.ms': '100',
    // The suite's files are in fresh directories under the temp directory.
    'file.allowed.paths': os.tmpdir(),
  };
  for (let i = 0; i < 3; i++)
    workers.push(await startDistributedWorker(props, { plugins: testPlugins, logger: silentLogger }));
  await waitFor(() => workers.every((w) => w.view()?.members.length === 3), {
    timeoutMs: 60_000,
    what: 'three workers in one generation',
  });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
});

for (const entry of [0, 1, 2]) {
  describe(`through worker ${entry} of 3`, () => {
    let dir = '';
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `trib-rest-dist-${entry}-`));
      fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\nc\n');
    });
    restConformanceSuite({
      mode: 'distributed',
      url: () => workers[entry].url,
      urls: () => workers.map((w) => w.url),
      urlOf: (workerId) => {
        const w = workers.find((x) => x.self.id === workerId);
        if (!w) throw new Error(`No worker ${workerId} in this cluster`);
        return w.url;
      },
      workerIds: () => workers.map((w) => w.self.id),
      dir: () => dir,
      suffix: `-${entry}-${id}`,
      storedConfig: async (name) => {
        await workers[0].store.readToEnd();
        return workers[0].store.get('connect-configs', `connector-${name}`);
      },
    });
  });
}
