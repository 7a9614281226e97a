/** io.debezium.transforms.Filter and ContentBasedRouter — cases from Debezium's filtering / content-based-routing docs and tests. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, SourceRecord } from '../../sdk/data.ts';
import { expectRecord, headers, transform } from '../testing.ts';

const row = SchemaBuilder.struct()
  .name('server.inventory.customers.Value')
  .field('id', Schemas.INT32)
  .field('email', Schemas.OPTIONAL_STRING)
  .optional()
  .build();
const envelope = SchemaBuilder.struct()
  .name('server.inventory.customers.Envelope')
  .field('before', row)
  .field('after', row)
  .field('op', Schemas.STRING)
  .build();
const keySchema = SchemaBuilder.struct().field('id', Schemas.INT32).build();

function change(op: string, id: number, topic = 'server.inventory.customers'): SourceRecord {
  const r = new Struct(row).put('id', id).put('email', `u${id}@example.com`);
  return new SourceRecord({
    topic,
    keySchema,
    key: new Struct(keySchema).put('id', id),
    valueSchema: envelope,
    value: new Struct(envelope)
      .put('before', op === 'c' ? null : r)
      .put('after', op === 'd' ? null : r)
      .put('op', op),
    headers: headers(['tenant', 'acme', Schemas.STRING]),
  });
}
const tombstone = () =>
  new SourceRecord({
    topic: 'server.inventory.customers',
    keySchema,
    key: new Struct(keySchema).put('id', 2),
    value: null,
  });

describe('io.debezium.transforms.Filter', () => {
  const FILTER = 'io.debezium.transforms.Filter';
  it.each([
    ['jsr223.groovy', "value.op == 'u' && value.before.id == 2", change('u', 2), true],
    ['jsr223.groovy', "value.op == 'u' && value.before.id == 2", change('u', 3), false],
    ['jsr223.groovy', "value.op == 'u' && value.before.id == 2", change('c', 2), false],
    ['jsr223.graal.js', "value.op == 'u' && value.before.id == 2", change('u', 2), true],
    ['jsr223.graal.js', "value.get('op') == 'u' && value.get('before').get('id') == 2", change('u', 2), true],
    ['tributary.expr', "value.after?.email?.endsWith('@example.com') ?: false", change('d', 2), false],
    ['tributary.expr', "headers.tenant.value == 'acme'", change('c', 1), true],
    ['tributary.expr', "keySchema.field('id') != null && key.id > 1", change('c', 1), false],
  ])('%s: %s', (language, condition, input, kept) => {
    const out = transform(FILTER, { language, condition }).apply(input);
    if (kept) expect(out).toBe(input);
    else expect(out).toBeNull();
  });

  it.each([
    ['keep', tombstone(), 'same'],
    ['drop', tombstone(), null],
    ['evaluate', tombstone(), null],
  ])('null.handling.mode=%s', (mode, input, expected) => {
    const out = transform(FILTER, {
      language: 'jsr223.groovy',
      condition: 'value != null',
      'null.handling.mode': mode,
    }).apply(input);
    expect(out).toBe(expected === 'same' ? input : null);
  });

  it('evaluates tombstones with null.handling.mode=evaluate', () => {
    const input = tombstone();
    expect(
      transform(FILTER, {
        language: 'jsr223.groovy',
        condition: 'value == null && key.id == 2',
        'null.handling.mode': 'evaluate',
      }).apply(input),
    ).toBe(input);
  });

  it('applies only to topics matching topic.regex', () => {
    const other = change('c', 1, 'server.inventory.products');
    const t = transform(FILTER, { language: 'jsr223.groovy', condition: 'false', 'topic.regex': '.*customers' });
    expect(t.apply(other)).toBe(other);
    expect(t.apply(change('c', 1))).toBeNull();
  });

  it('fails a record whose condition is not a boolean, or cannot be evaluated', () => {
    expect(() => transform(FILTER, { language: 'jsr223.groovy', condition: 'value.op' }).apply(change('c', 1))).toThrow(
      "Value 'c' returned by the condition is not a boolean",
    );
    expect(() =>
      transform(FILTER, { language: 'jsr223.groovy', condition: 'value.before.id == 1' }).apply(change('c', 1)),
    ).toThrow("Cannot get property 'id' on null object");
  });

  it.each([
    [{ language: 'jsr223.groovy' }, 'Missing required configuration "condition" which has no default value.'],
    [{ condition: 'true' }, 'Missing required configuration "language" which has no default value.'],
    [
      { language: 'groovy', condition: 'true' },
      "Invalid value groovy for configuration language: Value for option 'language' must begin with 'jsr223.', e.g. 'jsr223.groovy', or be 'tributary.expr'",
    ],
    [
      { language: 'jsr223.python', condition: 'true' },
      "Invalid value jsr223.python for configuration language: Implementation of language 'python' not found; Tributary evaluates jsr223.groovy, jsr223.graal.js and tributary.expr",
    ],
    [{ language: 'wasm.chicory', expression: 'file://filter.wasm' }, 'WebAssembly filters are not supported'],
    [
      { language: 'jsr223.groovy', condition: "value.op = 'u'" },
      "Invalid value value.op = 'u' for configuration condition: Failed to parse expression: Assignment (=) is not allowed",
    ],
    [{ language: 'jsr223.groovy', condition: 'Runtime.getRuntime().exec("rm")' }, "Unknown variable 'Runtime'"],
    [
      { language: 'jsr223.groovy', condition: 'true', 'null.handling.mode': 'ignore' },
      'Invalid value ignore for configuration null.handling.mode: String must be one of (case insensitive): drop, keep, evaluate',
    ],
    [
      { language: 'jsr223.groovy', condition: 'true', 'topic.regex': '(' },
      'Invalid value ( for configuration topic.regex: Invalid regex:',
    ],
  ])('config %j fails', (props, message) => {
    expect(() => transform(FILTER, props)).toThrow(message);
  });
});

describe('io.debezium.transforms.ContentBasedRouter', () => {
  const ROUTER = 'io.debezium.transforms.ContentBasedRouter';
  it.each([
    ['jsr223.groovy', "value.op == 'u' ? 'updates' : null", change('u', 1), 'updates'],
    ['jsr223.graal.js', "value.get('op') == 'u' ? 'updates' : null", change('u', 1), 'updates'],
    ['jsr223.groovy', "value.after.id == 1 ? 'customers-1' : 'customers-other'", change('c', 2), 'customers-other'],
    ['tributary.expr', "topic + '.' + value.op", change('c', 1), 'server.inventory.customers.c'],
  ])('%s: %s', (language, expression, input, topic) => {
    expectRecord(transform(ROUTER, { language, 'topic.expression': expression }).apply(input), input, { topic });
  });

  it('keeps the topic when the expression gives null', () => {
    const input = change('c', 1);
    expect(
      transform(ROUTER, { language: 'jsr223.groovy', 'topic.expression': "value.op == 'u' ? 'updates' : null" }).apply(
        input,
      ),
    ).toBe(input);
  });

  it('keeps tombstones by default and can route them with null.handling.mode=evaluate', () => {
    const input = tombstone();
    expect(transform(ROUTER, { language: 'jsr223.groovy', 'topic.expression': "'tombstones'" }).apply(input)).toBe(
      input,
    );
    expectRecord(
      transform(ROUTER, {
        language: 'jsr223.groovy',
        'topic.expression': "value == null ? 'tombstones' : null",
        'null.handling.mode': 'evaluate',
      }).apply(input),
      input,
      { topic: 'tombstones' },
    );
  });

  it('fails a record whose expression is not a string', () => {
    expect(() =>
      transform(ROUTER, { language: 'jsr223.groovy', 'topic.expression': 'value.after.id' }).apply(change('c', 1)),
    ).toThrow("Value '1' returned by the topic expression is not a String");
  });

  it('requires topic.expression', () => {
    expect(() => transform(ROUTER, { language: 'jsr223.groovy' })).toThrow(
      'Missing required configuration "topic.expression" which has no default value.',
    );
  });
});
