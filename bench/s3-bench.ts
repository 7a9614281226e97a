/**
 * `npm run bench -- s3`: the S3 sink writing Debezium change events (envelopes of a 12-column
 * orders row with Decimal, Date, Time, Timestamp, MicroTimestamp, bytes and optional fields) to the
 * test setup's S3-compatible server (moto), as JSON lines and as Parquet (snappy): records/s and
 * MB/s of objects written, time spent in put() and the final preCommit() until every object is
 * committed (the distinct events are built between the calls, untimed). Reference in the
 * same run: raw PutObject of the very same object bytes (fetched back from the bucket, untimed) to
 * the same server, one request per object — the cost of the transfer alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ensureS3, S3_TEST_CREDENTIALS } from '../test/setup/s3.ts';
import { SchemaBuilder, Schemas, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { SinkRecord } from '../runtime/data/records.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../runtime/data/logical.ts';
import { silentLogger } from '../runtime/logging.ts';
import { S3SinkTask } from '../connectors/s3/s3-sink-task.ts';
import type { SinkTaskContext } from '../runtime/spi/sink.ts';

const MILLIS_PER_DAY = 86_400_000;
const BATCH = 2_000;
const TOPIC = 'bench.public.orders';

const ROW: Schema = SchemaBuilder.struct()
  .name('bench.public.orders.Value')
  .optional()
  .field('id', Schemas.INT64)
  .field('customer_id', Schemas.INT32)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('amount', Decimal.builder(2).optional().parameter('connect.decimal.precision', '12').build())
  .field('quantity', Schemas.INT16)
  .field('order_date', ConnectDate.schema())
  .field('order_time', ConnectTime.schema())
  .field('created_at', ConnectTimestamp.schema())
  .field('updated_at', SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').version(1).build())
  .field('active', Schemas.BOOLEAN)
  .field('payload', Schemas.OPTIONAL_BYTES)
  .field('score', Schemas.OPTIONAL_FLOAT64)
  .build();
const SOURCE: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .field('version', Schemas.STRING)
  .field('connector', Schemas.STRING)
  .field('name', Schemas.STRING)
  .field('ts_ms', Schemas.INT64)
  .field('db', Schemas.STRING)
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .field('txId', Schemas.OPTIONAL_INT64)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .build();
const ENVELOPE: Schema = SchemaBuilder.struct()
  .name('bench.public.orders.Envelope')
  .field('before', ROW)
  .field('after', ROW)
  .field('source', SOURCE)
  .field('op', Schemas.STRING)
  .field('ts_ms', Schemas.OPTIONAL_INT64)
  .build();

function row(i: number): Struct {
  return new Struct(ROW)
    .put('id', i + 1)
    .put('customer_id', i % 50_000)
    .put('name', i % 10 === 0 ? null : `customer ${i % 5000} order ${i}`)
    .put('amount', i % 7 === 0 ? null : new BigDecimal(BigInt(i % 1_000_000) * 100n + BigInt(i % 100), 2))
    .put('quantity', i % 300)
    .put('order_date', new Date((19_000 + (i % 2000)) * MILLIS_PER_DAY))
    .put('order_time', new Date((i * 1000) % MILLIS_PER_DAY))
    .put('created_at', new Date(1_700_000_000_000 + i))
    .put('updated_at', 1_700_000_000_000_000 + i * 1000)
    .put('active', i % 3 === 0)
    .put('payload', i % 4 === 0 ? null : Buffer.from([i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff]))
    .put('score', i % 5 === 0 ? null : i / 7);
}

/** Change event i: inserts, and every other one an update with its before image. */
function changeEvent(i: number): Struct {
  return new Struct(ENVELOPE)
    .put('before', i % 2 === 0 ? null : row(i - 1))
    .put('after', row(i))
    .put(
      'source',
      new Struct(SOURCE)
        .put('version', '2.7.3.Final')
        .put('connector', 'postgresql')
        .put('name', 'bench')
        .put('ts_ms', 1_700_000_000_000 + i)
        .put('db', 'postgres')
        .put('schema', 'public')
        .put('table', 'orders')
        .put('txId', 1000 + Math.floor(i / 10))
        .put('lsn', 5_000_000 + i * 100),
    )
    .put('op', i % 2 === 0 ? 'c' : 'u')
    .put('ts_ms', 1_700_000_000_100 + i);
}

class BenchContext implements SinkTaskContext {
  readonly connectorName = 's3-bench';
  readonly taskId = 0;
  readonly logger = silentLogger;
  readonly signal = new AbortController().signal;
  configs() {
    return {};
  }
  assignment() {
    return [{ topic: TOPIC, partition: 0 }];
  }
  offset() {}
  timeout() {}
  pause() {}
  resume() {}
  requestCommit() {}
  errantRecordReporter() {
    return null;
  }
}

async function listAll(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<Array<{ key: string; size: number }>> {
  const out: Array<{ key: string; size: number }> = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  const keys = await listAll(client, bucket, '');
  for (let i = 0; i < keys.length; i += 1000) {
    await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.slice(i, i + 1000).map((k) => ({ Key: k.key })) },
      }),
    );
  }
}

interface Measure {
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  objects: number;
  mb: number;
}

