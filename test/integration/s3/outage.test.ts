/**
 * The S3 server unreachable for 30 s (a TCP proxy in front of it resets and refuses every
 * connection) while a worker sinks a topic: the task retries with backoff and stays RUNNING, then
 * resumes once the server is back, and the bucket holds every record exactly once.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';
import { waitFor } from '../../helpers/wait.ts';
import { testS3Url } from '../../setup/s3.ts';
import { createBucket, listKeys, s3Props } from './helpers.ts';
import { contiguous, idsChecksum, readPartition } from './exactly-once.ts';

const N = 20_000;
const FLUSH = 1_000;

let worker: RunningWorker | undefined;
let proxy: TcpProxy | undefined;
afterAll(async () => {
  await worker?.stop();
  await proxy?.stop();
});

async function status(w: RunningWorker): Promise<{ tasks: Array<{ state: string; trace?: string }> }> {
  return (await (await fetch(`${w.url}/connectors/s3-outage/status`)).json()) as {
    tasks: Array<{ state: string; trace?: string }>;
  };
}

describe('S3 sink while the server is down', () => {
  it('retries for 30 s, then resumes with nothing lost or duplicated', async () => {
    const bucket = await createBucket('outage');
    const target = new URL(testS3Url());
    proxy = await new TcpProxy(target.hostname, Number(target.port)).start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-s3-outage-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': dir,
        'offset.flush.interval.ms': '500',
        'tributary.log.sync': 'os',
      },
      { logger: silentLogger },
    );
    const append = async (from: number, to: number) => {
      const records = Array.from({ length: to - from }, (_, k) => ({
        key: null,
        value: Buffer.from(JSON.stringify({ id: from + k, note: `row ${from + k}` })),
      }));
      await worker!.embedded.log.append([{ topic: 'events', partition: 0, records }]);
    };
    await append(0, N / 2);
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 's3-outage',
        config: {
          ...s3Props(
            bucket,
            {
              'flush.size': String(FLUSH),
              's3.retry.backoff.ms': '200',
              'retry.backoff.ms': '2000',
              's3.part.retries': '1',
            },
            `http://127.0.0.1:${proxy.port}`,
          ),
          topics: 'events',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
        },
      }),
    });
    expect(res.status).toBe(201);
    // aws.secret.access.key is a PASSWORD: never shown by the REST API.
    const shown = (await (await fetch(`${worker.url}/connectors/s3-outage/config`)).json()) as Record<string, string>;
    expect(shown['aws.secret.access.key']).toBe('[hidden]');
    expect(shown['aws.access.key.id']).toBe('tributary');
    const prefix = 'topics/events/partition=0/';
    await waitFor(async () => (await listKeys(bucket, prefix)).length === N / 2 / FLUSH, {
      timeoutMs: 30_000,
      what: 'the first half in the bucket',
    });

    proxy.outage();
    await append(N / 2, N);
    const downSince = Date.now();
    while (Date.now() - downSince < 30_000) {
      const s = await status(worker);
      expect(s.tasks.map((t) => t.state)).toEqual(['RUNNING']);
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect((await listKeys(bucket, prefix)).length).toBe(N / 2 / FLUSH);
    proxy.restore();

    await waitFor(async () => (await listKeys(bucket, prefix)).length === N / FLUSH, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'all objects after the outage',
    });
    const got = await readPartition(bucket, prefix);
    expect(contiguous(got.ranges, N)).toBe(true);
    expect(got.ids.length).toBe(N);
    expect(idsChecksum(got.ids)).toBe(idsChecksum(Array.from({ length: N }, (_, i) => i)));
    expect((await status(worker)).tasks.map((t) => t.state)).toEqual(['RUNNING']);
  }, 150_000);
});
