/** Filter (Kafka Connect): drops every record it is applied to; with a predicate it drops the matching ones. */
import { describe, expect, it } from 'vitest';
import { loadedPluginRegistry } from '../app/builtins.ts';
import { buildTransformationChain } from '../runtime/worker/transformation-chain.ts';
import { sourceRecord, transform } from './testing.ts';

const plugins = await loadedPluginRegistry();

describe('Filter', () => {
  it.each([
    ['a record', sourceRecord({ value: { a: 1 } })],
    ['a tombstone', sourceRecord({ value: null })],
  ])('drops %s', (_n, input) => {
    expect(transform('org.apache.kafka.connect.transforms.Filter').apply(input)).toBeNull();
  });

  it.each([
    ['drops the records whose topic matches', 'false', 'foo-1', null],
    ['keeps the records whose topic does not match', 'false', 'bar', 'bar'],
    ['negate: drops the records whose topic does not match', 'true', 'bar', null],
    ['negate: keeps the records whose topic matches', 'true', 'foo-1', 'foo-1'],
  ])('with a TopicNameMatches predicate: %s', (_n, negate, topic, expected) => {
    const chain = buildTransformationChain(
      {
        transforms: 'drop',
        'transforms.drop.type': 'org.apache.kafka.connect.transforms.Filter',
        'transforms.drop.predicate': 'isFoo',
        'transforms.drop.negate': negate,
        predicates: 'isFoo',
        'predicates.isFoo.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
        'predicates.isFoo.pattern': 'foo-.*',
      },
      plugins,
    );
    expect(chain.apply(sourceRecord({ topic, value: 'v' }))?.topic ?? null).toBe(expected);
  });
});
