/** The produce pipeline's batches (one partition's records sent in one request) and per-partition send state. */
import type { EncodableRecord } from './record-batch-encoder.ts';
import { RecordBatchBuilder } from './record-batch-builder.ts';

/** One record batch of one partition: open (accepting records) until a request takes it. */
export interface Batch {
  topic: string;
  partition: number;
  /** The records, serialised into the batch's buffer (from the pool: buffer.memory) as they are appended. */
  builder: RecordBatchBuilder;
  /** The produce request's body, encoded once (a retry sends the same bytes: same sequence number). */
  encoded: Buffer[] | null;
  /** Whether the batch still holds its buffer (released once acknowledged or failed). */
  holdsBuffer: boolean;
  open: boolean;
  sequence: number;
  attempts: number;
  createdAt: number;
  done: Promise<number>;
  resolve: (baseOffset: number) => void;
  reject: (err: unknown) => void;
}

export interface PartitionState {
  topic: string;
  partition: number;
  queue: Batch[];
  inFlight: Batch[];
  /** Failed batches waiting to be sent again, in sequence order. */
  retry: Batch[];
  /** Set from a failure until the failed batches are through: nothing new is sent meanwhile. */
  recovering: boolean;
  retryAt: number;
  nextSequence: number;
  /** After a batch was refused for good: the sequence to start again from once nothing is in flight. */
  rewindTo: number | null;
  /**
   * Resolves once the partition's last dispatched request was handed to the connection: requests
   * are written in sequence order even when an earlier batch takes longer to encode (compression
   * is asynchronous), or the broker refuses the later one as out of order.
   */
  lastWrite: Promise<void>;
  /** The leader's node id as last looked up, valid while `leaderEpoch` is the pipeline's metadata epoch. */
  leader: number | null;
  leaderEpoch: number;
}

/**
 * Where consecutive appended records went: `count` records from `position` on in one batch (the
 * batch's base offset plus a record's position is its offset). One per batch a partition's
 * records filled, not one per record: these live until the batch is acknowledged.
 */
export interface AppendedRun {
  batch: { done: Promise<number> };
  position: number;
  count: number;
}

export interface PartitionAppend {
  topic: string;
  partition: number;
  /** The byte bound of one batch of this partition. */
  cap: number;
  records: EncodableRecord[];
}

export function newBatch(topic: string, partition: number, buffer: Buffer, cap: number): Batch {
  let resolve!: (n: number) => void;
  let reject!: (e: unknown) => void;
  const done = new Promise<number>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever appended records to it awaits it; a failure nobody waits for must not crash the process.
  done.catch(() => undefined);
  return {
    topic,
    partition,
    builder: new RecordBatchBuilder(buffer, cap),
    encoded: null,
    holdsBuffer: true,
    open: true,
    sequence: 0,
    attempts: 0,
    createdAt: Date.now(),
    done,
    resolve,
    reject,
  };
}

export function newPartitionState(topic: string, partition: number): PartitionState {
  return {
    topic,
    partition,
    queue: [],
    inFlight: [],
    retry: [],
    recovering: false,
    retryAt: 0,
    nextSequence: 0,
    rewindTo: null,
    lastWrite: Promise.resolve(),
    leader: null,
    leaderEpoch: -1,
  };
}
