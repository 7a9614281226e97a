/**
 * The REST API against a real standalone worker (embedded log, port 0), endpoint by endpoint,
 * with Kafka Connect's paths, bodies, status codes and messages. The cases are shared with the
 * distributed cluster's run (rest-conformance.ts); restarting the worker is standalone's own.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { testPlugins } from '../helpers/test-plugins.ts';
import { waitFor } from '../helpers/wait.ts';
import { call, restConformanceSuite } from './rest-conformance.ts';

let worker: RunningWorker;
let dir: string;

const api = (method: string, p: string, body?: unknown) => call(worker.url, method, p, body);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-rest-'));
  fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\nc\n');
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'offset.flush.interval.ms': '100',
      'tributary.log.sync': 'os',
    },
    { plugins: testPlugins, logger: silentLogger },
  );
});

afterAll(async () => {
  await worker?.stop();
});

restConformanceSuite({
  mode: 'standalone',
  url: () => worker.url,
  urls: () => [worker.url],
  urlOf: () => worker.url,
  workerIds: () => [worker.herder.workerId],
  dir: () => dir,
  suffix: '',
  storedConfig: async (name) => worker.embedded.get('connect-configs', `connector-${name}`),
});

describe('persistence', () => {
  it('a restarted worker resumes its connectors in their target states', async () => {
    await api('PUT', '/connectors/flaky/pause');
    const names = (await api('GET', '/connectors')).body.sort();
    await worker.stop();
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': path.join(dir, 'data'),
        'file.allowed.paths': dir,
        'offset.flush.interval.ms': '100',
        'tributary.log.sync': 'os',
      },
      { plugins: testPlugins, logger: silentLogger },
    );
    expect((await api('GET', '/connectors')).body.sort()).toEqual(names);
    expect((await api('GET', '/connectors/src/status')).body.connector.state).toBe('STOPPED');
    await waitFor(async () =>
      (await api('GET', '/connectors/flaky/status')).body.tasks.every((t: any) => t.state === 'PAUSED'),
    );
    expect((await api('GET', '/connectors/flaky/status')).body.connector.state).toBe('PAUSED');
  });
});
