/**
 * The one place that decides whether a failure inside a task is retried or fatal: a Tributary
 * error says so with its `retriable` flag (Kafka Connect's RetriableException), a Kafka client
 * error by its kind and the broker's error code (transport/kafka-retry.ts). Message text is
 * never read.
 */
import { TributaryError } from '../errors.ts';
import { isTransientKafkaError } from '../transport/kafka-retry.ts';

export function isRetriable(err: unknown): boolean {
  return (err instanceof TributaryError && err.retriable) || isTransientKafkaError(err);
}
