/** Source connectors create their topics in the embedded log by their topic.creation.* settings. */
import { it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { waitFor } from '../helpers/wait.ts';

let worker: RunningWorker;
afterAll(() => worker?.stop());

it('creates a source topic with the configured partitions and retention', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-topics-'));
  fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\n');
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'tributary.log.sync': 'os',
    },
    { logger: silentLogger },
  );
  const post = (config: Record<string, string>) =>
    fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: config.topic,
        config: { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), ...config },
      }),
    });
  expect(
    (
      await post({
        topic: 'created',
        'topic.creation.default.partitions': '4',
        'topic.creation.default.replication.factor': '-1',
        'topic.creation.default.retention.ms': '3600000',
      })
    ).status,
  ).toBe(201);
  await waitFor(() => worker.embedded.log.describeTopic('created'));
  expect(worker.embedded.log.describeTopic('created')).toMatchObject({ partitions: 4, retentionMs: 3_600_000 });
  const bad = await post({ topic: 'bad', 'topic.creation.default.partitions': '4' });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { message: string }).message).toMatch(/set topic.creation.default.replication.factor/);
});
