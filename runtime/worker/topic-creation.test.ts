import { describe, it, expect } from 'vitest';
import { TopicCreationRules } from './topic-creation.ts';

describe('topic creation rules (KIP-158)', () => {
  const config = {
    'topic.creation.groups': 'compacted,inorder',
    'topic.creation.default.partitions': '3',
    'topic.creation.default.replication.factor': '1',
    'topic.creation.compacted.include': 'configs\\..*, status',
    'topic.creation.compacted.cleanup.policy': 'compact',
    'topic.creation.inorder.include': 'orders.*',
    'topic.creation.inorder.exclude': 'orders-archive',
    'topic.creation.inorder.partitions': '1',
    'topic.creation.default.retention.ms': '86400000',
  };

  it('uses the first matching group, falling back to default and inheriting its settings', () => {
    const rules = TopicCreationRules.fromConfig(config)!;
    expect(rules.specFor('configs.app')).toEqual({
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000', 'cleanup.policy': 'compact' },
    });
    expect(rules.specFor('orders')).toEqual({
      partitions: 1,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000' },
    });
    expect(rules.specFor('orders-archive')).toEqual({
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000' },
    });
    expect(rules.specFor('other')).toEqual({
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000' },
    });
  });

  it('is off unless both default settings are given, and says which one is missing', () => {
    expect(TopicCreationRules.fromConfig({})).toBeNull();
    expect(TopicCreationRules.fromConfig(config, false)).toBeNull();
    expect(() => TopicCreationRules.fromConfig({ 'topic.creation.default.partitions': '3' })).toThrow(
      /set topic.creation.default.replication.factor/,
    );
    expect(() => TopicCreationRules.fromConfig({ ...config, 'topic.creation.default.partitions': '0' })).toThrow(
      /use a positive integer, or -1/,
    );
    expect(() => TopicCreationRules.fromConfig({ ...config, 'topic.creation.inorder.include': '' })).toThrow(
      /needs topic.creation.inorder.include/,
    );
  });
});
