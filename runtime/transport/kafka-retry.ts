/**
 * Riding out a broker failure. Kafka's Java clients retry produce requests until delivery.timeout.ms
 * (Kafka Connect's producers practically forever) while leadership moves to another broker. kafkajs
 * gives up earlier: its admin calls bail out on the first connection error, and its producer wraps an
 * inner retrier's "retries exceeded" into a non-retriable error after some seconds. Operations that
 * are safe to repeat go through retryTransient() instead.
 */
import { sleep } from '../util/sleep.ts';

const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSLockTimeout',
]);

/** Default time to keep retrying: Kafka's delivery.timeout.ms default. */
export const TRANSIENT_RETRY_MS = 120_000;

/** A broker went away or leadership is moving: the same request can succeed a moment later. */
export function isTransientKafkaError(err: unknown): boolean {
  for (
    let e = err as { name?: string; retriable?: boolean; type?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 8;
    e = e.cause as typeof e, depth++
  ) {
    if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
    if (e.name === 'KafkaJSProtocolError' && e.retriable === true) return true;
  }
  return false;
}

export interface RetryOptions {
  timeoutMs?: number;
  /** Called before each new attempt (e.g. to refresh metadata or recreate a producer); its errors are ignored. */
  beforeRetry?: (err: unknown, attempt: number) => Promise<void> | void;
  signal?: AbortSignal;
}

/** Runs `fn`, repeating it after transient errors (backing off up to 2 s) until it succeeds or the time is up. */
export async function retryTransient<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? TRANSIENT_RETRY_MS);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransientKafkaError(err) || Date.now() >= deadline || opts.signal?.aborted) throw err;
      await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)), opts.signal);
      try {
        await opts.beforeRetry?.(err, attempt);
      } catch {
        /* the next attempt reports what is still wrong */
      }
    }
  }
}
