import { describe, it, expect } from 'vitest';
import { isTransientKafkaError, retryTransient } from './kafka-retry.ts';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

describe('transient Kafka errors', () => {
  it('recognises a broker going away, also inside kafkajs wrappers', () => {
    expect(isTransientKafkaError(named('KafkaJSConnectionError'))).toBe(true);
    expect(
      isTransientKafkaError(
        named('KafkaJSNonRetriableError', {
          cause: named('KafkaJSNumberOfRetriesExceeded', { cause: named('KafkaJSConnectionError') }),
        }),
      ),
    ).toBe(true);
    expect(
      isTransientKafkaError(named('KafkaJSProtocolError', { retriable: true, type: 'NOT_LEADER_OR_FOLLOWER' })),
    ).toBe(true);
    expect(
      isTransientKafkaError(named('KafkaJSProtocolError', { retriable: false, type: 'INVALID_PRODUCER_EPOCH' })),
    ).toBe(false);
    expect(
      isTransientKafkaError(
        named('KafkaJSNonRetriableError', { cause: named('KafkaJSProtocolError', { retriable: false }) }),
      ),
    ).toBe(false);
    expect(isTransientKafkaError(new TypeError('x'))).toBe(false);
  });

  it('repeats an operation after transient errors only', async () => {
    let calls = 0;
    let retries = 0;
    const value = await retryTransient(
      async () => {
        if (++calls < 3) throw named('KafkaJSConnectionError');
        return 'ok';
      },
      {
        beforeRetry: () => {
          retries++;
        },
      },
    );
    expect([value, calls, retries]).toEqual(['ok', 3, 2]);
    let permanent = 0;
    await expect(
      retryTransient(async () => {
        permanent++;
        throw named('KafkaJSProtocolError', { retriable: false });
      }),
    ).rejects.toThrow('KafkaJSProtocolError');
    expect(permanent).toBe(1);
    await expect(
      retryTransient(
        async () => {
          throw named('KafkaJSConnectionError');
        },
        { timeoutMs: 0 },
      ),
    ).rejects.toThrow('KafkaJSConnectionError');
  });
});
