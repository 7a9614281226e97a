/** The outbox EventRouter, cases after Debezium's outbox-event-router documentation and EventRouterTest. */
import { describe, it, expect } from 'vitest';
import { SchemaBuilder, Schemas } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { SourceRecord } from '../../runtime/data/records.ts';
import { createPluginRegistry } from '../../runtime/plugins/builtins.ts';

const registry = createPluginRegistry();
const router = (props: Record<string, string> = {}) => {
  const t = registry.get('io.debezium.transforms.outbox.EventRouter', 'transformation').create();
  t.configure(props);
  return t;
};

const row = SchemaBuilder.struct().name('dbserver1.outboxdemo.outboxevent.Value')
  .field('id', Schemas.STRING).field('aggregatetype', Schemas.STRING).field('aggregateid', Schemas.STRING)
  .field('type', Schemas.STRING).field('payload', Schemas.OPTIONAL_STRING).field('tenant', Schemas.OPTIONAL_STRING).optional().build();
const env = SchemaBuilder.struct().name('dbserver1.outboxdemo.outboxevent.Envelope').field('before', row).field('after', row).field('op', Schemas.STRING).field('ts_ms', Schemas.OPTIONAL_INT64).build();
const outbox = (op: string, payload: string | null = '{"id":1,"status":"created"}') => new SourceRecord({
  topic: 'dbserver1.outboxdemo.outboxevent',
  valueSchema: env,
  value: new Struct(env).put('op', op).put('ts_ms', 1_700_000_000_000).put(op === 'd' ? 'before' : 'after',
    new Struct(row).put('id', 'ev-1').put('aggregatetype', 'Order').put('aggregateid', '123').put('type', 'OrderCreated').put('payload', payload).put('tenant', 'acme')),
});

describe('outbox EventRouter', () => {
  it('routes an inserted outbox row as a domain event', () => {
    const r = router().apply(outbox('c'))!;
    expect(r.topic).toBe('outbox.event.Order');
    expect([r.keySchema, r.key]).toEqual([Schemas.STRING, '123']);
    expect([r.valueSchema, r.value]).toEqual([Schemas.OPTIONAL_STRING, '{"id":1,"status":"created"}']);
    expect(r.timestamp).toBe(1_700_000_000_000);
    expect(r.headers.lastWithName('id')!.value).toBe('ev-1');
  });

  it('places additional columns in headers, an envelope or the partition', () => {
    const r = router({ 'table.fields.additional.placement': 'type:header:eventType,tenant:envelope' }).apply(outbox('c'))!;
    expect(r.headers.lastWithName('eventType')!.value).toBe('OrderCreated');
    expect(r.valueSchema!.fields.map((f) => f.name)).toEqual(['payload', 'tenant']);
    expect([(r.value as Struct).get('payload'), (r.value as Struct).get('tenant')]).toEqual(['{"id":1,"status":"created"}', 'acme']);
  });

  it('uses route.topic.replacement groups and drops deletes and tombstones', () => {
    expect(router({ 'route.topic.replacement': '${routedByValue}.events' }).apply(outbox('c'))!.topic).toBe('Order.events');
    expect(router().apply(outbox('d'))).toBeNull();
    expect(router().apply(new SourceRecord({ topic: 't', value: null }))).toBeNull();
  });

  it('handles updates by table.op.invalid.behavior and empty payloads by route.tombstone.on.empty.payload', () => {
    expect(router().apply(outbox('u'))).toBeNull();
    expect(() => router({ 'table.op.invalid.behavior': 'fatal' }).apply(outbox('u'))).toThrow(/Unexpected update event on the outbox table/);
    const tomb = router({ 'route.tombstone.on.empty.payload': 'true' }).apply(outbox('c', null))!;
    expect([tomb.key, tomb.value, tomb.valueSchema]).toEqual(['123', null, null]);
  });

  it('names a missing column and refuses JSON expansion for now', () => {
    expect(() => router({ 'table.field.event.key': 'nope' }).apply(outbox('c'))).toThrow(/Outbox table has no column "nope"/);
    expect(() => router({ 'table.expand.json.payload': 'true' })).toThrow(/not supported yet/);
  });
});
