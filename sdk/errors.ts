/**
 * The SDK's typed errors. Throw these from plugins: the worker decides retry, tolerance and dead
 * letter handling from the error's class and its `retriable` flag, never from its message.
 *
 * - {@link ConfigException}: a configuration value is wrong (name the key, the value and the fix).
 * - {@link DataException}: one record cannot be converted or written (bad data; retrying will not help).
 * - {@link RetriableException}: a transient failure (network, lock timeout); the operation is retried.
 * - {@link ConnectException}: anything else that should fail the task.
 * - {@link RecordFailures}: a sink batch was written except for some records, each with its error
 *   (the batching sink sends them to the dead letter queue).
 */
import { DataException, TributaryError } from '../runtime/errors.ts';
import type { SinkRecord } from '../runtime/data/records.ts';

export {
  TributaryError,
  ConnectException,
  DataException,
  RetriableException,
  ConfigException,
} from '../runtime/errors.ts';

/** Whether the worker (and the SDK helpers) retry after this error: a `retriable` TributaryError. */
export function isRetriable(err: unknown): boolean {
  return err instanceof TributaryError && err.retriable;
}

/** One record a sink could not write, with why. */
export interface RecordFailure {
  record: SinkRecord;
  error: Error;
}

/**
 * Thrown by {@link BatchingSinkTask.writeBatch} when the other records of the batch were written
 * but these were not (e.g. rows a database rejected). The batching sink reports each to the
 * errant-record reporter (the dead letter queue); without one (errors.tolerance=none) the task fails.
 */
export class RecordFailures extends DataException {
  readonly failures: readonly RecordFailure[];

  constructor(failures: RecordFailure[]) {
    const first = failures[0];
    super(
      `${failures.length} record(s) could not be written${first ? `; first: ${first.record.topic}-${first.record.kafkaPartition}@${first.record.kafkaOffset}: ${first.error.message}` : ''}`,
      { cause: first?.error },
    );
    this.failures = failures;
  }
}
