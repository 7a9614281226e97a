/** The safe expression language: what parses (Groovy / JavaScript subset), what is refused, and how it evaluates. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, BigDecimal, Headers } from '../../sdk/data.ts';
import { Expression, type Bindings, type Language } from './expression.ts';

const row = SchemaBuilder.struct()
  .name('server.inventory.orders.Value')
  .field('id', Schemas.INT32)
  .field('status', Schemas.OPTIONAL_STRING)
  .field(
    'amount',
    SchemaBuilder.bytes().name('org.apache.kafka.connect.data.Decimal').parameter('scale', '2').optional().build(),
  )
  .field('qty', Schemas.OPTIONAL_INT64)
  .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
  .field('region', SchemaBuilder.string().optional().defaultValue('eu').build())
  .optional()
  .build();
const envelope = SchemaBuilder.struct()
  .name('server.inventory.orders.Envelope')
  .field('before', row)
  .field('after', row)
  .field('op', Schemas.STRING)
  .build();
const after = new Struct(row)
  .put('id', 42)
  .put('status', 'shipped')
  .put('amount', new BigDecimal(1250n, 2))
  .put('qty', 3)
  .put('tags', ['a', 'b'])
  .put('region', null);
const value = new Struct(envelope).put('before', null).put('after', after).put('op', 'u');
const keySchema = SchemaBuilder.struct().field('id', Schemas.INT32).build();
const env: Bindings = {
  value,
  key: new Struct(keySchema).put('id', 42),
  valueSchema: envelope,
  keySchema,
  topic: 'server.inventory.orders',
  headers: new Headers().add('tenant', 'acme', Schemas.STRING).add('tenant', 'globex', Schemas.STRING),
  partition: 2,
  timestamp: 1000,
};
const schemaless: Bindings = { ...env, value: { op: 'c', after: { id: 7, name: 'x' } }, valueSchema: null };

const run = (src: string, lang: Language = 'expr', bindings: Bindings = env) =>
  new Expression(src, lang).evaluate(bindings);

describe('Expression', () => {
  it.each([
    ["value.after.id > 10 && value.op == 'u'", true],
    ["value.op == 'u' && value.before == null", true],
    ["value.op == 'u' && value.before.id == 2", 'error'],
    ["value.op == 'u' && value.before?.id == 2", false],
    ['value.after.id == 42', true],
    ['value.after.id >= 42 && value.after.id < 43', true],
    ['value.after.qty == 3', true],
    ['value.after.amount > 12', true],
    ['value.after.amount == 12.5', true],
    ["value.after.status.startsWith('ship')", true],
    ["value.after.status.contains('ipp')", true],
    ["value.after.status.endsWith('x')", false],
    ["value.after.status.matches('sh.*d')", true],
    ['value.after.status ==~ /sh.*d/', true],
    ["value.after.status =~ 'ipp'", true],
    ["value.after.status.toUpperCase() == 'SHIPPED'", true],
    ["value.after.status.equalsIgnoreCase('Shipped')", true],
    ['value.after.status.length() == 7', true],
    ["value.after.status in ['new', 'shipped']", true],
    ["value.op !in ['c', 'r']", true],
    ["value.after.tags.contains('b')", true],
    ['value.after.tags.size() == 2', true],
    ['value.after.tags[0] == "a"', true],
    ["value.after.region == 'eu'", true],
    ["value.after.get('id') == 42", true],
    ["value.get('after').get('status') == 'shipped'", true],
    ["value['op'] == 'u'", true],
    ["topic.startsWith('server.') && !topic.endsWith('.customers')", true],
    ["topic == 'server.inventory.orders'", true],
    ['key.id == 42', true],
    ["valueSchema.name == 'server.inventory.orders.Envelope'", true],
    ["valueSchema.name().endsWith('.Envelope')", true],
    ["valueSchema.type == 'STRUCT'", true],
    ["valueSchema.field('op').schema().type() == 'STRING'", true],
    ["headers.tenant.value == 'globex'", true],
    ["header.tenant.value == 'globex'", true],
    ['headers.missing == null', true],
    ["headers.tenant.schema.type == 'STRING'", true],
    ['partition == 2 && timestamp > 0', true],
    ["(value.op == 'c' || value.op == 'u') and not (value.after.id < 0)", true],
    ["value.op == 'u' ? 'updates' : null", 'updates'],
    ["value.op == 'c' ? 'creates' : null", null],
    ["value.before?.status ?: 'none'", 'none'],
    ["value.before?.status ?? 'none'", 'none'],
    ["'orders-' + value.after.status", 'orders-shipped'],
    ["'id-' + value.after.id", 'id-42'],
    ['value.after.id * 2 + 1', 85],
    ['value.after.id % 5', 2],
    ['-value.after.id', -42],
    ['value.after.qty / 2', 1.5],
    ["'2' == 2", false],
    ['true == true && false != true', true],
    ['null == null', true],
  ])('%s', (src, expected) => {
    if (expected === 'error') expect(() => run(src)).toThrow(/Cannot get property 'id' on null object/);
    else expect(run(src)).toEqual(expected);
  });

  it('uses Groovy / JavaScript semantics where they differ', () => {
    expect(run("'2' == 2", 'groovy')).toBe(false);
    expect(run("'2' == 2", 'js')).toBe(true);
    expect(run("'2' === 2", 'js')).toBe(false);
    expect(run("value.before == null || 'x'", 'js')).toBe(true);
    expect(run("value.before || 'fallback'", 'js')).toBe('fallback');
    expect(run("value.before || 'fallback'", 'groovy')).toBe(true);
    expect(run('value.before?.id < 5', 'groovy')).toBe(true);
    expect(run('value.before?.id < 5', 'expr')).toBe(false);
    expect(run('value.before?.id < 5', 'js')).toBe(true);
  });

  it('reads schemaless maps', () => {
    expect(run("value.op == 'c' && value.after.id == 7", 'groovy', schemaless)).toBe(true);
    expect(run('value.after.missing == null', 'groovy', schemaless)).toBe(true);
  });

  it.each([
    ['value.after.nope == 1', 'nope is not a valid field name'],
    ['value.op.foo', 'No such property: foo for string'],
    ['value.after.status.size2()', "Method 'size2' is not allowed"],
    ['value.op > 3', 'Cannot compare string with number'],
  ])('%s fails when evaluated or parsed', (src, message) => {
    expect(() => run(src)).toThrow(message);
  });

  it('wraps evaluation errors with the expression and topic', () => {
    expect(() => run('value.before.id == 1')).toThrow(
      "Error while evaluating expression 'value.before.id == 1' for record on topic 'server.inventory.orders': Cannot get property 'id' on null object",
    );
  });

  it.each([
    ['', 'Empty expression'],
    ["value.op = 'u'", 'Assignment (=) is not allowed; use == to compare at position 9'],
    ["value.op == 'u'; 1", 'Only a single expression is allowed (found ;)'],
    [
      'System.exit(0)',
      "Unknown variable 'System'; available: value, key, valueSchema, keySchema, topic, headers, header, partition, timestamp",
    ],
    ["new File('/etc/passwd')", "'new' is not allowed: expressions may only read the record"],
    ['value.getClass().forName("x")', "Method 'getClass' is not allowed"],
    ['value.each { it }', 'Blocks and closures ({ … }) are not supported'],
    ['(x) => x', 'Functions (=>) are not supported'],
    ['`${value}`', 'Template literals are not supported'],
    ['"${value.op}"', 'GString interpolation ${…} is not supported'],
    ["value.op == 'u", 'Unterminated string literal'],
    ['value.op ==', "Expected a value, a variable or ( but found '<end>'"],
    ['(value.op', "Expected ')' but found '<end>'"],
    ['value.op #', "Unexpected character '#'"],
    ['value(1)', 'calling a function is not allowed'],
    ['value.op()', "Method 'op' is not allowed"],
    ['eval("1")', "'eval' is not allowed"],
  ])('refuses %j at parse time', (src, message) => {
    expect(() => new Expression(src, src.startsWith('"') ? 'groovy' : 'expr')).toThrow(message);
  });
});
