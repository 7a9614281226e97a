import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { AvroConverter } from './avro-converter.ts';
import { MockRegistryServer } from '../../schema-registry/testing/mock-registry-server.ts';
import { resetSharedRegistryClients } from '../../schema-registry/shared-clients.ts';
import { debeziumFixture } from '../../schema-registry/testing/debezium-fixture.ts';
import { SchemaBuilder, schemaEquals, valuesEqual } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';

const registry = new MockRegistryServer();
let url = '';

beforeAll(async () => {
  url = await registry.start();
});
afterAll(() => registry.stop());
beforeEach(() => {
  resetSharedRegistryClients();
  registry.down = false;
  registry.userInfo = undefined;
});

function converter(props: Record<string, string> = {}, isKey = false): AvroConverter {
  const c = new AvroConverter();
  c.configure({ 'schema.registry.url': url, ...props }, isKey);
  return c;
}

const simple = SchemaBuilder.struct()
  .name('t.Simple')
  .field('id', SchemaBuilder.int32().build())
  .field('name', SchemaBuilder.string().build())
  .build();

describe('AvroConverter', () => {
  it('writes the Confluent wire format byte for byte: magic 0, schema id, Avro binary', async () => {
    const bytes = await converter().fromConnectData(
      'bytes-topic',
      simple,
      new Struct(simple).put('id', 1).put('name', 'a'),
    );
    const id = registry.register(
      'bytes-topic-value',
      '{"type":"record","name":"Simple","namespace":"t","fields":[{"name":"id","type":"int"},{"name":"name","type":"string"}],"connect.name":"t.Simple"}',
    );
    expect(bytes!.toString('hex')).toBe(`00${id.toString(16).padStart(8, '0')}` + '02' + '02' + '61');
  });

  it('registers under <topic>-value and <topic>-key, and reads back the Debezium envelope unchanged', async () => {
    const f = debeziumFixture('rt.db.t');
    const vc = converter();
    const kc = converter({}, true);
    const vb = await vc.fromConnectData('rt', f.valueSchema, f.value);
    const kb = await kc.fromConnectData('rt', f.keySchema, f.key);
    expect(registry.subjectNames()).toEqual(expect.arrayContaining(['rt-value', 'rt-key']));
    const back = await converter().toConnectData('rt', vb);
    expect(schemaEquals(back.schema, f.valueSchema)).toBe(true);
    expect(valuesEqual(back.value, f.value)).toBe(true);
    const kback = await converter({}, true).toConnectData('rt', kb);
    expect(valuesEqual(kback.value, f.key)).toBe(true);
  });

  it.each([
    ['io.confluent.kafka.serializers.subject.RecordNameStrategy', 'rn.db.t.Envelope'],
    ['io.confluent.kafka.serializers.subject.TopicRecordNameStrategy', 'rn-topic-rn.db.t.Envelope'],
    ['io.confluent.kafka.serializers.subject.TopicNameStrategy', 'rn-topic-value'],
  ])('names the subject with %s', async (strategy, subject) => {
    const f = debeziumFixture('rn.db.t');
    await converter({ 'value.subject.name.strategy': strategy }).fromConnectData('rn-topic', f.valueSchema, f.value);
    expect(registry.subjectNames()).toContain(subject);
  });

  it('rejects an unknown subject name strategy naming the key', () => {
    expect(() => converter({ 'value.subject.name.strategy': 'com.example.Mine' })).toThrow(
      /value.subject.name.strategy: unknown subject name strategy/,
    );
  });

  it('with auto.register.schemas=false looks the schema up and fails clearly when it is not registered', async () => {
    const c = converter({ 'auto.register.schemas': 'false' });
    await expect(
      c.fromConnectData('unregistered', simple, new Struct(simple).put('id', 1).put('name', 'x')),
    ).rejects.toThrow(/subject not found.*auto.register.schemas=true/);
    await converter().fromConnectData('unregistered', simple, new Struct(simple).put('id', 1).put('name', 'x'));
    const bytes = await c.fromConnectData('unregistered', simple, new Struct(simple).put('id', 2).put('name', 'y'));
    expect(bytes![0]).toBe(0);
  });

  it("with use.latest.version writes with the subject's latest schema (filling its defaults)", async () => {
    const latest =
      '{"type":"record","name":"Simple","namespace":"t","fields":[{"name":"id","type":"int"},{"name":"name","type":"string"},{"name":"extra","type":"string","default":"d"}]}';
    const id = registry.register('latest-topic-value', latest);
    const c = converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' });
    const bytes = await c.fromConnectData('latest-topic', simple, new Struct(simple).put('id', 5).put('name', 'n'));
    expect(bytes!.readInt32BE(1)).toBe(id);
    const back = await converter().toConnectData('latest-topic', bytes);
    expect((back.value as Struct).get('extra')).toBe('d');
    expect((back.value as Struct).get('id')).toBe(5);
  });

  it('with use.latest.version refuses a latest schema that cannot hold the record, saying why', async () => {
    registry.register(
      'latest-bad-value',
      '{"type":"record","name":"Simple","namespace":"t","fields":[{"name":"id","type":"int"},{"name":"must","type":"string"}]}',
    );
    const c = converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' });
    await expect(
      c.fromConnectData('latest-bad', simple, new Struct(simple).put('id', 5).put('name', 'n')),
    ).rejects.toThrow(/cannot be written with schema id \d+ \(the latest version of subject "latest-bad-value"\)/);
  });

  it('use.latest.version needs auto.register.schemas=false', () => {
    expect(() => converter({ 'use.latest.version': 'true' })).toThrow(/requires auto.register.schemas=false/);
  });

  it('keeps working from its caches while the registry is down, and reports an unknown id clearly', async () => {
    const c = converter();
    const first = await c.fromConnectData('down-topic', simple, new Struct(simple).put('id', 1).put('name', 'a'));
    await c.toConnectData('down-topic', first);
    registry.down = true;
    const again = c.fromConnectData('down-topic', simple, new Struct(simple).put('id', 2).put('name', 'b'));
    expect(Buffer.isBuffer(again)).toBe(true);
    expect((c.toConnectData('down-topic', again as Buffer) as { value: Struct }).value.get('id')).toBe(2);
    const unknown = Buffer.from('00000f4240' + '02', 'hex');
    await expect(Promise.resolve().then(() => c.toConnectData('down-topic', unknown))).rejects.toMatchObject({
      retriable: true,
      message: expect.stringMatching(/schema registry is unavailable/),
    });
    registry.down = false;
    await expect(Promise.resolve().then(() => c.toConnectData('down-topic', unknown))).rejects.toThrow(
      /Fetching schema id 1000000: schema not found/,
    );
  });

  it("reads bytes written under another schema id (an older version) into that version's Connect schema", async () => {
    const v1 = debeziumFixture('evo.db.t');
    const v2 = debeziumFixture('evo.db.t', { extraColumn: true });
    const c = converter();
    const b1 = await c.fromConnectData('evo', v1.valueSchema, v1.value);
    const b2 = await c.fromConnectData('evo', v2.valueSchema, v2.value);
    expect(b1!.readInt32BE(1)).not.toBe(b2!.readInt32BE(1));
    const reader = converter();
    const r1 = await reader.toConnectData('evo', b1);
    const r2 = await reader.toConnectData('evo', b2);
    expect(schemaEquals(r1.schema, v1.valueSchema)).toBe(true);
    expect(schemaEquals(r2.schema, v2.valueSchema)).toBe(true);
    expect((r2.value as Struct).getStruct('after')!.get('email')).toBe('sally@example.com');
  });

  it('sends basic auth from basic.auth.user.info (USER_INFO) and from the URL', async () => {
    registry.userInfo = 'alice:s3cret';
    await expect(
      converter().fromConnectData('auth', simple, new Struct(simple).put('id', 1).put('name', 'a')),
    ).rejects.toThrow(/refused the credentials/);
    resetSharedRegistryClients();
    const ok = await converter({
      'basic.auth.credentials.source': 'USER_INFO',
      'basic.auth.user.info': 'alice:s3cret',
    }).fromConnectData('auth', simple, new Struct(simple).put('id', 1).put('name', 'a'));
    expect(ok![0]).toBe(0);
    const viaUrl = new AvroConverter();
    viaUrl.configure({ 'schema.registry.url': url.replace('http://', 'http://alice:s3cret@') }, false);
    expect((await viaUrl.fromConnectData('auth2', simple, new Struct(simple).put('id', 1).put('name', 'a')))![0]).toBe(
      0,
    );
  });

  it('rejects unsupported settings instead of ignoring them', () => {
    expect(() => converter({ 'basic.auth.credentials.source': 'SASL_INHERIT' })).toThrow(
      /SASL_INHERIT is not supported/,
    );
    expect(() => converter({ 'bearer.auth.token': 'x' })).toThrow(/bearer-token authentication is not supported/);
    expect(() => converter({ 'scrub.invalid.names': 'true' })).toThrow(/scrub.invalid.names/);
    expect(() => new AvroConverter().configure({}, false)).toThrow(/schema.registry.url/);
  });

  it('maps null to null (tombstones) and refuses schemaless values', async () => {
    expect(await converter().fromConnectData('n', null, null)).toBeNull();
    expect(await converter().toConnectData('n', null)).toEqual({ schema: null, value: null });
    expect(() => converter().fromConnectData('n', null, { a: 1 })).toThrow(/needs a Connect schema/);
  });

  it('fails clearly when the registry refuses a schema as incompatible', async () => {
    registry.incompatible.add('incompat-value');
    await expect(
      converter().fromConnectData('incompat', simple, new Struct(simple).put('id', 1).put('name', 'a')),
    ).rejects.toThrow(/incompatible with the subject's earlier versions/);
  });
});
