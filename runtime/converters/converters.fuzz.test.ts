/**
 * Fuzzing of the converters' decoding side (untrusted bytes from a topic): JsonConverter (with and
 * without schemas), StringConverter, ByteArrayConverter, SimpleHeaderConverter, and the Avro and
 * Protobuf converters in the Confluent wire format (a mock registry serves the schemas) — valid
 * encodings of a record with strings, bytes, arrays, maps and optional/nested structs, mutated.
 * Each returns or throws DataException (the worker names topic, partition and offset when it fails
 * the task or routes the record to the dead letter queue) — never another error, a hang, or an
 * allocation sized by a garbage length or count.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDecodeAsync,
  FUZZ_TIMEOUT_MS,
  fuzzParams,
  mutatedBytes,
  type DecoderContract,
} from '../../test/helpers/fuzz.ts';
import { SchemaBuilder } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { DataException } from '../errors.ts';
import { resetSharedRegistryClients } from '../schema-registry/shared-clients.ts';
import { MockRegistryServer } from '../schema-registry/testing/mock-registry-server.ts';
import { AvroConverter } from './avro/avro-converter.ts';
import { JsonConverter } from './json-converter.ts';
import { ProtobufConverter } from './protobuf/protobuf-converter.ts';
import { ByteArrayConverter, SimpleHeaderConverter, StringConverter } from './simple-converters.ts';

const contract: DecoderContract = { allowed: (e) => e instanceof DataException, names: /./ };

const inner = SchemaBuilder.struct()
  .name('f.Inner')
  .field('n', SchemaBuilder.int64().build())
  .field('s', SchemaBuilder.string().optional().build())
  .optional()
  .build();
const schema = SchemaBuilder.struct()
  .name('f.Rec')
  .field('id', SchemaBuilder.int32().build())
  .field('name', SchemaBuilder.string().build())
  .field('blob', SchemaBuilder.bytes().optional().build())
  .field('tags', SchemaBuilder.array(SchemaBuilder.string().build()).build())
  .field('nums', SchemaBuilder.array(SchemaBuilder.int32().build()).optional().build())
  .field('attrs', SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.float64().build()).build())
  .field('inner', inner)
  .build();

function record(i: number): Struct {
  return new Struct(schema)
    .put('id', i)
    .put('name', `name ${i}`)
    .put('blob', Buffer.from([i, 1, 2, 3]))
    .put('tags', ['a', 'bb', 'x'.repeat(i)])
    .put('nums', [i, -i, 70000])
    .put(
      'attrs',
      new Map([
        ['k', 1.5],
        ['q', -i],
      ]),
    )
    .put('inner', new Struct(inner).put('n', BigInt(i) * 1000000000000n).put('s', i % 2 ? null : 'in'));
}

const registry = new MockRegistryServer();
let url = '';
beforeAll(async () => {
  url = await registry.start();
  resetSharedRegistryClients();
});
afterAll(() => registry.stop());

async function seedsOf(
  c: { fromConnectData(t: string, s: typeof schema, v: unknown): unknown },
  topic: string,
): Promise<Buffer[]> {
  return Promise.all([0, 1, 7].map(async (i) => (await c.fromConnectData(topic, schema, record(i))) as Buffer));
}

describe('converters under fuzzing', () => {
  it(
    'JsonConverter (schemas on and off), StringConverter, ByteArrayConverter, SimpleHeaderConverter: mutated bytes',
    async () => {
      const withSchemas = new JsonConverter();
      withSchemas.configure({ 'schemas.enable': 'true' }, false);
      const schemaless = new JsonConverter();
      schemaless.configure({ 'schemas.enable': 'false' }, false);
      const seeds = [
        ...(await seedsOf(withSchemas, 't')),
        ...(await seedsOf(schemaless, 't')),
        Buffer.from(
          '{"schema":{"type":"array","items":{"type":"map","keys":{"type":"int32"},"values":{"type":"bytes"}}},"payload":[[[1,"AAE="]]]}',
        ),
      ];
      const str = new StringConverter();
      str.configure({});
      const bytes = new ByteArrayConverter();
      bytes.configure();
      const headers = new SimpleHeaderConverter();
      await fc.assert(
        fc.asyncProperty(mutatedBytes(seeds), async (b) => {
          await checkDecodeAsync(contract, async () => withSchemas.toConnectData('t', b));
          await checkDecodeAsync(contract, async () => schemaless.toConnectData('t', b));
          await checkDecodeAsync(contract, async () => str.toConnectData('t', b));
          await checkDecodeAsync(contract, async () => bytes.toConnectData('t', b));
          await checkDecodeAsync(contract, async () => headers.toConnectHeader('t', 'h', b));
        }),
        fuzzParams(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'AvroConverter: mutated Confluent wire-format records',
    async () => {
      const c = new AvroConverter();
      c.configure({ 'schema.registry.url': url }, false);
      const seeds = await seedsOf(c, 'fuzz-avro');
      expect((await c.toConnectData('fuzz-avro', seeds[1])).value).toBeInstanceOf(Struct);
      await fc.assert(
        fc.asyncProperty(mutatedBytes(seeds, { from: 5 }), async (b) => {
          await checkDecodeAsync(contract, async () => c.toConnectData('fuzz-avro', b));
        }),
        fuzzParams(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'ProtobufConverter: mutated Confluent wire-format records',
    async () => {
      const c = new ProtobufConverter();
      c.configure({ 'schema.registry.url': url }, false);
      const seeds = await seedsOf(c, 'fuzz-pb');
      expect((await c.toConnectData('fuzz-pb', seeds[1])).value).toBeInstanceOf(Struct);
      await fc.assert(
        fc.asyncProperty(mutatedBytes(seeds, { from: 5 }), async (b) => {
          await checkDecodeAsync(contract, async () => c.toConnectData('fuzz-pb', b));
        }),
        fuzzParams(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('converter fuzz regressions', () => {
  it('Avro: an array count of 2^31-1 in a record of 40 bytes fails as DataException before reading the items (was: heap exhausted, the worker process died)', async () => {
    const c = new AvroConverter();
    c.configure({ 'schema.registry.url': url }, false);
    const valid = (await c.fromConnectData('fuzz-avro-regression', schema, record(0)))!;
    // header 5, id 1, name 1+6, blob union 1 + length 1 + 4: the tags block count (3 → 06) is at byte 19
    expect(valid[19]).toBe(0x06);
    const corrupt = Buffer.concat([valid.subarray(0, 19), Buffer.from('feffffff0f', 'hex'), valid.subarray(20)]);
    await expect((async () => c.toConnectData('fuzz-avro-regression', corrupt))()).rejects.toThrow(DataException);
    await expect((async () => c.toConnectData('fuzz-avro-regression', corrupt))()).rejects.toThrow(
      /array block of 2147483647 items at byte \d+ is longer than the \d+ bytes left/,
    );
  });
});
