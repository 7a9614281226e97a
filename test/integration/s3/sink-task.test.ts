/**
 * S3SinkTask against the real S3-compatible server (moto): each partitioner and format, read back
 * with independent readers (JSON.parse, zlib, avsc's container-file decoder), rotation by
 * flush.size, record time, wall clock and schema change, multipart uploads (and their abort),
 * idempotent redelivery, and the restart position taken from the objects in the bucket.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import avro from 'avsc';
import snappy from 'snappyjs';
import { SchemaBuilder, Schemas, type Schema } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { SinkRecord } from '../../../runtime/data/records.ts';
import { BigDecimal, ConnectDate, ConnectTimestamp, Decimal } from '../../../runtime/data/logical.ts';
import { ConfigException } from '../../../runtime/errors.ts';
import { S3SinkTask } from '../../../connectors/s3/s3-sink-task.ts';
import { S3SinkConnector } from '../../../connectors/s3/s3-sink-connector.ts';
import {
  createBucket,
  getObject,
  headObject,
  jsonLines,
  listKeys,
  openMultipartUploads,
  s3Props,
  S3TestContext,
} from './helpers.ts';
import { waitFor } from '../../helpers/wait.ts';

const tasks: S3SinkTask[] = [];
afterAll(async () => {
  for (const t of tasks) await t.stop();
});

async function startTask(props: Record<string, string>, ctx = new S3TestContext()) {
  const task = new S3SinkTask();
  task.initialize(ctx);
  await task.start(props);
  await task.open([{ topic: 't', partition: 0 }]);
  tasks.push(task);
  return { task, ctx };
}

const ADDRESS = SchemaBuilder.struct()
  .name('shop.Address')
  .field('country', Schemas.STRING)
  .field('city', Schemas.OPTIONAL_STRING)
  .build();
const ROW = SchemaBuilder.struct()
  .name('shop.Order')
  .version(1)
  .field('id', Schemas.INT64)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('price', Decimal.builder(2).optional().build())
  .field('day', ConnectDate.builder().optional().build())
  .field('created', ConnectTimestamp.builder().optional().build())
  .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
  .field('address', ADDRESS)
  .build();

const BASE_TS = Date.UTC(2026, 0, 15, 10, 30); // 2026-01-15T10:30Z

function order(id: number, country = 'FR'): Struct {
  return new Struct(ROW)
    .put('id', id)
    .put('name', `order ${id}`)
    .put('price', new BigDecimal(BigInt(id * 100 + 99), 2))
    .put('day', new Date(Date.UTC(2026, 0, 15)))
    .put('created', new Date(BASE_TS + id * 60_000))
    .put('tags', ['a', `t${id}`])
    .put('address', new Struct(ADDRESS).put('country', country).put('city', id % 2 ? 'Lyon' : null));
}

function rec(
  offset: number,
  value: unknown,
  schema: Schema | null = ROW,
  timestamp = BASE_TS + offset * 60_000,
): SinkRecord {
  return new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: offset, valueSchema: schema, value, timestamp });
}

const orders = (from: number, to: number, country?: (i: number) => string) =>
  Array.from({ length: to - from }, (_, k) => rec(from + k, order(from + k, country?.(from + k))));

/** What Kafka Connect's JsonConverter (schemas.enable=false) makes of order(id), written by hand from the converter's rules. */
function expectedJson(id: number, country = 'FR') {
  const unscaled = BigInt(id * 100 + 99);
  let hex = unscaled.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return {
    id,
    name: `order ${id}`,
    price: bytes.toString('base64'),
    day: Math.floor(Date.UTC(2026, 0, 15) / 86_400_000),
    created: BASE_TS + id * 60_000,
    tags: ['a', `t${id}`],
    address: { country, city: id % 2 ? 'Lyon' : null },
  };
}

