/** ExtractNewRecordState, cases after Debezium's ExtractNewRecordStateTest and the event-flattening docs. */
import { describe, it, expect } from 'vitest';
import { SchemaBuilder, Schemas } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { SourceRecord } from '../../runtime/data/records.ts';
import { createPluginRegistry } from '../../runtime/plugins/builtins.ts';

const registry = createPluginRegistry();
const unwrap = (props: Record<string, string> = {}) => {
  const t = registry.get('io.debezium.transforms.ExtractNewRecordState', 'transformation').create();
  t.configure(props);
  return t;
};

const row = SchemaBuilder.struct().name('dummy.Value').field('id', Schemas.INT8).field('name', Schemas.OPTIONAL_STRING).optional().build();
const source = SchemaBuilder.struct().name('io.debezium.connector.postgresql.Source').field('lsn', Schemas.OPTIONAL_INT32).field('ts_ms', Schemas.OPTIONAL_INT64).field('table', Schemas.OPTIONAL_STRING).build();
const tx = SchemaBuilder.struct().name('event.block').field('id', Schemas.STRING).field('total_order', Schemas.INT64).field('data_collection_order', Schemas.INT64).optional().build();
const envelope = SchemaBuilder.struct().name('dummy.Envelope').field('before', row).field('after', row).field('source', source).field('transaction', tx).field('op', Schemas.STRING).field('ts_ms', Schemas.OPTIONAL_INT64).build();
const keySchema = SchemaBuilder.struct().name('dummy.Key').field('id', Schemas.INT8).build();

function event(op: 'c' | 'u' | 'd' | 't', before: Struct | null, after: Struct | null): SourceRecord {
  const v = new Struct(envelope).put('before', before).put('after', after).put('op', op).put('ts_ms', 1_700_000_000_000)
    .put('source', new Struct(source).put('lsn', 1234).put('ts_ms', 1_699_999_999_000).put('table', 'dummy'))
    .put('transaction', new Struct(tx).put('id', '571').put('total_order', 42).put('data_collection_order', 42));
  return new SourceRecord({ topic: 'server.public.dummy', keySchema, key: new Struct(keySchema).put('id', 1), valueSchema: envelope, value: v });
}
const r1 = () => new Struct(row).put('id', 1).put('name', 'myRecord');
const r2 = () => new Struct(row).put('id', 1).put('name', 'updated');
const tombstone = () => new SourceRecord({ topic: 'server.public.dummy', keySchema, key: new Struct(keySchema).put('id', 1), value: null });
const values = (s: Struct) => Object.fromEntries(s.schema.fields.map((f) => [f.name, s.getWithoutDefault(f.name)]));

describe('ExtractNewRecordState', () => {
  it('replaces an insert/update envelope with the after row, keeping key and headers', () => {
    const create = event('c', null, r1());
    create.headers.addString('h', 'v');
    const out = unwrap().apply(create)!;
    expect(out.valueSchema!.name).toBe('dummy.Value');
    expect(values(out.value as Struct)).toEqual({ id: 1, name: 'myRecord' });
    expect(out.key).toBe(create.key);
    expect([...out.headers].map((h) => h.key)).toEqual(['h']);
    expect(values(unwrap().apply(event('u', r1(), r2()))!.value as Struct)).toEqual({ id: 1, name: 'updated' });
  });

  it.each([
    // mode, delete event becomes, incoming tombstone becomes
    ['tombstone', 'tombstone', 'dropped'],
    ['drop', 'dropped', 'dropped'],
    ['rewrite', 'rewritten', 'dropped'],
    ['rewrite-with-tombstone', 'rewritten', 'kept'],
    ['delete-to-tombstone', 'tombstone', 'kept'],
  ])('delete.tombstone.handling.mode=%s: delete → %s, tombstone → %s', (mode, del, tomb) => {
    const t = unwrap({ 'delete.tombstone.handling.mode': mode });
    const d = t.apply(event('d', r1(), null));
    if (del === 'dropped') expect(d).toBeNull();
    else if (del === 'tombstone') expect([d!.value, d!.valueSchema, (d!.key as Struct).get('id')]).toEqual([null, null, 1]);
    else expect(values(d!.value as Struct)).toEqual({ id: 1, name: 'myRecord', __deleted: 'true' });
    const tb = tombstone();
    expect(t.apply(tb)).toBe(tomb === 'kept' ? tb : null);
  });

  it('rewrite marks inserts and updates with __deleted=false', () => {
    const out = unwrap({ 'delete.tombstone.handling.mode': 'rewrite' }).apply(event('c', null, r1()))!;
    expect(values(out.value as Struct)).toEqual({ id: 1, name: 'myRecord', __deleted: 'false' });
    expect(out.valueSchema!.field('__deleted')!.schema).toEqual(Schemas.OPTIONAL_STRING);
  });

  it('maps the legacy delete.handling.mode / drop.tombstones keys', () => {
    expect(unwrap({ 'delete.handling.mode': 'drop' }).apply(event('d', r1(), null))).toBeNull();
    expect(values(unwrap({ 'delete.handling.mode': 'rewrite' }).apply(event('d', r1(), null))!.value as Struct).__deleted).toBe('true');
    const tb = tombstone();
    expect(unwrap({ 'drop.tombstones': 'false' }).apply(tb)).toBe(tb);
    expect(unwrap({ 'delete.handling.mode': 'none' }).apply(event('d', r1(), null))!.value).toBeNull();
  });

  it('adds envelope, source and transaction fields and headers (testNewFieldAndHeaderMapping)', () => {
    const out = unwrap({
      'add.fields': 'op:OP, lsn:LSN, source.lsn:source_lsn, transaction.total_order:TOTAL_ORDER, source.ts_ms',
      'add.fields.prefix': '',
      'add.headers': 'op, source.lsn:source_lsn, transaction.id:TXN_ID',
      'add.headers.prefix': 'prefix.',
    }).apply(event('u', r1(), r2()))!;
    expect(values(out.value as Struct)).toEqual({ id: 1, name: 'updated', OP: 'u', LSN: 1234, source_lsn: 1234, TOTAL_ORDER: 42, source_ts_ms: 1_699_999_999_000 });
    expect([...out.headers].map((h) => [h.key, h.value])).toEqual([['prefix.op', 'u'], ['prefix.source_lsn', 1234], ['prefix.TXN_ID', '571']]);
    expect(values(unwrap({ 'add.fields': 'op,table' }).apply(event('c', null, r1()))!.value as Struct)).toEqual({ id: 1, name: 'myRecord', __op: 'c', __table: 'dummy' });
  });

  it('drops truncate events, passes non-envelope records through, routes by field', () => {
    expect(unwrap().apply(event('t', null, null))).toBeNull();
    const plain = new SourceRecord({ topic: 't', valueSchema: Schemas.STRING, value: 'x' });
    expect(unwrap().apply(plain)).toBe(plain);
    expect(unwrap({ 'route.by.field': 'name' }).apply(event('c', null, r1()))!.topic).toBe('myRecord');
  });

  it('refuses keys it does not support yet', () => {
    expect(() => unwrap({ 'drop.fields.header.name': 'x' })).toThrow(/drop.fields.header.name is not supported yet/);
    expect(() => unwrap({ 'delete.tombstone.handling.mode': 'sometimes' })).toThrow(/String must be one of/);
  });
});
