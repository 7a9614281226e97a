/**
 * Where an exactly-once source task's Kafka transactions end (KIP-618's transaction.boundary):
 * `poll` after every batch poll() returned, `interval` once the interval elapsed since the last
 * commit (checked after each batch, and after empty polls), `connector` where the task said so
 * through its TransactionContext — after a batch or after a given record, commit or abort.
 */
import type { SourceRecord } from '../data/records.ts';
import type { TransactionContext } from '../spi/source.ts';
import { ConnectException } from '../errors.ts';

export type TransactionBoundary = 'poll' | 'interval' | 'connector';

/** What to do with the open transaction at this point. */
export type BoundaryDecision = 'continue' | 'commit' | 'abort';

/** The TransactionContext a connector-boundary task gets; the worker reads the requests back. */
export class WorkerTransactionContext implements TransactionContext {
  private readonly commitOn = new Set<SourceRecord>();
  private readonly abortOn = new Set<SourceRecord>();
  private batchCommit = false;
  private batchAbort = false;

  commitTransaction(record?: SourceRecord): void {
    if (record === undefined) this.batchCommit = true;
    else if (record === null)
      throw new ConnectException('Source record used to define transaction boundaries may not be null');
    else this.commitOn.add(record);
  }

  abortTransaction(record?: SourceRecord): void {
    if (record === undefined) this.batchAbort = true;
    else if (record === null)
      throw new ConnectException('Source record used to define transaction boundaries may not be null');
    else this.abortOn.add(record);
  }

  /** The decision after `record` was sent; the request is consumed. Both at once fails the task (the data could not be trusted). */
  takeRecordDecision(record: SourceRecord): BoundaryDecision {
    const commit = this.commitOn.delete(record);
    const abort = this.abortOn.delete(record);
    if (commit && abort) throw new ConnectException('Connector requested both commit and abort of same record');
    return abort ? 'abort' : commit ? 'commit' : 'continue';
  }

  /** The decision after a whole batch was sent; the request is consumed. */
  takeBatchDecision(): BoundaryDecision {
    const { batchCommit: commit, batchAbort: abort } = this;
    this.batchCommit = false;
    this.batchAbort = false;
    if (commit && abort) throw new ConnectException('Connector requested both commit and abort of same transaction');
    return abort ? 'abort' : commit ? 'commit' : 'continue';
  }
}

export interface TransactionBoundaryManager {
  /** After each record was handed to the producer. */
  afterRecord(record: SourceRecord): BoundaryDecision;
  /** After a batch was handed to the producer, or after a poll that returned nothing. */
  afterBatch(now: number): BoundaryDecision;
  /** When the task stops: commit what is open, abort it (offsets still commit), or discard it with its offsets. */
  final(): 'commit' | 'abort' | 'discard';
  /** A transaction was committed (or aborted) at `now`. */
  ended(now: number): void;
}

export function transactionBoundaryManager(
  boundary: TransactionBoundary,
  intervalMs: number,
  context: WorkerTransactionContext | null,
  now = Date.now(),
): TransactionBoundaryManager {
  switch (boundary) {
    case 'poll':
      return {
        afterRecord: () => 'continue',
        afterBatch: () => 'commit',
        final: () => 'commit',
        ended: () => undefined,
      };
    case 'interval': {
      let lastCommit = now;
      return {
        afterRecord: () => 'continue',
        afterBatch: (t) => (t >= lastCommit + intervalMs ? 'commit' : 'continue'),
        final: () => 'commit',
        ended: (t) => {
          lastCommit = t;
        },
      };
    }
    case 'connector': {
      if (!context)
        throw new ConnectException('A transaction context is needed for connector-defined transaction boundaries');
      return {
        afterRecord: (record) => context.takeRecordDecision(record),
        afterBatch: () => context.takeBatchDecision(),
        // As Kafka Connect: on shutdown the open transaction ends only as the task asked; without a
        // request it is dropped (records and offsets), and the next instance reads those again.
        final: () => {
          const d = context.takeBatchDecision();
          return d === 'continue' ? 'discard' : d;
        },
        ended: () => undefined,
      };
    }
  }
}
