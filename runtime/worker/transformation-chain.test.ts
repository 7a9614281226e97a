import { describe, it, expect } from 'vitest';
import { buildTransformationChain } from './transformation-chain.ts';
import { PluginRegistry } from '../plugins/registry.ts';
import { ConfigDef } from '../config/config-def.ts';
import { SourceRecord } from '../data/records.ts';
import type { Predicate, Transformation } from '../spi/transformation.ts';

const empty = new ConfigDef();
const suffix: Transformation = {
  configure() {},
  config: () => empty,
  apply: (r) => r.newRecord({ value: `${String(r.value)}!` }),
};
let suffixWith = '';
const registry = new PluginRegistry().register(
  {
    type: 'transformation',
    className: 'test.Suffix',
    version: '1',
    create: () => ({
      ...suffix,
      configure: (p: Record<string, string>) => {
        suffixWith = p.with ?? '';
      },
    }),
  },
  {
    type: 'transformation',
    className: 'test.Drop',
    version: '1',
    create: () => ({ configure() {}, config: () => empty, apply: () => null }),
  },
  {
    type: 'predicate',
    className: 'test.TopicIs',
    version: '1',
    create: (): Predicate => {
      let t = '';
      return {
        configure: (p) => {
          t = p.topic;
        },
        config: () => empty,
        test: (r) => r.topic === t,
      };
    },
  },
);

const rec = (topic: string) => new SourceRecord({ topic, value: 'v' });

describe('transformation chain', () => {
  it('applies stages in order with sub-configs', () => {
    const chain = buildTransformationChain(
      {
        transforms: 'a, b',
        'transforms.a.type': 'test.Suffix',
        'transforms.a.with': 'x',
        'transforms.b.type': 'test.Suffix',
      },
      registry,
    );
    expect(chain.apply(rec('t'))!.value).toBe('v!!');
    expect(suffixWith).toBe('');
  });

  it('runs a stage only where its predicate holds, or does not with negate', () => {
    const cfg = {
      transforms: 'drop',
      'transforms.drop.type': 'test.Drop',
      'transforms.drop.predicate': 'isA',
      predicates: 'isA',
      'predicates.isA.type': 'test.TopicIs',
      'predicates.isA.topic': 'a',
    };
    const chain = buildTransformationChain(cfg, registry);
    expect(chain.apply(rec('a'))).toBeNull();
    expect(chain.apply(rec('b'))!.value).toBe('v');
    const negated = buildTransformationChain({ ...cfg, 'transforms.drop.negate': 'true' }, registry);
    expect(negated.apply(rec('a'))!.value).toBe('v');
    expect(negated.apply(rec('b'))).toBeNull();
  });

  it.each([
    [{ transforms: 'a' }, /Missing required configuration "transforms.a.type"/],
    [{ transforms: 'a,a', 'transforms.a.type': 'test.Drop' }, /Duplicate alias provided in transforms: "a"/],
    [
      { transforms: 'a', 'transforms.a.type': 'test.Drop', 'transforms.a.negate': 'true' },
      /negate only makes sense together with a predicate/,
    ],
    [
      { transforms: 'a', 'transforms.a.type': 'test.Drop', 'transforms.a.predicate': 'p' },
      /names predicate "p", which is not listed in "predicates"/,
    ],
    [
      { transforms: 'a', 'transforms.a.type': 'com.example.Nope' },
      /Failed to find any class that implements transformation and which name matches com.example.Nope/,
    ],
  ])('rejects %j', (cfg, message) => {
    expect(() => buildTransformationChain(cfg as Record<string, string>, registry)).toThrow(message);
  });
});
