/**
 * The transaction.boundary keys of an exactly-once source connector: validation (as Kafka
 * Connect's herder does it) and the settings a task runs with.
 */
import type { SourceConnector } from '../spi/connector.ts';
import type { TransactionBoundary } from './transaction-boundary.ts';

/** The longest interval whose transactions fit in the brokers' default transaction.max.timeout.ms (15 min) with a minute to spare. */
const MAX_INTERVAL_MS = 840_000;

/** [key, message] pairs for an exactly-once worker; none when the keys are fine. */
export function transactionBoundaryErrors(
  config: Record<string, string>,
  connector: SourceConnector,
): Array<[string, string]> {
  const errors: Array<[string, string]> = [];
  const boundary = (config['transaction.boundary'] ?? 'poll').trim();
  if (boundary === 'connector' && connector.canDefineTransactionBoundaries?.(config) !== 'SUPPORTED') {
    errors.push([
      'transaction.boundary',
      'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
    ]);
  }
  const interval = (config['transaction.boundary.interval.ms'] ?? '').trim();
  if (interval && Number(interval) > MAX_INTERVAL_MS) {
    errors.push([
      'transaction.boundary.interval.ms',
      `transaction.boundary.interval.ms=${interval} is too long: a transaction open that long would be aborted by the brokers (transaction.max.timeout.ms, 15 minutes by default); use at most ${MAX_INTERVAL_MS}`,
    ]);
  }
  if (interval && boundary !== 'interval') {
    errors.push([
      'transaction.boundary.interval.ms',
      `transaction.boundary.interval.ms=${interval} has no effect with transaction.boundary=${boundary}: remove it, or set transaction.boundary=interval`,
    ]);
  }
  return errors;
}

/**
 * The producer transaction timeout for a task: with interval boundaries a transaction stays open
 * for the whole interval, so the broker must not abort it first (Kafka's default 60 s equals the
 * default offset.flush.interval.ms); capped by brokers' default transaction.max.timeout.ms (15 min).
 */
export function transactionTimeoutMs(boundary: { boundary: TransactionBoundary; intervalMs: number }): number {
  if (boundary.boundary !== 'interval') return 60_000;
  return Math.min(900_000, Math.max(60_000, boundary.intervalMs + 60_000));
}

export function transactionBoundaryOf(
  config: Record<string, string>,
  offsetFlushIntervalMs: number,
): { boundary: TransactionBoundary; intervalMs: number } {
  const boundary = (config['transaction.boundary'] ?? 'poll').trim() as TransactionBoundary;
  const interval = (config['transaction.boundary.interval.ms'] ?? '').trim();
  return { boundary, intervalMs: interval ? Number(interval) : offsetFlushIntervalMs };
}
