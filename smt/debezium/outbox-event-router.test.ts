/** io.debezium.transforms.outbox.EventRouter — cases from Debezium's EventRouterTest and the outbox-event-router docs. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, type Schema, Struct, SourceRecord } from '../../sdk/data.ts';
import { expectRecord, headers, transform } from '../testing.ts';

const CLS = 'io.debezium.transforms.outbox.EventRouter';
const outbox = SchemaBuilder.struct()
  .name('dbserver1.inventory.outboxevent.Value')
  .field('id', Schemas.STRING)
  .field('aggregatetype', Schemas.STRING)
  .field('aggregateid', Schemas.STRING)
  .field('type', Schemas.STRING)
  .field('payload', Schemas.OPTIONAL_STRING)
  .field('version', Schemas.OPTIONAL_INT32)
  .field('tenant', Schemas.OPTIONAL_STRING)
  .field('part', Schemas.OPTIONAL_INT32)
  .field('occurred', SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').optional().build())
  .optional()
  .build();
const source = SchemaBuilder.struct().field('connector', Schemas.STRING).build();
const envelope = SchemaBuilder.struct()
  .name('dbserver1.inventory.outboxevent.Envelope')
  .field('before', outbox)
  .field('after', outbox)
  .field('source', source)
  .field('op', Schemas.STRING)
  .field('ts_ms', Schemas.OPTIONAL_INT64)
  .build();
const keySchema = SchemaBuilder.struct().field('id', Schemas.STRING).build();

function row(overrides: Record<string, unknown> = {}): Struct {
  const s = new Struct(outbox)
    .put('id', 'da8d6de6-3b77-45ff-8f44-57db55a7a06c')
    .put('aggregatetype', 'UserCreated')
    .put('aggregateid', '10711fa5')
    .put('type', 'User')
    .put('payload', '{"name":"x"}')
    .put('version', 1)
    .put('tenant', 'acme')
    .put('part', 3)
    .put('occurred', 1_700_000_000_123_456);
  for (const [k, v] of Object.entries(overrides)) s.put(k, v);
  return s;
}
function event(op: string, after: Struct | null, before: Struct | null = null): SourceRecord {
  return new SourceRecord({
    topic: 'dbserver1.inventory.outboxevent',
    kafkaPartition: 0,
    keySchema,
    key: new Struct(keySchema).put('id', 'da8d'),
    timestamp: 1,
    valueSchema: envelope,
    value: new Struct(envelope)
      .put('before', before)
      .put('after', after)
      .put('op', op)
      .put('source', new Struct(source).put('connector', 'postgresql'))
      .put('ts_ms', 1_700_000_000_000),
    headers: headers(['h', 'v', null]),
  });
}
const ID: [string, unknown, Schema | null] = ['id', 'da8d6de6-3b77-45ff-8f44-57db55a7a06c', Schemas.STRING];
const H0: [string, unknown, Schema | null] = ['h', 'v', null];

describe('EventRouter', () => {
  it('routes an outbox insert: topic, key, payload value, id header, ts_ms timestamp, no partition', () => {
    const input = event('c', row());
    expectRecord(transform(CLS).apply(input), input, {
      topic: 'outbox.event.UserCreated',
      kafkaPartition: null,
      keySchema: Schemas.STRING,
      key: '10711fa5',
      valueSchema: Schemas.OPTIONAL_STRING,
      value: '{"name":"x"}',
      timestamp: 1_700_000_000_000,
      headers: [H0, ID],
    });
  });

  it('treats snapshot reads like inserts', () => {
    const input = event('r', row());
    expect(transform(CLS).apply(input)!.topic).toBe('outbox.event.UserCreated');
  });

  it.each([
    ['route.topic.replacement', { 'route.topic.replacement': '${routedByValue}.events' }, 'UserCreated.events'],
    [
      'route.topic.regex with numbered groups',
      { 'route.topic.regex': '(User)(.*)', 'route.topic.replacement': 'users.$2' },
      'users.Created',
    ],
    ['route.by.field', { 'route.by.field': 'type' }, 'outbox.event.User'],
    [
      'a regex that does not match leaves the routed value as the topic',
      { 'route.topic.regex': 'Order(.*)', 'route.topic.replacement': 'orders.$1' },
      'UserCreated',
    ],
  ])('%s', (_n, props, topic) => {
    expect(transform(CLS, props).apply(event('c', row()))!.topic).toBe(topic);
  });

  it('places additional fields in headers, the envelope and the partition', () => {
    const input = event('c', row());
    const valueSchema = SchemaBuilder.struct()
      .name('dbserver1.inventory.outboxevent.UserCreated.Value')
      .field('payload', Schemas.OPTIONAL_STRING)
      .field('eventType', Schemas.STRING)
      .build();
    expectRecord(
      transform(CLS, {
        'table.fields.additional.placement': 'type:envelope:eventType,tenant:header,part:partition',
      }).apply(input),
      input,
      {
        topic: 'outbox.event.UserCreated',
        kafkaPartition: 3,
        keySchema: Schemas.STRING,
        key: '10711fa5',
        valueSchema,
        value: new Struct(valueSchema).put('payload', '{"name":"x"}').put('eventType', 'User'),
        timestamp: 1_700_000_000_000,
        headers: [H0, ID, ['tenant', 'acme', Schemas.OPTIONAL_STRING]],
      },
    );
  });

  it('versions the envelope schema with table.field.event.schema.version', () => {
    const out = transform(CLS, {
      'table.fields.additional.placement': 'type:envelope',
      'table.field.event.schema.version': 'version',
    }).apply(event('c', row()))!;
    expect([out.valueSchema!.name, out.valueSchema!.version]).toEqual([
      'dbserver1.inventory.outboxevent.UserCreated.Value',
      1,
    ]);
  });

  it('takes the timestamp from table.field.event.timestamp (MicroTimestamp → ms)', () => {
    expect(transform(CLS, { 'table.field.event.timestamp': 'occurred' }).apply(event('c', row()))!.timestamp).toBe(
      1_700_000_000_123,
    );
    expect(
      transform(CLS, { 'table.field.event.timestamp': 'occurred' }).apply(event('c', row({ occurred: null })))!
        .timestamp,
    ).toBe(1_700_000_000_000);
  });

  it('uses table.field.event.key / payload / id', () => {
    const input = event('c', row());
    expectRecord(
      transform(CLS, {
        'table.field.event.key': 'tenant',
        'table.field.event.payload': 'type',
        'table.field.event.id': 'aggregateid',
      }).apply(input),
      input,
      {
        topic: 'outbox.event.UserCreated',
        kafkaPartition: null,
        keySchema: Schemas.OPTIONAL_STRING,
        key: 'acme',
        valueSchema: Schemas.STRING,
        value: 'User',
        timestamp: 1_700_000_000_000,
        headers: [H0, ['id', '10711fa5', Schemas.STRING]],
      },
    );
  });

  it.each([
    ['a null payload', { payload: null }],
    ['a blank payload', { payload: '  ' }],
  ])('route.tombstone.on.empty.payload turns %s into a tombstone', (_n, overrides) => {
    const input = event('c', row(overrides));
    expectRecord(transform(CLS, { 'route.tombstone.on.empty.payload': 'true' }).apply(input), input, {
      topic: 'outbox.event.UserCreated',
      kafkaPartition: null,
      keySchema: Schemas.STRING,
      key: '10711fa5',
      valueSchema: null,
      value: null,
      timestamp: 1_700_000_000_000,
      headers: [H0, ID],
    });
  });

  it.each([
    ['deletes', event('d', null, row())],
    ['updates (table.op.invalid.behavior=warn)', event('u', row(), row())],
    ['tombstones', new SourceRecord({ topic: 't', value: null })],
  ])('drops %s', (_n, input) => {
    expect(transform(CLS).apply(input)).toBeNull();
  });

  it('passes non-envelope records and fails updates with table.op.invalid.behavior=fatal', () => {
    const heartbeat = new SourceRecord({ topic: 't', valueSchema: Schemas.STRING, value: 'x' });
    expect(transform(CLS).apply(heartbeat)).toBe(heartbeat);
    expect(() => transform(CLS, { 'table.op.invalid.behavior': 'fatal' }).apply(event('u', row(), row()))).toThrow(
      'Unexpected update message received Struct{id=da8d}, fail.',
    );
  });

  it.each([
    [{ 'table.field.event.payload': 'body' }, 'Unable to find payload field body in event'],
    [{ 'table.field.event.id': 'uuid' }, 'Unable to find event-id field uuid in event'],
    [{ 'table.fields.additional.placement': 'missing:header' }, 'missing is not a valid field name'],
    [
      { 'table.field.event.timestamp': 'version' },
      'Unsupported field type INT32 (without logical schema name) for event timestamp',
    ],
  ])('fails on %j', (props, message) => {
    expect(() => transform(CLS, props).apply(event('c', row()))).toThrow(message);
  });

  it('fails on a missing additional column even with table.fields.additional.error.on.missing=false (Debezium 3.6)', () => {
    const t = transform(CLS, {
      'table.fields.additional.placement': 'missing:header',
      'table.fields.additional.error.on.missing': 'false',
    });
    expect(() => t.apply(event('c', row()))).toThrow('missing is not a valid field name');
    expect(() =>
      transform(CLS, { 'table.fields.additional.placement': 'missing:envelope' }).apply(event('c', row())),
    ).toThrow('Unable to find field missing in event');
  });

  it('expands a JSON payload into a struct named after the payload field (table.expand.json.payload)', () => {
    const out = transform(CLS, { 'table.expand.json.payload': 'true' }).apply(event('c', row()))!;
    const expected = SchemaBuilder.struct().name('payload').optional().field('name', Schemas.OPTIONAL_STRING).build();
    expect(out.valueSchema).toEqual(expected);
    expect((out.value as Struct).get('name')).toBe('x');
  });

  it.each([
    [
      { 'table.fields.additional.placement': 'type:body' },
      "Invalid value [type:body] for configuration table.fields.additional.placement: 'type:body' must be column:placement or column:placement:alias",
    ],
    [
      { 'table.op.invalid.behavior': 'ignore' },
      'Invalid value ignore for configuration table.op.invalid.behavior: String must be one of (case insensitive): warn, error, fatal',
    ],
    [
      { 'route.topic.replacement': 'x.${nope}' },
      'Invalid value x.${nope} for configuration route.topic.replacement: No group with name {nope}',
    ],
  ])('config %j fails', (props, message) => {
    expect(() => transform(CLS, props)).toThrow(message);
  });
});
