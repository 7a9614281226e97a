import { describe, expect, it } from 'vitest';
import { topicNameError, topicNameErrors } from './topic-names.ts';

describe('topic names (Kafka Topic.validate)', () => {
  it('accepts legal names and refuses what Kafka refuses', () => {
    expect(topicNameError('orders.v1_x-2')).toBeNull();
    expect(topicNameError('a'.repeat(249))).toBeNull();
    expect(topicNameError('')).toBe("Topic name is illegal, it can't be empty");
    expect(topicNameError('.')).toBe('Topic name cannot be "." or ".."');
    expect(topicNameError('..')).toBe('Topic name cannot be "." or ".."');
    expect(topicNameError('a'.repeat(250))).toContain("can't be longer than 249 characters (it has 250)");
    expect(topicNameError('../../x')).toContain(
      'Topic name "../../x" is illegal, it contains a character other than ASCII alphanumerics',
    );
    expect(topicNameError('my topic')).toContain('is illegal');
  });

  it('names the key and the value of each refused topic name, prefix and static router target', () => {
    const errors = topicNameErrors(
      {
        topics: 'ok, bad topic',
        'errors.deadletterqueue.topic.name': '..',
        'topic.prefix': 'shop/eu',
        transforms: 'route,dyn',
        'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
        'transforms.route.replacement': 'x y',
        'transforms.dyn.type': 'RegexRouter',
        'transforms.dyn.replacement': 'all-$1',
      },
      new Set(['topic.prefix']),
    );
    expect(errors.map(([k]) => k)).toEqual([
      'errors.deadletterqueue.topic.name',
      'topics',
      'topic.prefix',
      'transforms.route.replacement',
    ]);
    expect(errors[1][1]).toContain('Topic name "bad topic" is illegal');
    expect(errors[1][1]).toContain('(topics="ok, bad topic")');
    expect(errors[2][1]).toContain('(topic.prefix="shop/eu")');
  });

  it('checks `topic` only for connectors that define it as their topic', () => {
    expect(topicNameErrors({ topic: 'a b' }, new Set())).toEqual([]);
    expect(topicNameErrors({ topic: 'a b' }, new Set(['topic']))[0][0]).toBe('topic');
  });
});