describe('S3 sink task', () => {
  it('DefaultPartitioner + JsonFormat: Confluent object names, rotation by flush.size, offsets committed per finished file', async () => {
    const bucket = await createBucket('json');
    const { task } = await startTask(s3Props(bucket, { 'flush.size': '3' }));
    await task.put(orders(0, 7));
    const keys = await listKeys(bucket);
    expect(keys).toEqual(['topics/t/partition=0/t+0+0000000000.json', 'topics/t/partition=0/t+0+0000000003.json']);
    expect(jsonLines(await getObject(bucket, keys[0]))).toEqual([0, 1, 2].map((i) => expectedJson(i)));
    expect(jsonLines(await getObject(bucket, keys[1]))).toEqual([3, 4, 5].map((i) => expectedJson(i)));
    // Offset 6 is in the open file: only 6 may be committed.
    expect(await task.preCommit([{ topic: 't', partition: 0, offset: 7 }])).toEqual([
      { topic: 't', partition: 0, offset: 6 },
    ]);
    // A redelivered batch (after a RetriableException) writes nothing twice.
    await task.put(orders(0, 9));
    expect(await listKeys(bucket)).toHaveLength(3);
    expect(jsonLines(await getObject(bucket, 'topics/t/partition=0/t+0+0000000006.json'))).toEqual(
      [6, 7, 8].map((i) => expectedJson(i)),
    );
  });

  it('JsonFormat with s3.compression.type=gzip and json.decimal.format=NUMERIC, custom topics.dir', async () => {
    const bucket = await createBucket('gzip');
    const { task } = await startTask(
      s3Props(bucket, {
        'flush.size': '2',
        's3.compression.type': 'gzip',
        'json.decimal.format': 'NUMERIC',
        'topics.dir': 'lake/raw',
      }),
    );
    await task.put(orders(10, 12));
    const keys = await listKeys(bucket);
    expect(keys).toEqual(['lake/raw/t/partition=0/t+0+0000000010.json.gz']);
    const lines = jsonLines(zlib.gunzipSync(await getObject(bucket, keys[0]))) as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.id, l.price])).toEqual([
      [10, 10.99],
      [11, 11.99],
    ]);
  });

  it('FieldPartitioner with a nested path and several fields', async () => {
    const bucket = await createBucket('field');
    const { task } = await startTask(
      s3Props(bucket, {
        'flush.size': '6',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner',
        'partition.field.name': 'address.country,id',
      }),
    );
    await task.put(
      orders(0, 6, (i) => (i < 3 ? 'FR' : 'DE')).map((r, i) => rec(r.kafkaOffset, order(i % 2, i < 3 ? 'FR' : 'DE'))),
    );
    const keys = await listKeys(bucket);
    expect(keys).toEqual([
      'topics/t/address.country=DE/id=0/t+0+0000000004.json',
      'topics/t/address.country=DE/id=1/t+0+0000000003.json',
      'topics/t/address.country=FR/id=0/t+0+0000000000.json',
      'topics/t/address.country=FR/id=1/t+0+0000000001.json',
    ]);
    expect(jsonLines(await getObject(bucket, keys[2]))).toEqual([expectedJson(0), expectedJson(0)]);
    // The last file of the round carries the resume marker.
    const metas = await Promise.all(keys.map((k) => headObject(bucket, k)));
    expect(metas.filter((m) => m.metadata['tributary-next-offset'] === '6')).toHaveLength(1);
  });

  it('TimeBasedPartitioner with RecordField, a Joda path.format, a time zone and a locale', async () => {
    const bucket = await createBucket('time');
    const { task } = await startTask(
      s3Props(bucket, {
        'flush.size': '4',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
        'path.format': "'year'=YYYY/'month'=MMMM/'day'=dd/'hour'=HH",
        'partition.duration.ms': '1800000',
        locale: 'fr',
        timezone: 'America/New_York',
        'timestamp.extractor': 'RecordField',
        'timestamp.field': 'created',
      }),
    );
    // created = 10:30Z + id minutes: ids 0..29 fall in 05:30-06:00 New York time, 30..33 in 06:00-06:30.
    await task.put([rec(0, order(0)), rec(1, order(29)), rec(2, order(30)), rec(3, order(33))]);
    expect(await listKeys(bucket)).toEqual([
      'topics/t/year=2026/month=janvier/day=15/hour=05/t+0+0000000000.json',
      'topics/t/year=2026/month=janvier/day=15/hour=06/t+0+0000000002.json',
    ]);
  });

  it.each([
    ['DailyPartitioner', 'Record', 'topics/t/year=2026/month=01/day=16/t+0+0000000000.json'],
    ['HourlyPartitioner', 'Record', 'topics/t/year=2026/month=01/day=16/hour=00/t+0+0000000000.json'],
  ])('%s with the %s timestamp extractor', async (cls, extractor, key) => {
    const bucket = await createBucket(cls.toLowerCase().slice(0, 6));
    const { task } = await startTask(
      s3Props(bucket, {
        'flush.size': '1',
        'partitioner.class': cls,
        locale: 'en-US',
        timezone: 'Asia/Tokyo',
        'timestamp.extractor': extractor,
      }),
    );
    await task.put([rec(0, order(0), ROW, Date.UTC(2026, 0, 15, 15, 10))]); // 00:10 on the 16th in Tokyo
    expect(await listKeys(bucket)).toEqual([key]);
  });

  it('Wallclock extractor partitions by processing time', async () => {
    const bucket = await createBucket('wall');
    const { task } = await startTask(
      s3Props(bucket, {
        'flush.size': '1',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.HourlyPartitioner',
        locale: 'en-US',
        timezone: 'UTC',
        'timestamp.extractor': 'Wallclock',
      }),
    );
    const before = new Date();
    await task.put([rec(0, order(0), ROW, 0)]);
    const keys = await listKeys(bucket);
    const hour = (d: Date) =>
      `year=${d.getUTCFullYear()}/month=${String(d.getUTCMonth() + 1).padStart(2, '0')}/day=${String(d.getUTCDate()).padStart(2, '0')}/hour=${String(d.getUTCHours()).padStart(2, '0')}`;
    expect([
      `topics/t/${hour(before)}/t+0+0000000000.json`,
      `topics/t/${hour(new Date())}/t+0+0000000000.json`,
    ]).toContain(keys[0]);
  });

  it('AvroFormat: object container files read back with avsc (null, deflate and snappy codecs), schema from the Connect schema', async () => {
    for (const codec of ['null', 'deflate', 'snappy']) {
      const bucket = await createBucket(`avro-${codec}`);
      const { task } = await startTask(
        s3Props(bucket, {
          'flush.size': '3',
          'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat',
          'avro.codec': codec,
        }),
      );
      await task.put(orders(0, 3));
      const keys = await listKeys(bucket);
      expect(keys).toEqual(['topics/t/partition=0/t+0+0000000000.avro']);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 's3-avro-')), 'f.avro');
      fs.writeFileSync(file, await getObject(bucket, keys[0]));
      const rows: Array<Record<string, unknown>> = [];
      let schema: Record<string, unknown> | undefined;
      await new Promise<void>((resolve, reject) => {
        avro
          .createFileDecoder(file, {
            codecs: {
              null: (buf: Buffer, cb: (e: Error | null, b?: Buffer) => void) => cb(null, buf),
              deflate: zlib.inflateRaw,
              snappy: (buf: Buffer, cb: (e: Error | null, b?: Buffer) => void) =>
                cb(null, Buffer.from(snappy.uncompress(buf.subarray(0, buf.length - 4)) as Uint8Array)),
            },
          } as never)
          .on('metadata', (type: avro.Type) => {
            schema = type.schema() as Record<string, unknown>;
          })
          .on('data', (r: Record<string, unknown>) => rows.push(r))
          .on('end', () => resolve())
          .on('error', reject);
      });
      expect(schema?.name).toBe('shop.Order');
      expect(rows.map((r) => r.id)).toEqual([0, 1, 2]);
      expect(rows[1].name).toEqual('order 1');
      expect((rows[1].address as Record<string, unknown>).country).toEqual('FR');
      expect(Buffer.from(rows[1].price as Buffer).readUIntBE(0, (rows[1].price as Buffer).length)).toBe(199);
      expect(rows[2].created).toBe(BASE_TS + 2 * 60_000);
    }
  });

  it('ByteArrayFormat writes the raw value bytes with the separator', async () => {
    const bucket = await createBucket('bytes');
    const { task } = await startTask(
      s3Props(bucket, {
        'flush.size': '2',
        'format.class': 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat',
        'format.bytearray.separator': '|',
        'format.bytearray.extension': '.raw',
      }),
    );
    await task.put([
      rec(0, Buffer.from('héllo'), Schemas.OPTIONAL_BYTES),
      rec(1, Buffer.from([0, 1, 2]), Schemas.OPTIONAL_BYTES),
    ]);
    expect(await listKeys(bucket)).toEqual(['topics/t/partition=0/t+0+0000000000.raw']);
    expect(await getObject(bucket, 'topics/t/partition=0/t+0+0000000000.raw')).toEqual(
      Buffer.concat([Buffer.from('héllo|'), Buffer.from([0, 1, 2]), Buffer.from('|')]),
    );
  });

  it('rotate.interval.ms rotates on record time (TimeBasedPartitioner, Record extractor)', async () => {
    const bucket = await createBucket('rotrec');
    const { task } = await startTask(
      s3Props(bucket, {
        'flush.size': '1000',
        'rotate.interval.ms': '600000',
        'partitioner.class': 'io.confluent.connect.storage.partitioner.DailyPartitioner',
        locale: 'en-US',
        timezone: 'UTC',
        'timestamp.extractor': 'Record',
      }),
    );
    // Record timestamps one minute apart: a file spans less than 10 minutes of record time.
    await task.put(orders(0, 25));
    const keys = await listKeys(bucket);
    expect(keys).toEqual([
      'topics/t/year=2026/month=01/day=15/t+0+0000000000.json',
      'topics/t/year=2026/month=01/day=15/t+0+0000000010.json',
    ]);
    expect(jsonLines(await getObject(bucket, keys[1]))).toHaveLength(10);
  });

  it('rotate.schedule.interval.ms rotates on the wall clock with no new records', async () => {
    const bucket = await createBucket('rotwall');
    const { task, ctx } = await startTask(
      s3Props(bucket, { 'flush.size': '1000', 'rotate.schedule.interval.ms': '1500', timezone: 'UTC' }),
    );
    await task.put(orders(0, 4));
    expect(await listKeys(bucket)).toEqual([]);
    // The task asks the worker for a commit when the rotation is due; the worker then calls preCommit.
    await waitFor(async () => ctx.commitRequests > 0, {
      timeoutMs: 5000,
      what: 'a commit request from the schedule timer',
    });
    expect(await task.preCommit([{ topic: 't', partition: 0, offset: 4 }])).toEqual([
      { topic: 't', partition: 0, offset: 4 },
    ]);
    expect(await listKeys(bucket)).toEqual(['topics/t/partition=0/t+0+0000000000.json']);
  });

  it('a schema change rotates the file (schema.compatibility=NONE); BACKWARD projects older versions', async () => {
    const v2 = SchemaBuilder.struct()
      .name('shop.Order')
      .version(2)
      .field('id', Schemas.INT64)
      .field('note', SchemaBuilder.string().optional().defaultValue('none').build())
      .build();
    const v1 = SchemaBuilder.struct().name('shop.Order').version(1).field('id', Schemas.INT64).build();
    const bucket = await createBucket('schema');
    const { task } = await startTask(s3Props(bucket, { 'flush.size': '100', 'rotate.schedule.interval.ms': '-1' }));
    await task.put([
      rec(0, new Struct(v1).put('id', 1), v1),
      rec(1, new Struct(v2).put('id', 2).put('note', 'x'), v2),
      rec(2, new Struct(v2).put('id', 3), v2),
    ]);
    expect(await listKeys(bucket)).toEqual(['topics/t/partition=0/t+0+0000000000.json']);

    const b2 = await createBucket('backward');
    const { task: t2 } = await startTask(s3Props(b2, { 'flush.size': '3', 'schema.compatibility': 'BACKWARD' }));
    await t2.put([
      rec(0, new Struct(v2).put('id', 1).put('note', 'n'), v2),
      rec(1, new Struct(v1).put('id', 2), v1),
      rec(2, new Struct(v2).put('id', 3).put('note', 'm'), v2),
    ]);
    expect(await listKeys(b2)).toEqual(['topics/t/partition=0/t+0+0000000000.json']);
    expect(jsonLines(await getObject(b2, 'topics/t/partition=0/t+0+0000000000.json'))).toEqual([
      { id: 1, note: 'n' },
      { id: 2, note: 'none' },
      { id: 3, note: 'm' },
    ]);
  });

  it('large files go up as multipart uploads of s3.part.size; closing aborts started uploads', async () => {
    const bucket = await createBucket('multipart');
    const big = SchemaBuilder.struct().name('Blob').field('id', Schemas.INT32).field('data', Schemas.STRING).build();
    const pad = 'x'.repeat(100_000);
    const records = Array.from({ length: 130 }, (_, i) => rec(i, new Struct(big).put('id', i).put('data', pad), big));
    const { task } = await startTask(s3Props(bucket, { 'flush.size': '120', 's3.part.size': String(5 * 1024 * 1024) }));
    // 110 × ~100 kB: parts of 5 MiB are uploaded while the file is still open.
    await task.put(records.slice(0, 110));
    expect(await listKeys(bucket)).toEqual([]);
    expect(await openMultipartUploads(bucket)).toBe(1);
    expect(task.bufferedBytes()).toBeLessThan(2 * 5 * 1024 * 1024);
    await task.put(records.slice(110));
    expect(await openMultipartUploads(bucket)).toBe(0);
    const keys = await listKeys(bucket);
    expect(keys).toEqual(['topics/t/partition=0/t+0+0000000000.json']);
    const head = await headObject(bucket, keys[0]);
    expect(head.size).toBeGreaterThan(12_000_000);
    expect(head.metadata['tributary-next-offset']).toBe('120');
    const lines = jsonLines(await getObject(bucket, keys[0])) as Array<{ id: number }>;
    expect(lines.map((l) => l.id)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    // Memory per open file stays around one part: 10 records are open, well under the part size.
    expect(task.bufferedBytes()).toBeLessThan(2 * 5 * 1024 * 1024);

    // An open file past one part has a multipart upload in progress; close() aborts it.
    await task.put(
      Array.from({ length: 60 }, (_, i) => rec(130 + i, new Struct(big).put('id', 130 + i).put('data', pad), big)),
    );
    expect(await openMultipartUploads(bucket)).toBe(1);
    await task.close([{ topic: 't', partition: 0 }]);
    expect(await openMultipartUploads(bucket)).toBe(0);
  });

  it('a restarted task resumes after the last object in the bucket, even with an older committed offset', async () => {
    const bucket = await createBucket('resume');
    const { task } = await startTask(s3Props(bucket, { 'flush.size': '4' }));
    await task.put(orders(0, 10));
    await task.stop();
    const ctx = new S3TestContext();
    const { task: again } = await startTask(s3Props(bucket, { 'flush.size': '4' }), ctx);
    expect(ctx.seeks).toEqual([{ topic: 't', partition: 0, offset: 8 }]);
    // The worker redelivers from its committed offset (0): nothing below 8 is written again.
    await again.put(orders(0, 12));
    expect(await listKeys(bucket)).toEqual([
      'topics/t/partition=0/t+0+0000000000.json',
      'topics/t/partition=0/t+0+0000000004.json',
      'topics/t/partition=0/t+0+0000000008.json',
    ]);
    expect(jsonLines(await getObject(bucket, 'topics/t/partition=0/t+0+0000000008.json'))).toEqual(
      [8, 9, 10, 11].map((i) => expectedJson(i)),
    );
  });

  it('tombstones fail by default and are skipped with behavior.on.null.values=ignore; bad records go to the reporter', async () => {
    const bucket = await createBucket('nulls');
    const { task } = await startTask(s3Props(bucket, { 'flush.size': '2' }));
    await expect(task.put([rec(0, null)])).rejects.toThrow(/behavior.on.null.values=ignore/);
    const b2 = await createBucket('nulls2');
    const ctx = new S3TestContext(true);
    const { task: t2 } = await startTask(
      s3Props(b2, {
        'flush.size': '2',
        'behavior.on.null.values': 'ignore',
        'partitioner.class': 'FieldPartitioner',
        'partition.field.name': 'tags',
      }),
      ctx,
    );
    await t2.put([rec(0, null), rec(1, order(1))]);
    expect(ctx.reported.map((r) => r.error.message)).toEqual([
      expect.stringMatching(/Type array of field 'tags' is not supported as a partition key/),
    ]);
    expect(await t2.preCommit([{ topic: 't', partition: 0, offset: 2 }])).toEqual([
      { topic: 't', partition: 0, offset: 2 },
    ]);
  });

  it('refuses unsupported configurations with the key, the value and the fix', async () => {
    const c = new S3SinkConnector();
    const bucket = 'unused';
    const errors = (extra: Record<string, string>) =>
      c.validate(s3Props(bucket, extra)).flatMap((v) => v.errorMessages.map((m) => `${v.name}: ${m}`));
    expect(errors({ 'format.class': 'io.confluent.connect.s3.format.orc.OrcFormat' })).toEqual([
      expect.stringMatching(/^format.class: Invalid value .*OrcFormat.*JsonFormat/),
    ]);
    expect(errors({ 'store.kafka.keys': 'true' })).toEqual([
      expect.stringMatching(/store.kafka.keys=true is not supported.*remove it/),
    ]);
    expect(
      errors({ 'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat', 's3.compression.type': 'gzip' }),
    ).toEqual([expect.stringMatching(/s3.compression.type=gzip does not apply to AvroFormat.*avro.codec/)]);
    expect(
      errors({
        'partitioner.class': 'TimeBasedPartitioner',
        'path.format': "'y'=YYYY",
        'partition.duration.ms': '1000',
        locale: 'en',
        timezone: 'UTC',
        'timestamp.extractor': 'Bogus',
      }),
    ).toEqual([expect.stringMatching(/timestamp.extractor: Invalid value Bogus.*Wallclock, Record or RecordField/)]);
    expect(
      errors({
        'partitioner.class': 'TimeBasedPartitioner',
        'path.format': "'q'=QQ",
        'partition.duration.ms': '1000',
        locale: 'en',
        timezone: 'UTC',
      }),
    ).toEqual([expect.stringMatching(/path.format: .*pattern letter 'Q' is not supported/)]);
    expect(errors({ 'aws.access.key.id': '' })).toEqual([
      expect.stringMatching(/aws.access.key.id and aws.secret.access.key must be set together/),
    ]);
    expect(errors({})).toEqual([]);
    expect(() => new S3SinkConnector().start(s3Props(bucket, { 'behavior.on.null.values': 'write' }))).toThrow(
      ConfigException,
    );
    // The secret key is a PASSWORD: masked wherever the config is shown.
    expect(c.config().keys.get('aws.secret.access.key')?.type).toBe('PASSWORD');
  });

  it('a missing bucket fails the task with the bucket and the fix', async () => {
    const task = new S3SinkTask();
    task.initialize(new S3TestContext());
    await expect(task.start(s3Props('no-such-bucket-tributary'))).rejects.toThrow(
      /S3 bucket no-such-bucket-tributary does not exist at http:\/\/127.0.0.1:\d+: create it, or fix s3.bucket.name/,
    );
  });
});

describe('custom partitioners', () => {
  it('a partitioner registered under a class name (as a plugin package would, through the SDK) names the paths', async () => {
    const { registerS3Partitioner } = await import('../../../sdk/s3.ts');
    registerS3Partitioner('com.example.TenantPartitioner', (config) => ({
      encodePartition: (record) =>
        `tenant=${String((record.value as Struct).get('address') ? ((record.value as Struct).get('address') as Struct).get('country') : 'none').toLowerCase()}`,
      partitionedPath: (topicsDir, topic, encoded) =>
        `${topicsDir}${config.getString('directory.delim')}${encoded}${config.getString('directory.delim')}${topic}`,
    }));
    const bucket = await createBucket('custom');
    const { task } = await startTask(
      s3Props(bucket, { 'flush.size': '1', 'partitioner.class': 'com.example.TenantPartitioner' }),
    );
    await task.put([rec(0, order(0, 'DE'))]);
    expect(await listKeys(bucket)).toEqual(['topics/tenant=de/t/t+0+0000000000.json']);
  });
});
