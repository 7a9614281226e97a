/**
 * Exactly-once across crashes: a worker process sinks a 20,000-record topic of the embedded log
 * into S3 and is killed with SIGKILL twice while files are open (multipart uploads in flight),
 * then restarted. Afterwards the bucket holds every record exactly once: the objects, in offset
 * order, cover the offsets back to back and their ids equal the topic's (count and checksum).
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedLog } from '../../../runtime/log/embedded-log.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { killProcess, startWorkerProcess, workerLog } from '../../helpers/worker-process.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createBucket, listKeys, openMultipartUploads, s3Props } from './helpers.ts';
import { contiguous, idsChecksum, readPartition } from './exactly-once.ts';

const N = 20_000;
const FLUSH = 2_000;

let worker: ChildProcess | undefined;
afterAll(() => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
});

describe('S3 sink across kill -9', () => {
  it('leaves every record exactly once in the bucket after two SIGKILLs mid-file', async () => {
    const bucket = await createBucket('kill9');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-s3-kill-'));
    const data = path.join(dir, 'data');
    const log = await EmbeddedLog.open({ dir: data, sync: 'os', logger: silentLogger });
    const pad = 'p'.repeat(2_600); // ~2.6 kB a record: a 2,000-record file is ~5.3 MB, more than one 5 MiB part
    for (let from = 0; from < N; from += 5_000) {
      const records = Array.from({ length: 5_000 }, (_, k) => ({
        key: null,
        value: Buffer.from(JSON.stringify({ id: from + k, pad })),
      }));
      await log.append([{ topic: 'orders', partition: 0, records }]);
    }
    await log.close();

    fs.writeFileSync(
      path.join(dir, 'worker.properties'),
      [
        'listeners=http://127.0.0.1:0',
        `tributary.data.dir=${data}`,
        'offset.flush.interval.ms=60000',
        'tributary.log.sync=os',
        'tributary.log.level=warn',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'sink.json'),
      JSON.stringify({
        name: 's3-sink',
        config: {
          ...s3Props(bucket, { 'flush.size': String(FLUSH), 's3.part.size': String(5 * 1024 * 1024) }),
          topics: 'orders',
          'tasks.max': '1',
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
        },
      }),
    );
    const prefix = 'topics/orders/partition=0/';
    const seen: number[] = [];
    for (const atLeast of [3, 6]) {
      worker = startWorkerProcess(dir, ['sink.json']);
      await waitFor(async () => (await listKeys(bucket, prefix)).length >= atLeast, {
        timeoutMs: 90_000,
        intervalMs: 20,
        what: `${atLeast} objects (worker log: ${workerLog(dir).slice(-2000)})`,
      });
      await killProcess(worker);
      seen.push((await listKeys(bucket, prefix)).length);
    }
    // Killed mid-run both times, with the offsets not committed since the start (offset.flush.interval.ms=60000).
    expect(seen[1]).toBeLessThan(N / FLUSH);
    worker = startWorkerProcess(dir, ['sink.json']);
    await waitFor(async () => (await listKeys(bucket, prefix)).length === N / FLUSH, {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: `all ${N / FLUSH} objects (worker log: ${workerLog(dir).slice(-2000)})`,
    });
    await killProcess(worker);

    const got = await readPartition(bucket, prefix);
    expect(got.objects).toBe(N / FLUSH);
    expect(contiguous(got.ranges, N)).toBe(true);
    expect(got.ids.length).toBe(N);
    expect(idsChecksum(got.ids)).toBe(idsChecksum(Array.from({ length: N }, (_, i) => i)));
    // Uploads the kills left open are invisible (never objects); count them for the record.
    expect(await openMultipartUploads(bucket)).toBeGreaterThanOrEqual(0);
    expect(workerLog(dir)).not.toMatch(/"level":50/);
  }, 420_000);
});
