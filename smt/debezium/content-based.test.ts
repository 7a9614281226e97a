/** Debezium's Filter and ContentBasedRouter with the safe expression language (no code execution). */
import { describe, it, expect } from 'vitest';
import { SchemaBuilder, Schemas } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { Headers } from '../../runtime/data/headers.ts';
import { SourceRecord } from '../../runtime/data/records.ts';
import { createPluginRegistry } from '../../runtime/plugins/builtins.ts';

const registry = createPluginRegistry();
const make = (cls: string, props: Record<string, string>) => {
  const t = registry.get(cls, 'transformation').create();
  t.configure({ language: 'jsr223.groovy', ...props });
  return t;
};
const filter = (condition: string, extra: Record<string, string> = {}) => make('io.debezium.transforms.Filter', { condition, ...extra });

const row = SchemaBuilder.struct().name('s.t.Value').field('id', Schemas.INT32).field('status', Schemas.OPTIONAL_STRING).optional().build();
const env = SchemaBuilder.struct().name('s.t.Envelope').field('before', row).field('after', row).field('op', Schemas.STRING).build();
const event = (op: string, id: number, status: string | null) =>
  new SourceRecord({ topic: 'server.inventory.orders', valueSchema: env, value: new Struct(env).put('op', op).put('after', new Struct(row).put('id', id).put('status', status)), headers: new Headers().addString('tenant', 'acme') });

describe('Filter (io.debezium.transforms.Filter)', () => {
  it.each([
    ["value.op == 'u' && value.after.status == 'cancelled'", event('u', 1, 'cancelled'), true],
    ["value.op == 'u' && value.after.status == 'cancelled'", event('c', 1, 'cancelled'), false],
    ["value.op != 'r'", event('r', 1, null), false],
    ['value.after.id > 10 || value.after.id == 2', event('c', 2, null), true],
    ['value.after.id > 10 || value.after.id == 2', event('c', 3, null), false],
    ["value.get('op') == 'c' and topic.startsWith('server.')", event('c', 1, null), true],
    ["headers.tenant == 'acme' && valueSchema.name.endsWith('.Envelope')", event('c', 1, null), true],
    ["value.after.status == null", event('c', 1, null), true],
    ["!(value.after.status.matches('can.*'))", event('c', 1, 'cancelled'), false],
  ])('%s', (condition, record, kept) => {
    const out = filter(condition).apply(record);
    expect(out === record).toBe(kept);
    if (!kept) expect(out).toBeNull();
  });

  it('handles tombstones by null.handling.mode and limits itself to topic.regex', () => {
    const tomb = new SourceRecord({ topic: 'server.inventory.orders', value: null });
    expect(filter("value.op == 'c'").apply(tomb)).toBe(tomb);
    expect(filter("value.op == 'c'", { 'null.handling.mode': 'drop' }).apply(tomb)).toBeNull();
    expect(filter('value == null', { 'null.handling.mode': 'evaluate' }).apply(tomb)).toBe(tomb);
    const other = event('d', 1, null);
    expect(filter("value.op == 'c'", { 'topic.regex': 'nothing.*' }).apply(other)).toBe(other);
  });

  it.each([
    ["java.lang.Runtime.getRuntime().exec('rm')", /unknown variable 'java'/],
    ["value.op == 'c'; System.exit(1)", /Unexpected character ';'/],
    ["value.getClass().forName('x')", /method 'getClass' is not allowed/],
    ["value.op == ", /expected a value, variable or \(/],
    ["process.exit(1)", /unknown variable 'process'/],
  ])('refuses anything outside the safe subset: %s', (condition, message) => {
    expect(() => filter(condition)).toThrow(message);
  });

  it('refuses unknown languages', () => {
    expect(() => make('io.debezium.transforms.Filter', { language: 'jsr223.python', condition: 'true' })).toThrow(/use one of jsr223.groovy, jsr223.graal.js, tributary.expr/);
  });
});

describe('ContentBasedRouter', () => {
  it('routes by an expression, keeping the topic when it yields null', () => {
    const t = make('io.debezium.transforms.ContentBasedRouter', { 'topic.expression': "value.after.status == 'cancelled' ? 'orders-cancelled' : null" });
    expect(t.apply(event('u', 1, 'cancelled'))!.topic).toBe('orders-cancelled');
    expect(t.apply(event('u', 1, 'open'))!.topic).toBe('server.inventory.orders');
    const byOp = make('io.debezium.transforms.ContentBasedRouter', { 'topic.expression': "topic + '.' + value.op" });
    expect(byOp.apply(event('d', 1, null))!.topic).toBe('server.inventory.orders.d');
  });
});
