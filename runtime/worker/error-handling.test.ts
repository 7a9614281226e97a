import { describe, expect, it } from 'vitest';
import { RetriableException } from '../errors.ts';
import { silentLogger } from '../logging.ts';
import { ToleranceOperator } from './error-handling.ts';
import { TaskErrorCounters } from './task-metrics.ts';

function operator(config: Record<string, string>): ToleranceOperator {
  return ToleranceOperator.fromConfig(config, silentLogger, new TaskErrorCounters());
}

describe('ToleranceOperator.retrier (writes that must never be skipped)', () => {
  it('retries retriable failures and lost-broker errors while errors.retry.timeout allows, never others', async () => {
    const retry = operator({
      'errors.retry.timeout': '-1',
      'errors.retry.delay.max.ms': '10',
      'errors.tolerance': 'all',
    }).retrier(silentLogger);
    expect(await retry.again(new RetriableException('no space left on device at /d'))).toBe(true);
    const lostBroker = Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
      name: 'KafkaJSConnectionError',
    });
    expect(await retry.again(lostBroker)).toBe(true);
    expect(await retry.again(new Error('a bug'))).toBe(false); // even under errors.tolerance=all: never skipped, the task fails
  });

  it('gives up at once with the default errors.retry.timeout=0, and when the task stops', async () => {
    expect(await operator({}).retrier(silentLogger).again(new RetriableException('x'))).toBe(false);
    const ac = new AbortController();
    const retry = operator({ 'errors.retry.timeout': '-1', 'errors.retry.delay.max.ms': '60000' }).retrier(
      silentLogger,
      ac.signal,
    );
    expect(await retry.again(new RetriableException('x'))).toBe(true); // first wait: 300 ms
    const waiting = retry.again(new RetriableException('x')); // 600 ms, cut short
    ac.abort();
    expect(await waiting).toBe(false);
  });
});
