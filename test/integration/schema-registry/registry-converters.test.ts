/**
 * The Avro and Protobuf converters against a real Confluent-compatible schema registry (the one
 * test/setup/schema-registry.ts provisions): Debezium-like records through each subject naming
 * strategy, auto-registration on and off, use.latest.version, schema evolution (a column added),
 * reading bytes written under another schema id, URL failover and unknown ids.
 */
import { testSchemaRegistryUrl } from '../../setup/env.ts';
import { describe, it, expect, beforeEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AvroConverter } from '../../../runtime/converters/avro/avro-converter.ts';
import { ProtobufConverter } from '../../../runtime/converters/protobuf/protobuf-converter.ts';
import { SchemaRegistryClient } from '../../../runtime/schema-registry/registry-client.ts';
import { resetSharedRegistryClients } from '../../../runtime/schema-registry/shared-clients.ts';
import { debeziumFixture } from '../../../runtime/schema-registry/testing/debezium-fixture.ts';
import { SchemaBuilder, schemaEquals, valuesEqual } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import type { Converter } from '../../../runtime/spi/converter.ts';
import { ToleranceOperator } from '../../../runtime/worker/error-handling.ts';
import { TaskErrorCounters } from '../../../runtime/worker/task-metrics.ts';
import { silentLogger } from '../../../runtime/logging.ts';

