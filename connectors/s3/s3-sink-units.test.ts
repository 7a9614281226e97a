/** The S3 sink's pure parts, without a server: object names, Avro longs, gzip members, schema rotation and projection, partitioners. */
import { describe, it, expect } from 'vitest';
import zlib from 'node:zlib';
import avro from 'avsc';
import { ParsedConfig } from '../../sdk/config.ts';
import { SinkRecord, SchemaBuilder, Schemas, Struct } from '../../sdk/data.ts';
import { S3_SINK_CONFIG } from './config.ts';
import { resolveS3Settings } from './s3-sink-settings.ts';
import { avroLong } from './format/avro-format.ts';
import { ByteChunks, GZIP_MEMBER_BYTES } from './format/byte-chunks.ts';
import { objectName } from './storage/committed-objects.ts';
import { projectRecord, schemaChangeRotates } from './schema-rotation.ts';
import { createPartitioner } from './partitioner/partitioner.ts';

const base = { 's3.bucket.name': 'b', 'flush.size': '10', 'format.class': 'JsonFormat' };
const rec = (offset: number, schema: ReturnType<typeof SchemaBuilder.prototype.build> | null, value: unknown) =>
  new SinkRecord({ topic: 't', kafkaPartition: 2, kafkaOffset: offset, valueSchema: schema, value });

describe('S3 sink parts', () => {
  it('names objects as Confluent: <path>/<topic>+<partition>+<offset padded>.<ext>', () => {
    const naming = {
      topicsDir: 'topics',
      directoryDelim: '/',
      fileDelim: '+',
      offsetPadWidth: 10,
      extension: '.json.gz',
    };
    expect(objectName(naming, 'topics/t/partition=2', 't', 2, 42)).toBe('topics/t/partition=2/t+2+0000000042.json.gz');
    expect(objectName({ ...naming, offsetPadWidth: 3 }, 'x', 't', 0, 123456)).toBe('x/t+0+123456.json.gz');
  });

  it('encodes Avro longs as avsc does', () => {
    const long = avro.Type.forSchema('long');
    for (const n of [0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31, -(2 ** 40), 2 ** 52 - 1])
      expect(avroLong(n)).toEqual(long.toBuffer(n));
  });

  it('writes gzip as complete members that read back as one stream', () => {
    const chunks = new ByteChunks(6);
    const line = Buffer.from('{"a":1}\n');
    const count = Math.ceil((GZIP_MEMBER_BYTES * 2.5) / line.length);
    for (let i = 0; i < count; i++) chunks.push(line);
    const drained = chunks.drain();
    expect(drained.length).toBe(2); // two full members are final before finish()
    const all = Buffer.concat([...drained, ...chunks.finish()]);
    expect(zlib.gunzipSync(all).length).toBe(count * line.length);
  });

  it('decides schema rotations per schema.compatibility and projects older versions', () => {
    const v1 = SchemaBuilder.struct().name('r').version(1).field('id', Schemas.INT32).build();
    const v2 = SchemaBuilder.struct()
      .name('r')
      .version(2)
      .field('id', Schemas.INT64)
      .field('n', SchemaBuilder.string().optional().defaultValue('d').build())
      .build();
    const r1 = rec(0, v1, new Struct(v1).put('id', 1));
    const r2 = rec(1, v2, new Struct(v2).put('id', 2).put('n', 'x'));
    expect(schemaChangeRotates('NONE', v1, r1)).toBe(false);
    expect(schemaChangeRotates('NONE', v1, r2)).toBe(true);
    expect(schemaChangeRotates('BACKWARD', v1, r2)).toBe(true);
    expect(schemaChangeRotates('BACKWARD', v2, r1)).toBe(false);
    expect(schemaChangeRotates('FORWARD', v2, r1)).toBe(true);
    expect(schemaChangeRotates('FULL', v2, r1)).toBe(false);
    expect(schemaChangeRotates('NONE', v1, rec(2, null, 'x'))).toBe(true);
    const projected = projectRecord('BACKWARD', v2, r1);
    expect(projected.valueSchema).toBe(v2);
    expect((projected.value as Struct).get('id')).toBe(1);
    expect((projected.value as Struct).get('n')).toBe('d');
    const unversioned = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    expect(() => schemaChangeRotates('BACKWARD', unversioned, r2)).toThrow(
      /needs versioned schemas.*schema.compatibility=NONE/,
    );
  });

  it('partitions by default, by nested field, and refuses values it cannot encode', () => {
    const config = (extra: Record<string, string>) => new ParsedConfig(S3_SINK_CONFIG, { ...base, ...extra });
    const inner = SchemaBuilder.struct().field('c', Schemas.STRING).field('f', Schemas.OPTIONAL_FLOAT64).build();
    const outer = SchemaBuilder.struct().field('in', inner).field('b', Schemas.BOOLEAN).build();
    const value = new Struct(outer).put('in', new Struct(inner).put('c', 'x').put('f', 1.5)).put('b', true);
    expect(createPartitioner('DefaultPartitioner', config({})).encodePartition(rec(0, outer, value), 0)).toBe(
      'partition=2',
    );
    const field = createPartitioner(
      'io.confluent.connect.storage.partitioner.FieldPartitioner',
      config({ 'partition.field.name': 'in.c,b' }),
    );
    expect(field.encodePartition(rec(0, outer, value), 0)).toBe('in.c=x/b=true');
    expect(field.partitionedPath('topics', 't', 'in.c=x/b=true')).toBe('topics/t/in.c=x/b=true');
    expect(() =>
      createPartitioner('FieldPartitioner', config({ 'partition.field.name': 'in.f' })).encodePartition(
        rec(7, outer, value),
        0,
      ),
    ).toThrow(/Type float64 of field 'in.f' is not supported as a partition key \(topic=t partition=2 offset=7\)/);
    expect(() => field.encodePartition(rec(8, null, { in: { c: 'x' } }), 0)).toThrow(/needs a Struct value/);
    expect(() => createPartitioner('com.example.Nope', config({}))).toThrow(/partitioner.class: unknown partitioner/);
  });

  it('resolves settings and refuses keys it does not implement', () => {
    const s = resolveS3Settings({ ...base, 's3.compression.type': 'GZIP', 'schema.compatibility': 'backward' });
    expect([s.format.compressionType, s.schemaCompatibility, s.partSize, s.topicsDir]).toEqual([
      'gzip',
      'BACKWARD',
      25 * 1024 * 1024,
      'topics',
    ]);
    expect(() => resolveS3Settings({ ...base, 's3.proxy.url': 'http://proxy:3128' })).toThrow(
      /s3.proxy.url=http:\/\/proxy:3128 is not supported.*HTTPS_PROXY/,
    );
    expect(() => resolveS3Settings({ ...base, 'rotate.schedule.interval.ms': '60000' })).toThrow(
      /rotate.schedule.interval.ms is set but timezone is empty/,
    );
    expect(() => resolveS3Settings({ ...base, timezone: 'Mars/Olympus' })).toThrow(/not an IANA time zone/);
  });
});