async function runSink(
  endpoint: string,
  bucket: string,
  formatClass: string,
  n: number,
  flushSize: number,
): Promise<Measure & { topicsDir: string }> {
  const topicsDir = `sink-${formatClass.split('.').pop()}`;
  const task = new S3SinkTask();
  task.initialize(new BenchContext());
  await task.start({
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    's3.bucket.name': bucket,
    's3.region': 'us-east-1',
    'store.url': endpoint,
    'aws.access.key.id': S3_TEST_CREDENTIALS.accessKeyId,
    'aws.secret.access.key': S3_TEST_CREDENTIALS.secretAccessKey,
    'topics.dir': topicsDir,
    'flush.size': String(flushSize),
    'format.class': formatClass,
    'parquet.codec': 'snappy',
  });
  await task.open!([{ topic: TOPIC, partition: 0 }]);
  // Every event distinct (as a converter hands them over), built outside the timed put() calls.
  let elapsed = 0n;
  for (let from = 0; from < n; from += BATCH) {
    const batch: SinkRecord[] = [];
    for (let i = from; i < Math.min(n, from + BATCH); i++)
      batch.push(
        new SinkRecord({
          topic: TOPIC,
          kafkaPartition: 0,
          kafkaOffset: i,
          valueSchema: ENVELOPE,
          value: changeEvent(i),
        }),
      );
    const t0 = process.hrtime.bigint();
    await task.put(batch);
    elapsed += process.hrtime.bigint() - t0;
  }
  const t1 = process.hrtime.bigint();
  await task.preCommit!([{ topic: TOPIC, partition: 0, offset: n }]);
  const seconds = Number(elapsed + process.hrtime.bigint() - t1) / 1e9;
  await task.close?.([{ topic: TOPIC, partition: 0 }]);
  await task.stop();
  const client = benchClient(endpoint);
  const objects = await listAll(client, bucket, `${topicsDir}/`);
  const bytes = objects.reduce((s, o) => s + o.size, 0);
  if (objects.length !== Math.floor(n / flushSize))
    throw new Error(
      `expected ${Math.floor(n / flushSize)} committed objects under ${topicsDir}/, found ${objects.length}`,
    );
  return {
    topicsDir,
    seconds: +seconds.toFixed(2),
    recordsPerSec: Math.round(n / seconds),
    mbPerSec: +(bytes / seconds / 1e6).toFixed(1),
    objects: objects.length,
    mb: +(bytes / 1e6).toFixed(1),
  };
}

function benchClient(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3_TEST_CREDENTIALS });
}

/** PutObject of the same object bytes the sink wrote, one request per object, sequentially. */
async function rawPutObject(endpoint: string, bucket: string, topicsDir: string, n: number): Promise<Measure> {
  const client = benchClient(endpoint);
  const objects = await listAll(client, bucket, `${topicsDir}/`);
  const bodies: Array<{ key: string; body: Uint8Array }> = [];
  for (const o of objects) {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.key }));
    bodies.push({ key: `raw/${o.key}`, body: await got.Body!.transformToByteArray() });
  }
  const bytes = bodies.reduce((s, b) => s + b.body.length, 0);
  const t0 = process.hrtime.bigint();
  for (const b of bodies) await client.send(new PutObjectCommand({ Bucket: bucket, Key: b.key, Body: b.body }));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    seconds: +seconds.toFixed(2),
    recordsPerSec: Math.round(n / seconds),
    mbPerSec: +(bytes / seconds / 1e6).toFixed(1),
    objects: bodies.length,
    mb: +(bytes / 1e6).toFixed(1),
  };
}

export async function runS3Bench(opts: { records?: number; flushSize?: number } = {}): Promise<object> {
  const n = opts.records ?? 1_000_000;
  const flushSize = opts.flushSize ?? Math.max(1, Math.floor(n / 10));
  const endpoint = process.env.TRIBUTARY_TEST_S3_URL ?? (await ensureS3());
  const bucket = `bench-s3-${Date.now()}`;
  const client = benchClient(endpoint);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const formats: Record<string, string> = {
    'JSON lines': 'io.confluent.connect.s3.format.json.JsonFormat',
    'Parquet (snappy)': 'io.confluent.connect.s3.format.parquet.ParquetFormat',
  };
  const results: Record<string, unknown> = {};
  try {
    for (const [label, formatClass] of Object.entries(formats)) {
      const sink = await runSink(endpoint, bucket, formatClass, n, flushSize);
      const raw = await rawPutObject(endpoint, bucket, sink.topicsDir, n);
      results[label] = {
        tributary: { ...sink, topicsDir: undefined },
        rawPutObject: raw,
        ratio: +(raw.seconds / sink.seconds).toFixed(3),
      };
      process.stderr.write(
        `s3 ${label}: sink ${sink.recordsPerSec.toLocaleString()} records/s, ${sink.mbPerSec} MB/s (${sink.objects} objects, ${sink.mb} MB); raw PutObject of the same bytes ${raw.mbPerSec} MB/s (${raw.seconds}s vs ${sink.seconds}s); ratio ${(raw.seconds / sink.seconds).toFixed(3)}\n`,
      );
      await emptyBucket(client, bucket);
    }
  } finally {
    await emptyBucket(client, bucket).catch(() => undefined);
  }
  const result = {
    records: n,
    flushSize,
    event: 'Debezium envelope (before/after of a 12-column orders row, source, op, ts_ms), half inserts, half updates',
    server: 'moto_server (test setup), loopback',
    formats: results,
    ratioMeans:
      'raw PutObject seconds / sink seconds for the same bytes (1 = the sink costs no more than the upload alone)',
  };
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 's3.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}