/** An HTTP proxy in front of the registry that the test can take down, to stand for an outage. */
async function outageProxy(target: string): Promise<{ url: string; down: () => void; close: () => Promise<void> }> {
  const upstream = new URL(target);
  let isDown = false;
  const server = http.createServer((req, res) => {
    if (isDown) {
      req.socket.destroy();
      return;
    }
    const fwd = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const path = upstream.pathname.replace(/\/+$/, '');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    down: () => {
      isDown = true;
      server.closeAllConnections();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const registryUrl = testSchemaRegistryUrl;

const FORMATS = [
  // The Protobuf round trip uses proto3 optionals so null scalars survive (plain proto3 reads them as zero values).
  { name: 'Avro', make: () => new AvroConverter() as Converter, extra: {} as Record<string, string> },
  {
    name: 'Protobuf',
    make: () => new ProtobufConverter() as Converter,
    extra: { 'optional.for.nullables': 'true' } as Record<string, string>,
  },
];

const STRATEGIES = [
  { cls: 'io.confluent.kafka.serializers.subject.TopicNameStrategy', subject: (topic: string) => `${topic}-value` },
  {
    cls: 'io.confluent.kafka.serializers.subject.RecordNameStrategy',
    subject: (_topic: string, record: string) => record,
  },
  {
    cls: 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy',
    subject: (topic: string, record: string) => `${topic}-${record}`,
  },
];

function unique(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

describe.each(FORMATS)('$name converter against the schema registry', ({ make, extra }) => {
  const client = () => new SchemaRegistryClient({ urls: [registryUrl()] });
  const converter = (props: Record<string, string> = {}, isKey = false): Converter => {
    const c = make();
    c.configure({ 'schema.registry.url': registryUrl(), ...extra, ...props }, isKey);
    return c;
  };

  beforeEach(() => resetSharedRegistryClients());

  it.each(STRATEGIES)('round-trips a Debezium key and envelope with $cls', async ({ cls, subject }) => {
    const db = unique('db');
    const f = debeziumFixture(`srv.${db}.customers`);
    const topic = `srv.${db}.customers`;
    const props = { 'value.subject.name.strategy': cls, 'key.subject.name.strategy': cls };
    const valueBytes = await converter(props).fromConnectData(topic, f.valueSchema, f.value);
    const keyBytes = await converter(props, true).fromConnectData(topic, f.keySchema, f.key);
    expect(valueBytes![0]).toBe(0);
    const subjects = await client().subjects();
    expect(subjects).toContain(subject(topic, `srv.${db}.customers.Envelope`));
    const reader = converter(props);
    const value = await reader.toConnectData(topic, valueBytes);
    expect(schemaEquals(value.schema, f.valueSchema)).toBe(true);
    expect(valuesEqual(value.value, f.value)).toBe(true);
    const key = await converter(props, true).toConnectData(topic, keyBytes);
    expect(valuesEqual(key.value, f.key)).toBe(true);
    // The id in the header is the registered schema's.
    const registered = await client().getById(valueBytes!.readInt32BE(1));
    expect(registered.schema.length).toBeGreaterThan(0);
  });

  it('with auto.register.schemas=false uses the registered schema and refuses an unregistered one', async () => {
    const db = unique('ar');
    const f = debeziumFixture(`srv.${db}.t`);
    const topic = `srv.${db}.t`;
    const lookupOnly = converter({ 'auto.register.schemas': 'false' });
    await expect(
      Promise.resolve().then(() => lookupOnly.fromConnectData(topic, f.valueSchema, f.value)),
    ).rejects.toThrow(/not found/);
    const registeredBytes = await converter().fromConnectData(topic, f.valueSchema, f.value);
    resetSharedRegistryClients();
    const bytes = await converter({ 'auto.register.schemas': 'false' }).fromConnectData(topic, f.valueSchema, f.value);
    expect(bytes!.readInt32BE(1)).toBe(registeredBytes!.readInt32BE(1));
  });

  it('evolves the schema (a column added), reads bytes of either schema id, and writes the latest with use.latest.version', async () => {
    const db = unique('ev');
    const topic = `srv.${db}.t`;
    const v1 = debeziumFixture(`srv.${db}.t`);
    const v2 = debeziumFixture(`srv.${db}.t`, { extraColumn: true });
    const writer = converter();
    const b1 = await writer.fromConnectData(topic, v1.valueSchema, v1.value);
    const b2 = await writer.fromConnectData(topic, v2.valueSchema, v2.value);
    const id1 = b1!.readInt32BE(1);
    const id2 = b2!.readInt32BE(1);
    expect(id2).not.toBe(id1);
    const latest = await client().getLatest(`${topic}-value`);
    expect(latest.id).toBe(id2);

    const reader = converter();
    const r1 = await reader.toConnectData(topic, b1);
    const r2 = await reader.toConnectData(topic, b2);
    expect(schemaEquals(r1.schema, v1.valueSchema)).toBe(true);
    expect(schemaEquals(r2.schema, v2.valueSchema)).toBe(true);
    expect((r2.value as Struct).getStruct('after')!.get('email')).toBe('sally@example.com');

    const latestWriter = converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' });
    const b3 = await latestWriter.fromConnectData(topic, v1.valueSchema, v1.value);
    expect(b3!.readInt32BE(1)).toBe(id2);
    const r3 = await converter().toConnectData(topic, b3);
    expect((r3.value as Struct).getStruct('after')!.get('email')).toBeNull();
    expect((r3.value as Struct).getStruct('after')!.get('name')).toBe('Sally Thomas');
  });

  it('keeps converting with cached schemas while the registry is unreachable; an unknown id is an error errors.tolerance routes', async () => {
    const proxy = await outageProxy(registryUrl());
    try {
      const f = debeziumFixture(`srv.${unique('out')}.t`);
      const c = converter({ 'schema.registry.url': proxy.url, 'schema.registry.request.timeout.ms': '2000' });
      const first = await c.fromConnectData('outage', f.valueSchema, f.value);
      await c.toConnectData('outage', first);
      proxy.down();
      const again = await c.fromConnectData('outage', f.valueSchema, f.value);
      expect(again!.equals(first!)).toBe(true);
      expect(valuesEqual((await c.toConnectData('outage', again)).value, f.value)).toBe(true);

      const unknown = Buffer.from('007ffffff0' + '00', 'hex');
      const counters = new TaskErrorCounters();
      const tolerant = new ToleranceOperator(
        { retryTimeoutMs: 0, retryDelayMaxMs: 0, tolerateAll: true, logErrors: false, logMessages: false },
        silentLogger,
        counters,
      );
      const outcome = await tolerant.execute('VALUE_CONVERTER', 'converter', () => c.toConnectData('outage', unknown));
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? '' : outcome.error.message).toMatch(/schema registry is unavailable/);
      expect(counters.skippedTotal).toBe(1);
      const strict = new ToleranceOperator(
        { retryTimeoutMs: 0, retryDelayMaxMs: 0, tolerateAll: false, logErrors: false, logMessages: false },
        silentLogger,
        new TaskErrorCounters(),
      );
      await expect(
        strict.execute('VALUE_CONVERTER', 'converter', () => c.toConnectData('outage', unknown)),
      ).rejects.toThrow(/Error in stage VALUE_CONVERTER/);
    } finally {
      await proxy.close();
    }
  });

  it('fails over to the next URL and reports an unknown schema id clearly', async () => {
    const f = debeziumFixture(`srv.${unique('fo')}.t`);
    const c = converter({ 'schema.registry.url': `http://127.0.0.1:9,${registryUrl()}` });
    const bytes = await c.fromConnectData('failover', f.valueSchema, f.value);
    expect(valuesEqual((await c.toConnectData('failover', bytes)).value, f.value)).toBe(true);
    const unknown = Buffer.from('007fff0000' + '00', 'hex');
    await expect(Promise.resolve().then(() => converter().toConnectData('failover', unknown))).rejects.toThrow(
      /schema id 2147418112/i,
    );
  });
});

describe('registry compatibility rules', () => {
  it("an incompatible Avro evolution under BACKWARD fails with the registry's reason and what to do", async () => {
    resetSharedRegistryClients();
    const topic = unique('compat');
    const v1 = SchemaBuilder.struct().name(`c.${topic}.Value`).field('id', SchemaBuilder.int32().build()).build();
    const v2 = SchemaBuilder.struct()
      .name(`c.${topic}.Value`)
      .field('id', SchemaBuilder.int32().build())
      .field('required_new', SchemaBuilder.string().build())
      .build();
    const c = new AvroConverter();
    c.configure({ 'schema.registry.url': registryUrl() }, false);
    await c.fromConnectData(topic, v1, new Struct(v1).put('id', 1));
    await new SchemaRegistryClient({ urls: [registryUrl()] }).setCompatibility(`${topic}-value`, 'BACKWARD');
    await expect(
      Promise.resolve().then(() => c.fromConnectData(topic, v2, new Struct(v2).put('id', 2).put('required_new', 'x'))),
    ).rejects.toThrow(/incompatible with the subject's earlier versions.*HTTP 409.*give new fields defaults/);
  });
});
