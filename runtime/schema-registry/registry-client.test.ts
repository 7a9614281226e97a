import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SchemaRegistryClient } from './registry-client.ts';
import { sharedRegistryClient, resetSharedRegistryClients } from './shared-clients.ts';
import { MockRegistryServer } from './testing/mock-registry-server.ts';
import { subjectNameStrategy } from './subject-name-strategy.ts';

const registry = new MockRegistryServer();
let url = '';
beforeAll(async () => {
  url = await registry.start();
});
afterAll(() => registry.stop());

const avro = (schema: string) => ({ schemaType: 'AVRO' as const, schema, references: [] });

describe('SchemaRegistryClient', () => {
  it('registers once per (subject, schema) and serves ids, lookups and versions', async () => {
    const client = new SchemaRegistryClient({ urls: [url] });
    const before = registry.requests.length;
    const id = await client.register('c-value', avro('"string"'));
    expect(await client.register('c-value', avro('"string"'))).toBe(id);
    expect(registry.requests.length - before).toBe(1);
    expect(await client.lookup('c-value', avro('"string"'))).toMatchObject({ id, version: 1 });
    expect(await client.getById(id)).toMatchObject({ id, schema: '"string"', schemaType: 'AVRO' });
    const id2 = await client.register('c-value', avro('"long"'));
    expect(await client.getLatest('c-value')).toMatchObject({ id: id2, version: 2, schema: '"long"' });
    expect(await client.getVersion('c-value', 1)).toMatchObject({ id, version: 1 });
  });

  it('fails over to the next URL and reports an unreachable registry as retriable', async () => {
    const client = new SchemaRegistryClient({ urls: ['http://127.0.0.1:9', url] });
    expect(await client.register('f-value', avro('"int"'))).toBeGreaterThan(0);
    const dead = new SchemaRegistryClient({ urls: ['http://127.0.0.1:9'], requestTimeoutMs: 1000 });
    await expect(dead.getById(1)).rejects.toMatchObject({
      retriable: true,
      message: expect.stringContaining('the schema registry is unavailable (http://127.0.0.1:9'),
    });
  });

  it('turns registry errors into messages that say what to do', async () => {
    const client = new SchemaRegistryClient({ urls: [url] });
    await expect(client.getById(424242)).rejects.toThrow(
      'Fetching schema id 424242: schema not found: Schema not found (HTTP 404, error_code 40403)',
    );
    await expect(client.getLatest('nope-value')).rejects.toThrow(/subject not found/);
    await expect(client.lookup('c-value', avro('"bytes"'))).rejects.toMatchObject({ status: 404, errorCode: 40403 });
  });

  it('moves credentials out of the URL into a basic auth header and never prints them', async () => {
    registry.userInfo = 'u:p';
    try {
      const client = new SchemaRegistryClient({ urls: [url.replace('http://', 'http://u:p@')] });
      expect(await client.subjects()).toContain('c-value');
      const dead = new SchemaRegistryClient({ urls: ['http://u:secret@127.0.0.1:9'], requestTimeoutMs: 1000 });
      const err = await dead.subjects().catch((e: Error) => e);
      expect(String((err as Error).message)).not.toContain('secret');
    } finally {
      registry.userInfo = undefined;
    }
  });

  it('shares one client per URL set and credentials', () => {
    resetSharedRegistryClients();
    const a = sharedRegistryClient({ urls: [url, 'http://b:1'] });
    expect(sharedRegistryClient({ urls: ['http://b:1/', url] })).toBe(a);
    expect(sharedRegistryClient({ urls: [url, 'http://b:1'], userInfo: 'x:y' })).not.toBe(a);
  });
});

describe('subject name strategies', () => {
  it.each([
    ['io.confluent.kafka.serializers.subject.TopicNameStrategy', 'orders-key', 'orders-value'],
    ['io.confluent.kafka.serializers.subject.RecordNameStrategy', 'a.b.Rec', 'a.b.Rec'],
    ['io.confluent.kafka.serializers.subject.TopicRecordNameStrategy', 'orders-a.b.Rec', 'orders-a.b.Rec'],
  ])('%s', (cls, key, value) => {
    const s = subjectNameStrategy('value.subject.name.strategy', cls);
    expect(s('orders', true, 'a.b.Rec')).toBe(key);
    expect(s('orders', false, 'a.b.Rec')).toBe(value);
  });
});
