import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { ProtobufConverter } from './protobuf-converter.ts';
import { MockRegistryServer } from '../../schema-registry/testing/mock-registry-server.ts';
import { resetSharedRegistryClients } from '../../schema-registry/shared-clients.ts';
import { debeziumFixture } from '../../schema-registry/testing/debezium-fixture.ts';
import { SchemaBuilder, schemaEquals, valuesEqual } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { PluginRegistry } from '../../plugins/registry.ts';
import { runtimeConverterPlugins } from '../converter-plugins.ts';

const registry = new MockRegistryServer();
let url = '';

beforeAll(async () => {
  url = await registry.start();
});
afterAll(() => registry.stop());
beforeEach(() => {
  resetSharedRegistryClients();
  registry.down = false;
});

function converter(props: Record<string, string> = {}, isKey = false): ProtobufConverter {
  const c = new ProtobufConverter();
  c.configure({ 'schema.registry.url': url, ...props }, isKey);
  return c;
}

const simple = SchemaBuilder.struct().name('p.Simple').field('id', SchemaBuilder.int32().build()).build();

describe('ProtobufConverter', () => {
  it("is found by Confluent's class name", async () => {
    const plugins = new PluginRegistry().register(...runtimeConverterPlugins());
    await plugins.loadAll();
    expect(plugins.get('io.confluent.connect.protobuf.ProtobufConverter', 'converter').create()).toBeInstanceOf(
      ProtobufConverter,
    );
    expect(plugins.get('io.confluent.connect.avro.AvroConverter', 'converter').create().constructor.name).toBe(
      'AvroConverter',
    );
  });

  it('writes magic byte, schema id, message index [0] as one 0 byte, then the message', async () => {
    const bytes = await converter().fromConnectData('pb-bytes', simple, new Struct(simple).put('id', 150));
    const id = bytes!.readInt32BE(1);
    expect(registry.schemaById(id)!.schemaType).toBe('PROTOBUF');
    expect(bytes!.toString('hex')).toBe(`00${id.toString(16).padStart(8, '0')}` + '00' + '089601');
  });

  it.each([
    [{}, 'Confluent defaults'],
    [{ 'wrapper.for.nullables': 'true' }, 'wrappers'],
    [{ 'optional.for.nullables': 'true' }, 'proto3 optional'],
  ])('round-trips the Debezium key and envelope through the registry (%s)', async (props, _name) => {
    const f = debeziumFixture('pbrt.db.t');
    const topic = `pbrt-${Object.keys(props).join('') || 'default'}`;
    const vb = await converter(props).fromConnectData(topic, f.valueSchema, f.value);
    const kb = await converter(props, true).fromConnectData(topic, f.keySchema, f.key);
    expect(registry.subjectNames()).toEqual(expect.arrayContaining([`${topic}-value`, `${topic}-key`]));
    const back = await converter(props).toConnectData(topic, vb);
    expect(schemaEquals(back.schema, f.valueSchema)).toBe(true);
    if (Object.keys(props).length) expect(valuesEqual(back.value, f.value)).toBe(true);
    const kback = await converter(props, true).toConnectData(topic, kb);
    expect(valuesEqual(kback.value, f.key)).toBe(true);
  });

  it.each([
    ['io.confluent.kafka.serializers.subject.RecordNameStrategy', 'pbrn.db.t.Envelope'],
    ['io.confluent.kafka.serializers.subject.TopicRecordNameStrategy', 'pbrn-topic-pbrn.db.t.Envelope'],
  ])('names the subject with %s', async (strategy, subject) => {
    const f = debeziumFixture('pbrn.db.t');
    await converter({ 'value.subject.name.strategy': strategy }).fromConnectData('pbrn-topic', f.valueSchema, f.value);
    expect(registry.subjectNames()).toContain(subject);
  });

  it("reads a message named by non-zero message indexes (a producer's second message type)", async () => {
    const id = registry.register(
      'pb-multi-value',
      'syntax = "proto3";\npackage m;\nmessage A { string a = 1; }\nmessage B { int32 b = 1; message C { string c = 1; } }\n',
      'PROTOBUF',
    );
    const c = converter();
    const second = await c.toConnectData(
      'pb-multi',
      Buffer.from(`00${id.toString(16).padStart(8, '0')}` + '0202' + '0805', 'hex'),
    );
    expect(second.schema!.name).toBe('B');
    expect((second.value as Struct).get('b')).toBe(5);
    const nested = await c.toConnectData(
      'pb-multi',
      Buffer.from(`00${id.toString(16).padStart(8, '0')}` + '040200' + '0a0178', 'hex'),
    );
    expect(nested.schema!.name).toBe('C');
    expect((nested.value as Struct).get('c')).toBe('x');
  });

  it('with use.latest.version writes under the latest id with the message index of the same message there', async () => {
    const id = registry.register(
      'pb-latest-value',
      'syntax = "proto3";\npackage p;\nmessage Other { string o = 1; }\nmessage Simple { int32 id = 1; string extra = 2; }\n',
      'PROTOBUF',
    );
    const bytes = await converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' }).fromConnectData(
      'pb-latest',
      simple,
      new Struct(simple).put('id', 3),
    );
    expect(bytes!.readInt32BE(1)).toBe(id);
    expect(bytes!.subarray(5, 7).toString('hex')).toBe('0202');
    const back = await converter().toConnectData('pb-latest', bytes);
    expect((back.value as Struct).get('id')).toBe(3);
    expect((back.value as Struct).get('extra')).toBe('');
  });

  it('keeps working from its caches while the registry is down', async () => {
    const c = converter();
    const first = await c.fromConnectData('pb-down', simple, new Struct(simple).put('id', 1));
    await c.toConnectData('pb-down', first);
    registry.down = true;
    const again = c.fromConnectData('pb-down', simple, new Struct(simple).put('id', 2)) as Buffer;
    expect(Buffer.isBuffer(again)).toBe(true);
    expect((c.toConnectData('pb-down', again) as { value: Struct }).value.get('id')).toBe(2);
  });

  it('rejects Avro bytes, non-struct values and unsupported settings clearly', async () => {
    const avroId = registry.register('pb-avro-value', '"string"');
    await expect(
      Promise.resolve().then(() =>
        converter().toConnectData('pb-avro', Buffer.from(`00${avroId.toString(16).padStart(8, '0')}0002`, 'hex')),
      ),
    ).rejects.toThrow(/is registered as AVRO, not Protobuf/);
    expect(() => converter().fromConnectData('t', SchemaBuilder.string().build(), 'x')).toThrow(/writes structs only/);
    expect(() => converter({ 'int.for.enums': 'true' })).toThrow(/int.for.enums/);
    expect(() => converter({ 'wrapper.for.nullables': 'true', 'optional.for.nullables': 'true' })).toThrow(
      /cannot both be true/,
    );
  });
});
