/** TimestampRouter — cases from Kafka Connect's TimestampRouterTest. */
import { describe, expect, it } from 'vitest';
import { expectRecord, sourceRecord, transform } from './testing.ts';

describe('TimestampRouter', () => {
  it.each([
    ['defaults', {}, 'test', 1_483_425_001_864, 'test-20170103'],
    [
      'custom formats',
      { 'topic.format': 'logs_${timestamp}_${topic}', 'timestamp.format': 'yyyy-MM-dd-HH' },
      'app',
      1_483_425_001_864,
      'logs_2017-01-03-06_app',
    ],
    ['quoted literal text', { 'timestamp.format': "yyyy'w'ww" }, 't', 1_483_425_001_864, 't-2017w01'],
    ['placeholders repeat', { 'topic.format': '${topic}.${topic}.${timestamp}' }, 'a', 0, 'a.a.19700101'],
    [
      'a topic containing ${timestamp} is substituted too (as in Kafka Connect)',
      {},
      'x${timestamp}',
      0,
      'x19700101-19700101',
    ],
  ])('%s', (_n, props, topic, timestamp, expected) => {
    const input = sourceRecord({ topic, timestamp, value: 'v' });
    expectRecord(transform('org.apache.kafka.connect.transforms.TimestampRouter', props).apply(input), input, {
      topic: expected,
    });
  });

  it('fails on a record without timestamp and on an invalid pattern', () => {
    expect(() => transform('TimestampRouter').apply(sourceRecord({ timestamp: null }))).toThrow(
      "Timestamp missing on record: SourceRecord{topic='test'",
    );
    expect(() => transform('TimestampRouter', { 'timestamp.format': 'yyyy-bb' })).toThrow(
      "Invalid value yyyy-bb for configuration timestamp.format: Illegal pattern character 'b'",
    );
  });
});
