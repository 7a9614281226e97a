/**
 * The transaction.boundary keys of an exactly-once source connector: validation (as Kafka
 * Connect's herder does it) and the settings a task runs with.
 */
import type { SourceConnector } from '../spi/connector.ts';
import type { TransactionBoundary } from './transaction-boundary.ts';

/** [key, message] pairs for an exactly-once worker; none when the keys are fine. */
export function transactionBoundaryErrors(config: Record<string, string>, connector: SourceConnector): Array<[string, string]> {
  const errors: Array<[string, string]> = [];
  const boundary = (config['transaction.boundary'] ?? 'poll').trim();
  if (boundary === 'connector' && connector.canDefineTransactionBoundaries?.(config) !== 'SUPPORTED') {
    errors.push(['transaction.boundary', 'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.']);
  }
  const interval = (config['transaction.boundary.interval.ms'] ?? '').trim();
  if (interval && boundary !== 'interval') {
    errors.push(['transaction.boundary.interval.ms', `transaction.boundary.interval.ms=${interval} has no effect with transaction.boundary=${boundary}: remove it, or set transaction.boundary=interval`]);
  }
  return errors;
}

export function transactionBoundaryOf(config: Record<string, string>, offsetFlushIntervalMs: number): { boundary: TransactionBoundary; intervalMs: number } {
  const boundary = (config['transaction.boundary'] ?? 'poll').trim() as TransactionBoundary;
  const interval = (config['transaction.boundary.interval.ms'] ?? '').trim();
  return { boundary, intervalMs: interval ? Number(interval) : offsetFlushIntervalMs };
}
