/** TopicNameMatches, HasHeaderKey, RecordIsTombstone — cases from Kafka Connect's predicate tests. */
import { describe, expect, it } from 'vitest';
import { Schemas } from '../../sdk/data.ts';
import { headers, predicate, sinkRecord, sourceRecord } from '../testing.ts';

const P = 'org.apache.kafka.connect.transforms.predicates';

describe('TopicNameMatches', () => {
  it.each([
    ['my-prefix-.*', 'my-prefix-', true],
    ['my-prefix-.*', 'my-prefix-foo', true],
    ['my-prefix-.*', 'x-my-prefix-', false],
    ['my-prefix-.*', 'your-prefix-', false],
    ['orders|payments', 'payments', true],
    ['orders', 'orders-2', false],
    ['(?i)ORDERS', 'orders', true],
  ])('pattern %s on topic %s → %s', (pattern, topic, expected) => {
    expect(predicate(`${P}.TopicNameMatches`, { pattern }).test(sourceRecord({ topic }))).toBe(expected);
  });

  it.each([
    [{ pattern: '' }, 'Invalid value  for configuration pattern: String must be non-empty'],
    [{ pattern: '[' }, 'Invalid value [ for configuration pattern: Invalid regex:'],
    [{}, 'Missing required configuration "pattern" which has no default value.'],
  ])('config %j fails', (props, message) => {
    expect(() => predicate(`${P}.TopicNameMatches`, props)).toThrow(message);
  });
});

describe('HasHeaderKey', () => {
  it.each([
    [[['foo', 'x']], true],
    [
      [
        ['bar', 'x'],
        ['foo', null],
      ],
      true,
    ],
    [[['foobar', 'x']], false],
    [[], false],
  ] as Array<[Array<[string, unknown]>, boolean]>)('headers %j → %s', (hs, expected) => {
    const record = sourceRecord({
      headers: headers(
        ...hs.map(([k, v]) => [k, v, Schemas.OPTIONAL_STRING] as [string, unknown, typeof Schemas.OPTIONAL_STRING]),
      ),
    });
    expect(predicate(`${P}.HasHeaderKey`, { name: 'foo' }).test(record)).toBe(expected);
  });

  it('requires a non-empty name', () => {
    expect(() => predicate(`${P}.HasHeaderKey`, { name: '' })).toThrow(
      'Invalid value  for configuration name: String must be non-empty',
    );
  });
});

describe('RecordIsTombstone', () => {
  it.each([
    ['a null value', sourceRecord({ key: 'k', value: null }), true],
    ['a null value with a schema', sinkRecord({ valueSchema: Schemas.OPTIONAL_STRING, value: null }), true],
    ['a value', sourceRecord({ value: 'v' }), false],
    ['an empty string', sourceRecord({ value: '' }), false],
  ])('%s → %s', (_n, record, expected) => {
    expect(predicate(`${P}.RecordIsTombstone`).test(record)).toBe(expected);
  });
});
