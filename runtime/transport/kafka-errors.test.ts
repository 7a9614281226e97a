import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import {
  KafkaJSAggregateError,
  KafkaJSDeleteGroupsError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { KAFKA_ERROR_CODES, isKafkaError, isOnlyKafkaError } from './kafka-errors.ts';
import { ConnectException, GroupNotEmptyError, RetriableException } from '../errors.ts';
import { isRetriable } from '../worker/retriable.ts';

// kafkajs's own table from broker error codes to errors (what its clients throw).
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): { type: string; code: number; retriable: boolean; message: string };
};
const broker = (code: number) => new KafkaJSProtocolError(createErrorFromCode(code) as unknown as Error);

describe('Kafka client errors classified by broker error code', () => {
  it('uses the codes of Kafka protocol errors (org.apache.kafka.common.protocol.Errors)', () => {
    for (const [name, code] of Object.entries(KAFKA_ERROR_CODES)) expect(createErrorFromCode(code).type).toBe(name);
  });

  it('finds the code on the error, in its cause chain, in an aggregate and in a delete-groups answer', () => {
    expect(isKafkaError(broker(3), 'UNKNOWN_TOPIC_OR_PARTITION')).toBe(true);
    expect(isKafkaError(broker(3), 'MESSAGE_TOO_LARGE')).toBe(false);
    expect(
      isKafkaError(
        new KafkaJSNumberOfRetriesExceeded(broker(10), { retryCount: 5, retryTime: 100 }),
        'MESSAGE_TOO_LARGE',
      ),
    ).toBe(true);
    expect(isKafkaError(new ConnectException('wrapped', { cause: broker(10) }), 'MESSAGE_TOO_LARGE')).toBe(true);
    expect(isKafkaError(new KafkaJSAggregateError('Topic creation errors', [broker(36)]), 'TOPIC_ALREADY_EXISTS')).toBe(
      true,
    );
    const deleteGroups = new KafkaJSDeleteGroupsError('Error in DeleteGroups', [
      { groupId: 'g', errorCode: 68, error: broker(68) },
    ]);
    expect(isKafkaError(deleteGroups, 'NON_EMPTY_GROUP')).toBe(true);
    expect(isKafkaError(deleteGroups, 'GROUP_ID_NOT_FOUND')).toBe(false);
  });

  it('an aggregate is "only" a code when every error in it is', () => {
    expect(
      isOnlyKafkaError(
        new KafkaJSAggregateError('Topic creation errors', [broker(36), broker(36)]),
        'TOPIC_ALREADY_EXISTS',
      ),
    ).toBe(true);
    expect(
      isOnlyKafkaError(
        new KafkaJSAggregateError('Topic creation errors', [broker(36), broker(38)]),
        'TOPIC_ALREADY_EXISTS',
      ),
    ).toBe(false);
    expect(isOnlyKafkaError(broker(36), 'TOPIC_ALREADY_EXISTS')).toBe(true);
  });

  it('never reads the message: the same text without the code is not that error', () => {
    expect(isKafkaError(new Error('Topic with this name already exists'), 'TOPIC_ALREADY_EXISTS')).toBe(false);
    expect(
      isKafkaError(new Error('This server does not host this topic-partition'), 'UNKNOWN_TOPIC_OR_PARTITION'),
    ).toBe(false);
  });
});

describe('retriable or fatal (runtime/worker/retriable.ts)', () => {
  it('follows the flag of Tributary errors and the kind of Kafka client errors', () => {
    expect(isRetriable(new RetriableException('database restarting'))).toBe(true);
    expect(isRetriable(new GroupNotEmptyError('members left'))).toBe(true);
    expect(isRetriable(new ConnectException('bad config'))).toBe(false);
    expect(isRetriable(broker(5))).toBe(true); // LEADER_NOT_AVAILABLE: Kafka marks it retriable
    expect(isRetriable(broker(10))).toBe(false); // MESSAGE_TOO_LARGE
    expect(isRetriable(new Error('ECONNRESET'))).toBe(false);
  });
});
